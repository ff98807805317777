from django.urls import include, path

from . import baseline

urlpatterns = [
    path("bench/bare-intake/", baseline.bare_intake),
    path("bench/bare-page/", baseline.bare_page),
    path("", include("minsheng.urls")),
]
