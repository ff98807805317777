"""Alarm roll-ups per greenhouse and cluster (map, greenhouse page, cluster pages), the live JSON the console and the
greenhouse page poll, and the alarm notification preferences page."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minsheng.iot import actions, summary
from minsheng.iot.choices import AlarmType, SensorKind, Severity
from minsheng.iot.models import AlarmNotificationPreference, Cluster, Greenhouse, Sensor

pytestmark = pytest.mark.django_db
T = dt.datetime(2026, 4, 10, 2, 0, tzinfo=dt.UTC)


def greenhouse(farm, code, cluster=None):
    gh = Greenhouse.objects.create(
        name=f"{code}棚", code=code, village=farm.village, cluster=cluster, lat=36.5, lng=118.5
    )
    sensors = [
        Sensor.objects.create(code=f"{code}-{kind}", greenhouse=gh, kind=kind, unit="Cel")
        for kind in (SensorKind.AIR_TEMP, SensorKind.SOIL_TEMP, SensorKind.AIR_HUMIDITY)
    ]
    return gh, sensors


def raise_(sensor, severity, at=T):
    return actions.raise_alarm(sensor, AlarmType.THRESHOLD, severity, at=at)


@pytest.fixture
def spread(farm):
    """The cherry cluster: gh1 (the farm's, critical + minor), gh2 (two major, one acknowledged); gh3 in another
    cluster with a warning; gh4 in no cluster and quiet."""
    north = Cluster.objects.create(name="北山片区", code="beishan")
    Greenhouse.objects.filter(pk=farm.greenhouse.pk).update(lat=36.51, lng=118.51)
    gh2, s2 = greenhouse(farm, "gh2", farm.cluster)
    gh3, s3 = greenhouse(farm, "gh3", north)
    gh4, _s4 = greenhouse(farm, "gh4")
    with time_machine.travel(T, tick=False):
        raise_(farm.temp, Severity.CRITICAL)
        raise_(farm.humidity, Severity.MINOR)
        a = raise_(s2[0], Severity.MAJOR)
        raise_(s2[1], Severity.MAJOR)
        raise_(s3[0], Severity.WARNING)
        cleared = raise_(s3[1], Severity.CRITICAL)
        actions.acknowledge(a, actor=farm.w.admin)
        actions.clear(cleared, actor=farm.w.admin)
    return {"gh2": gh2, "gh3": gh3, "gh4": gh4, "north": north}


def test_summaries_per_greenhouse_and_cluster(farm, spread):
    per = summary.by_greenhouse([farm.greenhouse.pk, spread["gh2"].pk, spread["gh3"].pk, spread["gh4"].pk])
    gh1 = per[farm.greenhouse.pk]
    assert gh1.total == 2 and gh1.highest == Severity.CRITICAL and gh1.unacknowledged == 2
    assert gh1.by_severity == {Severity.CRITICAL: 1, Severity.MINOR: 1}
    gh2 = per[spread["gh2"].pk]
    assert gh2.as_dict()["by_severity"]["major"] == 2 and gh2.unacknowledged == 1 and gh2.highest == "major"
    assert per[spread["gh3"].pk].total == 1  # the cleared critical one does not count
    assert spread["gh4"].pk not in per

    clusters = summary.by_cluster(Greenhouse.objects.all())
    cherry = clusters[farm.cluster.pk]
    assert cherry.total == 4 and cherry.unacknowledged == 3 and cherry.highest == Severity.CRITICAL
    assert [r[0] for r in cherry.rows()] == ["critical", "major", "minor"]
    assert clusters[spread["north"].pk].highest == Severity.WARNING
    assert None not in clusters  # gh4 has no alarms


def test_map_cluster_and_greenhouse_pages_show_the_rollups(farm, spread, client_for):
    client = client_for(farm.w.admin)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("iot:map_data"))
    greenhouse(farm, "gh5", farm.cluster)
    greenhouse(farm, "gh6", spread["north"])
    with CaptureQueriesContext(connection) as more:
        data = client.get(reverse("iot:map_data")).json()
    assert len(more.captured_queries) == len(few.captured_queries)  # no query per greenhouse
    props = {f["properties"]["name"]: f["properties"] for f in data["greenhouses"]["features"]}
    assert props["王家1号棚"]["worst"] == "critical" and props["王家1号棚"]["unacknowledged"] == 2
    assert props["gh2棚"]["by_severity"]["major"] == 2 and props["gh2棚"]["unacknowledged"] == 1
    assert props["gh4棚"]["worst"] == "none" and props["gh4棚"]["alarms"] == 0

    rows = client.get(reverse("iot:clusters")).context["rows"]
    assert [r["cluster"].name if r["cluster"] else None for r in rows] == ["樱悦田园", "北山片区", None]
    assert rows[0]["greenhouses"] == 3 and rows[0]["summary"].unacknowledged == 3

    page = client.get(reverse("iot:cluster", args=[farm.cluster.pk]))
    assert [r["greenhouse"].code for r in page.context["rows"]] == ["gh1", "gh2", "gh5"]
    assert page.context["summary"].total == 4
    assert "未确认 3" in page.content.decode()
    from minsheng.iot.views import greenhouses as greenhouse_views

    old, greenhouse_views.CLUSTER_PAGE = greenhouse_views.CLUSTER_PAGE, 2
    try:  # a large cluster pages its table, the worst greenhouses first
        first = client.get(reverse("iot:cluster", args=[farm.cluster.pk]))
        assert [r["greenhouse"].code for r in first.context["page_obj"].object_list] == ["gh1", "gh2"]
        assert "page=2" in first.content.decode()
    finally:
        greenhouse_views.CLUSTER_PAGE = old
    gh = client.get(reverse("iot:greenhouse", args=[farm.greenhouse.pk]))
    assert gh.context["summary"].highest == Severity.CRITICAL
    assert "紧急 1" in gh.content.decode() and "次要 1" in gh.content.decode()


def test_cluster_pages_are_scoped(farm, spread, client_for):
    outsider = client_for(farm.w.worker_a)  # holds iot.view, but in 社区A: no greenhouse there
    assert outsider.get(reverse("iot:clusters")).context["rows"] == []
    assert outsider.get(reverse("iot:cluster", args=[farm.cluster.pk])).status_code == 404
    assert client_for(farm.w.resident).get(reverse("iot:clusters")).status_code in (302, 403)


def test_console_live_json_follows_filters_and_scope(farm, spread, client_for):
    client = client_for(farm.w.admin)
    data = client.get(reverse("iot:alarms_live"), {"status": "active"}).json()
    assert data["count"] == 5 and len(data["ids"]) == 5
    assert data["summary"]["total"] == 5 and data["summary"]["unacknowledged"] == 4
    assert data["summary"]["by_severity"]["major"] == 2
    assert "王家1号棚" in data["rows_html"] and 'data-alarm="' in data["rows_html"]
    unacked = client.get(reverse("iot:alarms_live"), {"ack": "no", "greenhouse": spread["gh2"].pk}).json()
    assert unacked["count"] == 1
    # A new alarm appears on the next poll.
    with time_machine.travel(T + dt.timedelta(minutes=1), tick=False):
        new = raise_(Sensor.objects.get(code="gh4-air_temp"), Severity.MAJOR, at=T + dt.timedelta(minutes=1))
    again = client.get(reverse("iot:alarms_live")).json()
    assert again["count"] == 6 and new.pk in again["ids"] and "gh4棚" in again["rows_html"]
    newest = client.get(reverse("iot:alarms_live"), {"order": "newest"}).json()
    assert newest["ids"][0] == new.pk  # (by default the critical alarm stays on top)
    outsider = client_for(farm.w.worker_a).get(reverse("iot:alarms_live")).json()
    assert outsider["count"] == 0 and outsider["summary"]["total"] == 0


def test_greenhouse_live_json(farm, spread, client_for):
    farm.temp.last_value, farm.temp.last_seen = 31.26, T
    farm.temp.save(update_fields=["last_value", "last_seen"])
    client = client_for(farm.w.admin)
    data = client.get(reverse("iot:greenhouse_live", args=[farm.greenhouse.pk])).json()
    assert data["summary"]["highest"] == "critical" and data["summary"]["total"] == 2
    assert len(data["active_ids"]) == 2 and "活动告警 2 条" in data["alarms_html"]
    temp = next(s for s in data["sensors"] if s["code"] == "gh1-t1")
    assert temp["last_value"] == 31.26
    chart = client.get(reverse("iot:greenhouse_chart", args=[farm.greenhouse.pk])).json()
    assert {k["kind"] for k in chart["kinds"]} == {"air_temp", "air_humidity"}
    assert (
        client_for(farm.w.worker_a).get(reverse("iot:greenhouse_live", args=[farm.greenhouse.pk])).status_code
        == 404
    )


def test_preferences_page(farm, client_for, password):
    from minsheng.accounts import actions as account_actions
    from minsheng.accounts.choices import Role

    cadre = account_actions.create_user(username="cadre", display_name="村干部", password=password)
    account_actions.grant_membership(user=cadre, role=Role.COMMUNITY_WORKER, node=farm.village)
    client = client_for(cadre)
    page = client.get(reverse("iot:preferences"))
    assert page.status_code == 200 and "默认接收您负责村的紧急和重要告警" in page.content.decode()
    assert list(page.context["form"].fields["villages"].queryset) == [farm.village]
    # Switched on without any severity: a form error in Chinese, nothing saved.
    bad = client.post(reverse("iot:preferences"), {"enabled": "on"})
    assert bad.status_code == 200 and "请至少选择一个告警级别" in bad.content.decode()
    assert not AlarmNotificationPreference.objects.exists()
    # A village outside the person's scope is not a valid choice.
    bad = client.post(
        reverse("iot:preferences"),
        {"enabled": "on", "severities": ["critical"], "villages": [farm.w.community_a.pk]},
    )
    assert bad.status_code == 200 and not AlarmNotificationPreference.objects.exists()
    ok = client.post(
        reverse("iot:preferences"),
        {
            "enabled": "on",
            "severities": ["critical", "minor"],
            "clusters": [farm.cluster.pk],
            "reminders": "on",
        },
    )
    assert ok.status_code == 302
    pref = AlarmNotificationPreference.objects.get(user=cadre)
    assert (
        pref.severities == ["critical", "minor"] and not pref.email and not pref.on_cleared and pref.reminders
    )
    assert list(pref.clusters.all()) == [farm.cluster]
    again = client.get(reverse("iot:preferences"))
    assert again.context["form"].initial["severities"] == ["critical", "minor"]


def test_api_rollups(farm, spread, api_for):
    api = api_for(farm.w.admin)
    clusters = {c["name"]: c for c in api.get("/api/v1/iot/clusters/").json()}
    assert clusters["樱悦田园"]["alarm_summary"]["unacknowledged"] == 3
    assert clusters["樱悦田园"]["greenhouses"] == 2
    assert clusters["北山片区"]["alarm_summary"]["highest"] == "warning"
    assert clusters["未划片区"]["id"] is None and clusters["未划片区"]["alarm_summary"]["total"] == 0
    houses = {g["code"]: g for g in api.get("/api/v1/iot/greenhouses/").json()["results"]}
    assert houses["gh1"]["alarm_summary"]["by_severity"]["critical"] == 1
    assert api.get(f"/api/v1/iot/greenhouses/{spread['gh2'].pk}/").json()["alarm_summary"]["total"] == 2
    assert api_for(farm.w.worker_a).get("/api/v1/iot/clusters/").json() == []
    alarm = api.get("/api/v1/iot/alarms/", {"severity": "critical"}).json()["results"][0]
    assert alarm["case_number"] and alarm["case_status"] == "accepted" and alarm["handled_by_case"] is False
