from django.urls import path

from . import views, views_field, views_staff

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
    path("c/<str:token>/", views.verify, name="verify"),
    path("c/<str:token>/qr.png", views.qr, name="verify_qr"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
]
