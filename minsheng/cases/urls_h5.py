"""The residents' phone pages (H5): submit an appeal, follow it, rate it, reopen it."""

from django.urls import path

from .views import h5

app_name = "h5"

urlpatterns = [
    path("", h5.home, name="home"),
    path("new/", h5.submit, name="submit"),
    path("new/code/", h5.send_code, name="send_code"),
    path("new/code/check/", h5.check_code, name="check_code"),
    path("new/places/<int:pk>/buildings/", h5.buildings, name="buildings"),
    path("new/locate/", h5.locate, name="locate"),
    path("submitted/<str:number>/", h5.submitted, name="submitted"),
    path("track/", h5.track, name="track"),
    path("t/<str:token>/", h5.link, name="link"),
    path("case/<str:number>/", h5.case_detail, name="case"),
    path("case/<str:number>/rate/", h5.rate, name="rate"),
    path("case/<str:number>/reopen/", h5.reopen, name="reopen"),
    path("case/<str:number>/files/<int:pk>/", h5.attachment, name="attachment"),
    path("mine/", h5.mine, name="mine"),
    path("login/", h5.resident_login, name="login"),
    path("logout/", h5.resident_logout, name="logout"),
]
