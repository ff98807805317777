from django.urls import path

from . import views, views_field, views_registry, views_staff

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
]
