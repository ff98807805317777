from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("users", views.UserViewSet, basename="user")
router.register("memberships", views.MembershipViewSet, basename="membership")

app_name = "accounts-api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("token/", views.TokenView.as_view(), name="token"),
    *router.urls,
]
