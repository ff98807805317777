"""The alarms, greenhouses and readings API: scoped like the pages, actions through iot.actions, bad input 400."""

import datetime as dt

import pytest

from minsheng.iot import actions
from minsheng.iot.choices import AlarmType, Severity
from minsheng.iot.models import Reading

pytestmark = pytest.mark.django_db
T = dt.datetime(2026, 4, 10, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def alarm(farm):
    return actions.raise_alarm(farm.temp, AlarmType.THRESHOLD, Severity.MAJOR, at=T)


def test_alarms_are_scoped_and_filterable(alarm, farm, api_for):
    api = api_for(farm.w.admin)
    body = api.get("/api/v1/iot/alarms/", {"status": "active"}).json()
    assert [a["id"] for a in body["results"]] == [alarm.pk]
    assert api.get("/api/v1/iot/alarms/", {"status": "cleared"}).json()["results"] == []
    other = api_for(farm.w.worker_a)
    assert other.get("/api/v1/iot/alarms/").json()["results"] == []
    assert other.get(f"/api/v1/iot/alarms/{alarm.pk}/").status_code == 404
    assert other.post(f"/api/v1/iot/alarms/{alarm.pk}/acknowledge/").status_code == 404
    assert other.get("/api/v1/iot/greenhouses/").json()["results"] == []


def test_acknowledge_and_clear(alarm, farm, api_for):
    api = api_for(farm.w.admin)
    acked = api.post(f"/api/v1/iot/alarms/{alarm.pk}/acknowledge/").json()
    assert acked["acknowledged"] is True
    assert (
        api.post(f"/api/v1/iot/alarms/{alarm.pk}/clear/", {"note": "x" * 2001}, format="json").status_code
        == 400
    )
    cleared = api.post(f"/api/v1/iot/alarms/{alarm.pk}/clear/", {"note": "已处理"}, format="json").json()
    assert cleared["status"] == "cleared"
    assert alarm.comments.filter(text="已处理").exists()


def test_readings_for_a_time_range(farm, api_for):
    for minutes in (0, 10, 20):
        Reading.objects.create(
            sensor=farm.temp, ts=T + dt.timedelta(minutes=minutes), value=18 + minutes / 10
        )
    api = api_for(farm.w.admin)
    url = f"/api/v1/iot/sensors/{farm.temp.pk}/readings/"
    body = api.get(url, {"start": T.isoformat(), "end": (T + dt.timedelta(minutes=10)).isoformat()}).json()
    assert [r["value"] for r in body] == [18.0, 19.0]
    bad = api.get(url, {"start": "yesterday"})
    assert bad.status_code == 400 and "start" in str(bad.json())
    backwards = api.get(url, {"start": T.isoformat(), "end": (T - dt.timedelta(hours=1)).isoformat()})
    assert backwards.status_code == 400
    assert (
        api.get(url, {"start": T.isoformat(), "end": (T + dt.timedelta(days=40)).isoformat()}).status_code
        == 400
    )
    assert api_for(farm.w.worker_a).get(url).status_code == 404


def test_a_token_call_is_audited_with_the_tokens_user(alarm, farm):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from minsheng.core.models import AuditLog

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=farm.w.admin).key}")
    assert client.post(f"/api/v1/iot/alarms/{alarm.pk}/acknowledge/").status_code == 200
    logged = AuditLog.objects.filter(object_id=str(alarm.pk), content_type__model="alarm").latest("pk")
    assert logged.user == farm.w.admin


def test_a_greenhouse_day_of_readings_in_one_call(farm, api_for):
    for minutes in (0, 30, 60):
        Reading.objects.create(
            sensor=farm.temp, ts=T + dt.timedelta(minutes=minutes), value=18 + minutes / 10
        )
    Reading.objects.create(sensor=farm.humidity, ts=T, value=61)
    Reading.objects.create(sensor=farm.humidity, ts=T + dt.timedelta(days=2), value=70)  # another day
    api = api_for(farm.w.admin)
    url = f"/api/v1/iot/greenhouses/{farm.greenhouse.pk}/readings/"
    day = {"start": T.isoformat(), "end": (T + dt.timedelta(days=1)).isoformat()}
    body = {entry["code"]: entry for entry in api.get(url, day).json()}
    assert [p["value"] for p in body["gh1-t1"]["points"]] == [18.0, 21.0, 24.0]
    assert [p["value"] for p in body["gh1-h1"]["points"]] == [61.0]
    assert body["gh1-t1"]["kind"] == "air_temp" and body["gh1-h1"]["unit"] == "%RH"
    assert api.get(url, {"start": "yesterday"}).status_code == 400
    assert (
        api.get(url, {"start": T.isoformat(), "end": (T + dt.timedelta(days=40)).isoformat()}).status_code
        == 400
    )
    assert api_for(farm.w.worker_a).get(url, day).status_code == 404


def test_a_greenhouse_range_before_the_raw_window_gives_hourly_means(farm, api_for):
    from minsheng.core import clock
    from minsheng.iot import retention
    from minsheng.iot.models import ReadingHour

    old = retention.raw_cutoff(clock.now()) - dt.timedelta(days=2)
    ReadingHour.objects.create(sensor=farm.temp, hour=old, min=10, max=14, avg=12, count=6)
    api = api_for(farm.w.admin)
    url = f"/api/v1/iot/greenhouses/{farm.greenhouse.pk}/readings/"
    body = api.get(url, {"start": old.isoformat(), "end": (old + dt.timedelta(days=1)).isoformat()}).json()
    temp = next(entry for entry in body if entry["code"] == "gh1-t1")
    assert temp["points"] == [
        {"ts": temp["points"][0]["ts"], "value": 12.0, "min": 10.0, "max": 14.0, "count": 6}
    ]


def test_points_are_represented_as_the_point_serializer_would():
    from minsheng.iot.api.serializers import SeriesPointSerializer, represent

    points = [
        {"ts": T, "value": 18.25},
        {"ts": T + dt.timedelta(hours=1), "value": 12.0, "min": 10.0, "max": 14.5, "count": 6},
    ]
    assert represent(points) == SeriesPointSerializer(points, many=True).data
