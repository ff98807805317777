from django.urls import path

from .views import field, ledgers, public, registry, staff

app_name = "agri"

urlpatterns = [
    path("", staff.dashboard, name="dashboard"),
    path("field/", field.field, name="field"),
    path("field/<int:pk>/", field.field_sample, name="field_sample"),
    path("samples/", staff.samples, name="samples"),
    path("samples/<int:pk>/", staff.sample_detail, name="sample_detail"),
    path("certificates/", staff.certificate_list, name="certificates"),
    path("certificates/new/", staff.certificate_issue, name="certificate_issue"),
    path("certificates/<int:pk>/void/", staff.certificate_void, name="certificate_void"),
    # registries, store inspections, lab entry, follow-up sampling
    path("producers/", registry.producer_list, name="producers"),
    path("producers/new/", registry.producer_edit, name="producer_create"),
    path("producers/<int:pk>/", registry.producer_detail, name="producer_detail"),
    path("producers/<int:pk>/edit/", registry.producer_edit, name="producer_edit"),
    path("stores/", registry.store_list, name="stores"),
    path("stores/new/", registry.store_edit, name="store_create"),
    path("stores/<int:pk>/", registry.store_detail, name="store_detail"),
    path("stores/<int:pk>/edit/", registry.store_edit, name="store_edit"),
    path("stores/<int:store_pk>/inspect/", registry.inspection_new, name="inspection_new"),
    path("inspections/", registry.inspection_list, name="inspections"),
    path("inspections/schedule/", registry.inspection_schedule, name="inspection_schedule"),
    path("inspections/<int:pk>/", registry.inspection_detail, name="inspection_detail"),
    path("inspections/photos/<int:pk>/", registry.inspection_photo, name="inspection_photo"),
    path("samples/<int:pk>/lab/", registry.lab_entry, name="lab_entry"),
    path("follow-ups/", registry.follow_ups, name="follow_ups"),
    # certificate verification (public)
    path("c/<str:token>/", public.verify, name="verify"),
    path("c/<str:token>/qr.png", public.qr, name="verify_qr"),
    path("certificates/<int:pk>/pdf/", public.certificate_pdf, name="certificate_pdf"),
    # ledgers, campaigns, sampling tasks, holiday duty, xlsx import/export
    path("letters/", ledgers.letters, name="letters"),
    path("letters/new/", ledgers.letter_new, name="letter_new"),
    path("letters/<int:pk>/scan/", ledgers.letter_scan, name="letter_scan"),
    path("publicity/", ledgers.publicity, name="publicity"),
    path("publicity/new/", ledgers.publicity_new, name="publicity_new"),
    path("waste/", ledgers.waste, name="waste"),
    path("waste/new/", ledgers.waste_new, name="waste_new"),
    path("campaigns/", ledgers.campaigns, name="campaigns"),
    path("campaigns/new/", ledgers.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", ledgers.campaign_detail, name="campaign"),
    path(
        "campaign-products/<int:pk>/remove/",
        ledgers.campaign_product_remove,
        name="campaign_product_remove",
    ),
    path("tasks/", ledgers.tasks, name="tasks"),
    path("tasks/new/", ledgers.task_new, name="task_new"),
    path("tasks/pre-holiday/", ledgers.task_pre_holiday, name="task_pre_holiday"),
    path("tasks/<int:pk>/", ledgers.task_detail, name="task"),
    path("pass-rates/", ledgers.pass_rates, name="pass_rates"),
    path("duty/", ledgers.duty, name="duty"),
    path("duty/<int:pk>/remove/", ledgers.duty_remove, name="duty_remove"),
    path("io/", ledgers.io_index, name="io"),
    path("io/<slug:slug>/export/", ledgers.io_export, name="io_export"),
    path("io/<slug:slug>/template/", ledgers.io_template, name="io_template"),
    path("io/<slug:slug>/import/", ledgers.io_import, name="io_import"),
]
