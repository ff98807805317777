"""The residents' meeting pages under /h5/meetings/."""

from django.urls import path

from .views import h5

app_name = "delib_h5"

urlpatterns = [
    path("", h5.home, name="home"),
    path("<int:pk>/", h5.meeting, name="meeting"),
]
