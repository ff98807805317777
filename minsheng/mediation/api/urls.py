from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("visits", views.VisitViewSet, basename="mediation-visit")
router.register("disputes", views.DisputeViewSet, basename="mediation-dispute")
router.register("petitions", views.PetitionViewSet, basename="mediation-petition")
router.register("referrals", views.ReferralViewSet, basename="mediation-referral")
router.register("weekly-reports", views.WeeklyReportViewSet, basename="mediation-weekly")

urlpatterns = [path("figures/", views.FiguresView.as_view(), name="mediation-figures"), *router.urls]
