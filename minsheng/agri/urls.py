from django.urls import path

from . import views

app_name = "agri"

urlpatterns = [
    path("c/<str:token>/", views.verify, name="verify"),
    path("c/<str:token>/qr.png", views.qr, name="verify_qr"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
]
