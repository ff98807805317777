from django.urls import path

from . import views

urlpatterns = [
    path("ingest/", views.IngestView.as_view(), name="iot-ingest"),
]
