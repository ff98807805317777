from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("alarms", views.AlarmViewSet, basename="iot-alarm")
router.register("greenhouses", views.GreenhouseViewSet, basename="iot-greenhouse")

urlpatterns = [
    path("ingest/", views.IngestView.as_view(), name="iot-ingest"),
    path("clusters/", views.ClusterSummaryView.as_view(), name="iot-clusters"),
    path("sensors/<int:pk>/readings/", views.SensorReadingsView.as_view(), name="iot-sensor-readings"),
    *router.urls,
]
