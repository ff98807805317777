"""The enterprise H5 at /qy/: contacts sign in with an SMS code, submit and follow problems, confirm 销号."""

from django.urls import path

from .views import h5

app_name = "enterprise_h5"

urlpatterns = [
    path("", h5.home, name="home"),
    path("login/", h5.login, name="login"),
    path("logout/", h5.logout, name="logout"),
    path("new/", h5.submit, name="submit"),
    path("p/<int:pk>/", h5.problem, name="problem"),
]
