from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("screen/", views.big_screen, name="screen"),
    path("metrics/", views.metric_list, name="metrics"),
    path("metrics/<str:code>/", views.metric_detail, name="metric"),
    path("report/", views.report, name="report"),
    path("efficiency/", views.efficiency, name="efficiency"),
    path("display/", views.display_links, name="display_links"),
    path("display/<int:pk>/revoke/", views.display_revoke, name="display_revoke"),
    path("screen/<str:token>/", views.display_screen, name="display"),
]
