from django.urls import path

from .views import alarms, greenhouses, rules

app_name = "iot"

urlpatterns = [
    path("alarms/", alarms.alarm_list, name="alarms"),
    path("alarms/bulk/", alarms.alarm_bulk, name="alarm_bulk"),
    path("alarms/live.json", alarms.alarm_list_live, name="alarms_live"),
    path("alarms/preferences/", alarms.preferences, name="preferences"),
    path("alarms/<int:pk>/", alarms.alarm_detail, name="alarm"),
    path("alarms/<int:pk>/<str:what>/", alarms.alarm_act, name="alarm_act"),
    path("greenhouses/<int:pk>/", greenhouses.greenhouse_detail, name="greenhouse"),
    path("greenhouses/<int:pk>/chart.json", greenhouses.greenhouse_chart, name="greenhouse_chart"),
    path("greenhouses/<int:pk>/live.json", greenhouses.greenhouse_live, name="greenhouse_live"),
    path("clusters/", greenhouses.cluster_list, name="clusters"),
    path("clusters/<int:pk>/", greenhouses.cluster_detail, name="cluster"),
    path("greenhouses/<int:pk>/rules/", rules.greenhouse_rules, name="rules"),
    path("greenhouses/<int:pk>/rules/new/", rules.override_edit, name="rule_new"),
    path("greenhouses/<int:pk>/rules/<int:override_pk>/", rules.override_edit, name="rule_edit"),
    path(
        "greenhouses/<int:pk>/rules/<int:override_pk>/delete/",
        rules.override_delete,
        name="rule_delete",
    ),
    path("greenhouses/<int:pk>/rules/combined/new/", rules.combined_edit, name="combined_new"),
    path("greenhouses/<int:pk>/rules/combined/<int:rule_pk>/", rules.combined_edit, name="combined_edit"),
    path(
        "greenhouses/<int:pk>/rules/combined/<int:rule_pk>/delete/",
        rules.combined_delete,
        name="combined_delete",
    ),
    path("devices/", greenhouses.devices, name="devices"),
    path("map/", greenhouses.cluster_map, name="map"),
    path("map/data.json", greenhouses.map_data, name="map_data"),
]
