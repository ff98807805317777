from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("nodes", views.NodeViewSet, basename="node")
router.register("grids", views.GridViewSet, basename="grid")
router.register("party-orgs", views.PartyOrgViewSet, basename="party-org")
router.register("party-members", views.PartyMemberViewSet, basename="party-member")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("property-companies", views.PropertyCompanyViewSet, basename="property-company")
router.register("estate-properties", views.EstatePropertyViewSet, basename="estate-property")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("residents", views.ResidentViewSet, basename="resident")
router.register("resident-tags", views.ResidentTagViewSet, basename="resident-tag")

app_name = "org-api"
urlpatterns = router.urls
