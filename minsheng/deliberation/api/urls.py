from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("kinds", views.KindViewSet, basename="deliberation-kind")
router.register("series", views.SeriesViewSet, basename="deliberation-series")
router.register("meetings", views.MeetingViewSet, basename="deliberation-meeting")
router.register("campaigns", views.CampaignViewSet, basename="deliberation-campaign")
router.register("targets", views.TargetViewSet, basename="deliberation-target")
router.register("visits", views.VisitViewSet, basename="deliberation-visit")
router.register("teams", views.TeamViewSet, basename="deliberation-team")
router.register("contact-plans", views.ContactPlanViewSet, basename="deliberation-contact-plan")
router.register("contacts", views.ContactViewSet, basename="deliberation-contact")

urlpatterns = router.urls
