from django.urls import path

from . import views, views_field, views_ledgers, views_registry, views_staff

app_name = "agri"

urlpatterns = [
    path("", views_staff.dashboard, name="dashboard"),
    path("field/", views_field.field, name="field"),
    path("field/<int:pk>/", views_field.field_sample, name="field_sample"),
    path("samples/", views_staff.samples, name="samples"),
    path("samples/<int:pk>/", views_staff.sample_detail, name="sample_detail"),
    path("certificates/", views_staff.certificate_list, name="certificates"),
    path("certificates/new/", views_staff.certificate_issue, name="certificate_issue"),
    path("certificates/<int:pk>/void/", views_staff.certificate_void, name="certificate_void"),
    # -- registries, store inspections, lab entry, follow-up sampling (agri-pages) --
    path("producers/", views_registry.producer_list, name="producers"),
    path("producers/new/", views_registry.producer_edit, name="producer_create"),
    path("producers/<int:pk>/", views_registry.producer_detail, name="producer_detail"),
    path("producers/<int:pk>/edit/", views_registry.producer_edit, name="producer_edit"),
    path("stores/", views_registry.store_list, name="stores"),
    path("stores/new/", views_registry.store_edit, name="store_create"),
    path("stores/<int:pk>/", views_registry.store_detail, name="store_detail"),
    path("stores/<int:pk>/edit/", views_registry.store_edit, name="store_edit"),
    path("stores/<int:store_pk>/inspect/", views_registry.inspection_new, name="inspection_new"),
    path("inspections/", views_registry.inspection_list, name="inspections"),
    path("inspections/schedule/", views_registry.inspection_schedule, name="inspection_schedule"),
    path("inspections/<int:pk>/", views_registry.inspection_detail, name="inspection_detail"),
    path("inspections/photos/<int:pk>/", views_registry.inspection_photo, name="inspection_photo"),
    path("samples/<int:pk>/lab/", views_registry.lab_entry, name="lab_entry"),
    path("follow-ups/", views_registry.follow_ups, name="follow_ups"),
    # -- end agri-pages --
    path("c/<str:token>/", views.verify, name="verify"),
    path("c/<str:token>/qr.png", views.qr, name="verify_qr"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    # ledgers, campaigns, sampling tasks, holiday duty, xlsx import/export (views_ledgers)
    path("letters/", views_ledgers.letters, name="letters"),
    path("letters/new/", views_ledgers.letter_new, name="letter_new"),
    path("letters/<int:pk>/scan/", views_ledgers.letter_scan, name="letter_scan"),
    path("publicity/", views_ledgers.publicity, name="publicity"),
    path("publicity/new/", views_ledgers.publicity_new, name="publicity_new"),
    path("waste/", views_ledgers.waste, name="waste"),
    path("waste/new/", views_ledgers.waste_new, name="waste_new"),
    path("campaigns/", views_ledgers.campaigns, name="campaigns"),
    path("campaigns/new/", views_ledgers.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views_ledgers.campaign_detail, name="campaign"),
    path(
        "campaign-products/<int:pk>/remove/",
        views_ledgers.campaign_product_remove,
        name="campaign_product_remove",
    ),
    path("tasks/", views_ledgers.tasks, name="tasks"),
    path("tasks/new/", views_ledgers.task_new, name="task_new"),
    path("tasks/pre-holiday/", views_ledgers.task_pre_holiday, name="task_pre_holiday"),
    path("tasks/<int:pk>/", views_ledgers.task_detail, name="task"),
    path("pass-rates/", views_ledgers.pass_rates, name="pass_rates"),
    path("duty/", views_ledgers.duty, name="duty"),
    path("duty/<int:pk>/remove/", views_ledgers.duty_remove, name="duty_remove"),
    path("io/", views_ledgers.io_index, name="io"),
    path("io/<slug:slug>/export/", views_ledgers.io_export, name="io_export"),
    path("io/<slug:slug>/template/", views_ledgers.io_template, name="io_template"),
    path("io/<slug:slug>/import/", views_ledgers.io_import, name="io_import"),
]
