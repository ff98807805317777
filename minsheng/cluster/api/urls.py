from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("growers", views.GrowerViewSet, basename="grower")
router.register("orchards", views.OrchardViewSet, basename="orchard")
router.register("harvests", views.HarvestViewSet, basename="harvest")
router.register("sales", views.SaleViewSet, basename="sale")
router.register("techniques", views.TechniqueViewSet, basename="technique")
router.register("trainings", views.TrainingViewSet, basename="training")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("leading-enterprises", views.LeadingEnterpriseViewSet, basename="leading-enterprise")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("centres", views.CentreViewSet, basename="centre")

app_name = "cluster-api"
urlpatterns = [path("figures/", views.FiguresView.as_view(), name="figures"), *router.urls]
