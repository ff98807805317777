from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("events", views.EventViewSet, basename="event")
router.register("registrations", views.RegistrationViewSet, basename="registration")
router.register("kinds", views.KindViewSet, basename="kind")
router.register("venues", views.VenueViewSet, basename="venue")
router.register("volunteers", views.VolunteerViewSet, basename="volunteer")
router.register("teams", views.TeamViewSet, basename="team")
router.register("shifts", views.ShiftViewSet, basename="shift")
router.register("records", views.RecordViewSet, basename="record")
router.register("market-items", views.MarketItemViewSet, basename="market-item")
router.register("dual-units", views.DualUnitViewSet, basename="dual-unit")
router.register("dual-members", views.DualMemberViewSet, basename="dual-member")
router.register("resources", views.ResourceViewSet, basename="resource")
router.register("needs", views.NeedViewSet, basename="need")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")

app_name = "activities-api"
urlpatterns = [path("figures/", views.FiguresView.as_view(), name="figures"), *router.urls]
