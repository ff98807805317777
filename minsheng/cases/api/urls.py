from django.urls import path
from rest_framework.routers import DefaultRouter

from . import metrics, views

router = DefaultRouter()
router.register("categories", views.CategoryViewSet, basename="case-category")
router.register("kinds", views.KindViewSet, basename="case-kind")
router.register("units", views.UnitViewSet, basename="case-unit")
router.register("requests", views.ApprovalRequestViewSet, basename="case-request")
router.register("", views.CaseViewSet, basename="case")

urlpatterns = [
    path("metrics/", metrics.MetricsView.as_view(), name="case-metrics"),
    path("efficiency/", metrics.EfficiencyView.as_view(), name="case-efficiency"),
    *router.urls,
]
