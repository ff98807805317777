from django.urls import path

from . import views, views_rules

app_name = "iot"

urlpatterns = [
    path("alarms/", views.alarm_list, name="alarms"),
    path("alarms/bulk/", views.alarm_bulk, name="alarm_bulk"),
    path("alarms/live.json", views.alarm_list_live, name="alarms_live"),
    path("alarms/preferences/", views.preferences, name="preferences"),
    path("alarms/<int:pk>/", views.alarm_detail, name="alarm"),
    path("alarms/<int:pk>/<str:what>/", views.alarm_act, name="alarm_act"),
    path("greenhouses/<int:pk>/", views.greenhouse_detail, name="greenhouse"),
    path("greenhouses/<int:pk>/chart.json", views.greenhouse_chart, name="greenhouse_chart"),
    path("greenhouses/<int:pk>/live.json", views.greenhouse_live, name="greenhouse_live"),
    path("clusters/", views.cluster_list, name="clusters"),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster"),
    path("greenhouses/<int:pk>/rules/", views_rules.greenhouse_rules, name="rules"),
    path("greenhouses/<int:pk>/rules/new/", views_rules.override_edit, name="rule_new"),
    path("greenhouses/<int:pk>/rules/<int:override_pk>/", views_rules.override_edit, name="rule_edit"),
    path(
        "greenhouses/<int:pk>/rules/<int:override_pk>/delete/",
        views_rules.override_delete,
        name="rule_delete",
    ),
    path("greenhouses/<int:pk>/rules/combined/new/", views_rules.combined_edit, name="combined_new"),
    path(
        "greenhouses/<int:pk>/rules/combined/<int:rule_pk>/", views_rules.combined_edit, name="combined_edit"
    ),
    path(
        "greenhouses/<int:pk>/rules/combined/<int:rule_pk>/delete/",
        views_rules.combined_delete,
        name="combined_delete",
    ),
    path("devices/", views.devices, name="devices"),
    path("map/", views.cluster_map, name="map"),
    path("map/data.json", views.map_data, name="map_data"),
]
