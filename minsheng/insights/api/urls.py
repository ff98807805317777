from django.urls import path

from . import views

urlpatterns = [
    path("metrics/", views.MetricList.as_view(), name="insights-metrics"),
    path("metrics/<str:code>/", views.MetricValue.as_view(), name="insights-metric-value"),
    path("metrics/<str:code>/rows/", views.MetricRows.as_view(), name="insights-metric-rows"),
]
