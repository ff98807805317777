"""What anyone may open without an account: the verification page a certificate's QR code leads to."""

from django.urls import path

from .views import volunteers

app_name = "activities_public"

urlpatterns = [path("<str:code>/", volunteers.certificate_verify, name="verify")]
