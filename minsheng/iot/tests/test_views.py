"""The greenhouse workbench: the alarm console's filters and bulk actions, an alarm's page, the chart data, device
health and the map data — each read through the user's scope."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from minsheng.iot import actions
from minsheng.iot.choices import AlarmStatus, AlarmType, Severity
from minsheng.iot.models import Alarm, Reading, ThresholdOverride, ThresholdSet

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 4, 10, 4, 0, tzinfo=dt.UTC)  # 12:00 in Asia/Shanghai


@pytest.fixture
def alarms(farm):
    temp = actions.raise_alarm(
        farm.temp, AlarmType.THRESHOLD, Severity.CRITICAL, at=NOW - dt.timedelta(hours=2)
    )
    humid = actions.raise_alarm(
        farm.humidity, AlarmType.THRESHOLD, Severity.MINOR, at=NOW - dt.timedelta(hours=1)
    )
    return temp, humid


def test_console_filters_and_scope(alarms, farm, client_for):
    temp, humid = alarms
    actions.acknowledge(humid, actor=farm.w.admin)
    client = client_for(farm.w.admin)
    page = client.get(reverse("iot:alarms"))
    assert page.status_code == 200
    assert list(page.context["alarms"]) == [temp, humid]  # the critical one first, though older
    newest = client.get(reverse("iot:alarms"), {"order": "newest"})
    assert list(newest.context["alarms"]) == [humid, temp]
    unacked = client.get(reverse("iot:alarms"), {"ack": "no", "severity": "critical"})
    assert list(unacked.context["alarms"]) == [temp]
    assert f"/cases/{temp.case_id}/" in unacked.content.decode()  # the critical alarm opened a case
    assert client.get(reverse("iot:alarms"), {"status": "nonsense", "order": "nonsense"}).status_code == 200
    # 社区A's worker sees none of the cherry village's alarms, nor its pages.
    other = client_for(farm.w.worker_a)
    assert list(other.get(reverse("iot:alarms")).context["alarms"]) == []
    assert other.get(reverse("iot:alarm", args=[temp.pk])).status_code == 404
    assert other.get(reverse("iot:greenhouse", args=[farm.greenhouse.pk])).status_code == 404


def test_console_puts_what_needs_a_person_first(farm, client_for):
    """Active before cleared; then the highest severity, unacknowledged before acknowledged, the newest first."""
    old_major = actions.raise_alarm(
        farm.temp, AlarmType.STUCK, Severity.MAJOR, at=NOW - dt.timedelta(hours=3)
    )
    new_major = actions.raise_alarm(
        farm.humidity, AlarmType.STUCK, Severity.MAJOR, at=NOW - dt.timedelta(hours=1)
    )
    acked_major = actions.raise_alarm(farm.temp, AlarmType.SPIKE, Severity.MAJOR, at=NOW)
    actions.acknowledge(acked_major, actor=farm.w.admin)
    warning = actions.raise_alarm(farm.humidity, AlarmType.SPIKE, Severity.WARNING, at=NOW)
    cleared = actions.raise_alarm(
        farm.temp, AlarmType.OFFLINE, Severity.MAJOR, at=NOW - dt.timedelta(hours=4)
    )
    actions.clear(cleared, actor=farm.w.admin)
    page = client_for(farm.w.admin).get(reverse("iot:alarms"), {"status": "all"})
    assert list(page.context["alarms"]) == [new_major, old_major, acked_major, warning, cleared]


def test_bulk_acknowledge_and_clear_report_each_failure(alarms, farm, client_for, monkeypatch):
    temp, humid = alarms
    client = client_for(farm.w.admin)
    response = client.post(
        reverse("iot:alarm_bulk"),
        {"action": "acknowledge", "alarms": [temp.pk, humid.pk], "next": "/iot/alarms/"},
    )
    assert response.status_code == 302
    assert Alarm.objects.filter(acknowledged=True).count() == 2

    real_clear = actions.clear

    def refuse_humidity(alarm, **kwargs):
        if alarm.pk == humid.pk:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("没有权限处理该告警")
        return real_clear(alarm, **kwargs)

    monkeypatch.setitem(
        __import__("minsheng.iot.views.alarms", fromlist=["BULK"]).BULK, "clear", refuse_humidity
    )
    response = client.post(
        reverse("iot:alarm_bulk"), {"action": "clear", "alarms": [temp.pk, humid.pk]}, follow=True
    )
    texts = [str(m) for m in response.context["messages"]]
    assert "已处理 1 条告警" in texts and any("没有权限" in t for t in texts)
    temp.refresh_from_db(), humid.refresh_from_db()
    assert (temp.status, humid.status) == (AlarmStatus.CLEARED, AlarmStatus.ACTIVE)


def test_bulk_without_selection_or_with_a_foreign_redirect(alarms, farm, client_for):
    client = client_for(farm.w.admin)
    response = client.post(
        reverse("iot:alarm_bulk"), {"action": "acknowledge", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == reverse("iot:alarms")
    assert not Alarm.objects.filter(acknowledged=True).exists()


def test_alarm_page_forms(alarms, farm, client_for):
    temp, _humid = alarms
    client = client_for(farm.w.admin)
    assert client.get(reverse("iot:alarm", args=[temp.pk])).status_code == 200
    client.post(reverse("iot:alarm_act", args=[temp.pk, "comment"]), {"text": "已通知棚主"})
    empty = client.post(reverse("iot:alarm_act", args=[temp.pk, "comment"]), {"text": " "}, follow=True)
    assert "请填写备注内容" in empty.content.decode()
    client.post(reverse("iot:alarm_act", args=[temp.pk, "assign"]), {"assignee": farm.w.admin.pk})
    refused = client.post(
        reverse("iot:alarm_act", args=[temp.pk, "assign"]), {"assignee": farm.w.resident.pk}
    )
    assert refused.status_code == 302
    client.post(reverse("iot:alarm_act", args=[temp.pk, "clear"]), {"note": "已开风口降温"})
    temp.refresh_from_db()
    assert (temp.assignee, temp.status) == (farm.w.admin, AlarmStatus.CLEARED)
    assert list(temp.comments.values_list("text", flat=True))[-1] == "已开风口降温"
    assert temp.comments.filter(text="已通知棚主", author=farm.w.admin).exists()
    assert client.post(reverse("iot:alarm_act", args=[temp.pk, "delete"])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_chart_has_readings_limits_and_alarm_bands(alarms, farm, client_for):
    Reading.objects.create(sensor=farm.temp, ts=NOW - dt.timedelta(hours=3), value=19.0)
    Reading.objects.create(sensor=farm.temp, ts=NOW - dt.timedelta(hours=30), value=5.0)  # outside the 24 h
    assert ThresholdSet.objects.filter(stage=farm.greenhouse.stage).exists()
    data = client_for(farm.w.admin).get(reverse("iot:greenhouse_chart", args=[farm.greenhouse.pk])).json()
    temp = next(k for k in data["kinds"] if k["kind"] == "air_temp")
    assert temp["unit"] == "°C"  # SenML's Cel, as people read it
    assert temp["series"] == [{"name": "gh1-t1", "data": [[(NOW - dt.timedelta(hours=3)).isoformat(), 19.0]]}]
    # Bloom: ≤ 20 °C by day (06:00–18:00 Shanghai), no upper limit by night; noon to noon: day, night, day, end.
    assert [v for _t, v in temp["max"]] == [20.0, None, 20.0, 20.0]
    assert temp["bands"][0]["severity"] == "critical"
    # A greenhouse override replaces the crop default on the chart too (the limits the rules use).
    ThresholdOverride.objects.create(
        greenhouse=farm.greenhouse, kind="air_temp", day_min=15, day_max=25, night_min=4, night_max=12
    )
    data = client_for(farm.w.admin).get(reverse("iot:greenhouse_chart", args=[farm.greenhouse.pk])).json()
    temp = next(k for k in data["kinds"] if k["kind"] == "air_temp")
    assert [v for _t, v in temp["max"]] == [25.0, 12.0, 25.0, 25.0]
    assert (
        client_for(farm.w.worker_a)
        .get(reverse("iot:greenhouse_chart", args=[farm.greenhouse.pk]))
        .status_code
        == 404
    )


@time_machine.travel(NOW, tick=False)
def test_device_health_lists_silent_and_low_battery(farm, client_for):
    farm.temp.last_seen = NOW - dt.timedelta(minutes=5)
    farm.temp.battery = 12
    farm.temp.save()
    farm.humidity.last_seen = NOW - dt.timedelta(hours=2)
    farm.humidity.save()
    client = client_for(farm.w.admin)
    page = client.get(reverse("iot:devices"), {"minutes": "60", "battery": "abc"})
    assert (page.context["silent_count"], page.context["low_count"], page.context["total"]) == (1, 1, 2)
    assert [s.code for s in page.context["page_obj"]] == ["gh1-h1"]  # the silent list first
    low = client.get(reverse("iot:devices"), {"minutes": "60", "show": "low"})
    assert [s.code for s in low.context["page_obj"]] == ["gh1-t1"]
    assert "12%" in low.content.decode()
    assert client.get(reverse("iot:devices"), {"show": "all", "page": "x"}).context["show"] == "silent"
    other = client_for(farm.w.worker_a).get(reverse("iot:devices"))
    assert (list(other.context["page_obj"]), other.context["total"]) == ([], 0)


def test_device_health_pages_a_long_list(farm, client_for):
    from minsheng.iot.models import Sensor

    Sensor.objects.bulk_create(
        Sensor(code=f"gh1-x{n:03d}", greenhouse=farm.greenhouse, kind="light", unit="lx", battery=5)
        for n in range(120)
    )
    client = client_for(farm.w.admin)
    first = client.get(reverse("iot:devices"), {"show": "low"})
    assert first.context["low_count"] == 120
    assert len(first.context["page_obj"].object_list) == 50
    last = client.get(reverse("iot:devices"), {"show": "low", "page": "3"})
    assert [s.code for s in last.context["page_obj"]][-1] == "gh1-x119"
    assert "show=low" in first.content.decode()  # the pager keeps the list it pages


def test_map_colours_greenhouses_by_worst_active_alarm(alarms, farm, client_for):
    farm.village.lat, farm.village.lng = 36.5, 118.5
    farm.village.save()
    data = client_for(farm.w.admin).get(reverse("iot:map_data")).json()
    [feature] = data["greenhouses"]["features"]
    assert feature["geometry"]["coordinates"] == [118.5, 36.5]
    assert (feature["properties"]["worst"], feature["properties"]["alarms"]) == ("critical", 2)
    assert client_for(farm.w.admin).get(reverse("iot:map")).status_code == 200
    assert client_for(farm.w.worker_a).get(reverse("iot:map_data")).json()["greenhouses"]["features"] == []
