"""The residents' phone pages of activities (/h5/activities/) and the public certificate check (/v/)."""

from django.urls import path

from .views import h5

app_name = "activities_h5"

urlpatterns = [
    path("", h5.home, name="home"),
    path("me/", h5.me, name="me"),
    path("volunteer/", h5.volunteer, name="volunteer"),
    path("market/", h5.market, name="market"),
    path("market/<int:pk>/exchange/", h5.exchange, name="exchange"),
    path("offers/<int:sid>/", h5.answer_offer, name="answer_offer"),
    path("<int:pk>/", h5.detail, name="detail"),
    path("<int:pk>/register/", h5.register, name="register"),
    path("<int:pk>/cancel/", h5.cancel, name="cancel"),
    path("<int:pk>/shifts/<int:sid>/", h5.shift_sign_up, name="shift_sign_up"),
]
