from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("problems", views.ProblemViewSet, basename="problem")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("events", views.EventViewSet, basename="event")
router.register("banks", views.BankViewSet, basename="bank")
router.register("policies", views.PolicyViewSet, basename="policy")

app_name = "enterprise-api"
urlpatterns = [path("figures/", views.FiguresView.as_view(), name="figures"), *router.urls]
