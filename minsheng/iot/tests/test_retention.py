"""Retention: hourly aggregates for ever, raw readings for IOT_RAW_RETENTION_DAYS, the chart API across both."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from minsheng.iot import retention
from minsheng.iot.ingest import ingest
from minsheng.iot.models import Reading, ReadingHour

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 9, 1, 4, 30, tzinfo=dt.UTC)
OLD = dt.datetime(2026, 5, 1, 2, 0, tzinfo=dt.UTC)  # 123 days before NOW: outside the 90-day raw window


def readings(sensor, start, values, step_minutes=15):
    for i, value in enumerate(values):
        Reading.objects.create(sensor=sensor, ts=start + dt.timedelta(minutes=step_minutes * i), value=value)


def test_rollup_computes_min_max_mean_and_count_per_sensor_hour_and_is_idempotent(farm):
    readings(farm.temp, OLD, [10, 12, 14, 16, 20, 22])  # 02:00–03:15: four in the first hour, two in the next
    readings(farm.humidity, OLD, [60, 70])
    assert retention.rollup(OLD, OLD + dt.timedelta(hours=2)) == 3
    first = ReadingHour.objects.get(sensor=farm.temp, hour=OLD)
    assert (first.min, first.max, first.avg, first.count) == (10, 16, 13, 4)
    second = ReadingHour.objects.get(sensor=farm.temp, hour=OLD + dt.timedelta(hours=1))
    assert (second.min, second.max, second.avg, second.count) == (20, 22, 21, 2)
    retention.rollup(OLD, OLD + dt.timedelta(hours=2))
    assert ReadingHour.objects.count() == 3
    assert ReadingHour.objects.get(sensor=farm.temp, hour=OLD).count == 4


@time_machine.travel(NOW, tick=False)
def test_purge_summarises_then_deletes_what_left_the_raw_window(farm):
    assert settings.MINSHENG_PERIODIC_JOBS["iot.retention"]["target"] == "minsheng.iot.retention.run"
    readings(farm.temp, OLD, [10, 12, 14, 16])
    recent = NOW - dt.timedelta(hours=2)  # a complete hour within the rollup lookback
    readings(farm.temp, recent, [18, 19])
    result = retention.run()
    assert result["deleted"] == 4
    assert not Reading.objects.filter(ts__lt=retention.raw_cutoff()).exists()
    assert Reading.objects.filter(sensor=farm.temp).count() == 2  # inside the window: kept
    old = ReadingHour.objects.get(sensor=farm.temp, hour=OLD)
    assert (old.min, old.max, old.avg, old.count) == (10, 16, 13, 4)
    assert ReadingHour.objects.filter(sensor=farm.temp, hour=retention.floor_hour(recent)).exists()
    assert retention.run()["deleted"] == 0  # a second run changes nothing
    assert ReadingHour.objects.get(sensor=farm.temp, hour=OLD).count == 4


@time_machine.travel(NOW, tick=False)
def test_a_reading_for_a_summarised_hour_is_refused_so_a_replay_cannot_count_twice(farm):
    pack = [{"sensor": "gh1-h1", "ts": OLD.timestamp() + 60 * i, "value": 60 + i} for i in range(3)]
    assert ingest(pack).stored == 3  # old, but its hour is not summarised yet: kept for the next purge
    retention.run()
    assert ReadingHour.objects.get(sensor=farm.humidity, hour=OLD).count == 3
    again = ingest(pack)
    assert (again.stored, again.rejected) == (0, 3)
    assert "保留期" in again.errors[0]
    retention.run()
    assert ReadingHour.objects.get(sensor=farm.humidity, hour=OLD).count == 3


@time_machine.travel(NOW, tick=False)
def test_the_readings_api_serves_hourly_means_before_the_raw_window_and_raw_readings_after(farm, api_for):
    cutoff = retention.raw_cutoff()
    before = cutoff - dt.timedelta(hours=2)
    readings(farm.temp, before, [10, 12, 14, 16, 20, 22, 24, 26])  # two hours before the cutoff
    readings(farm.temp, cutoff, [30, 31])  # the first raw half hour inside the window
    retention.run()
    api = api_for(farm.w.admin)
    url = f"/api/v1/iot/sensors/{farm.temp.pk}/readings/"
    start, end = before, cutoff + dt.timedelta(hours=1)
    body = api.get(url, {"start": start.isoformat(), "end": end.isoformat()}).json()
    assert [(p["value"], p.get("count")) for p in body] == [(13, 4), (23, 4), (30, None), (31, None)]
    assert body[0]["min"] == 10 and body[0]["max"] == 16
    old = api.get(url, {"start": OLD.isoformat(), "end": (OLD + dt.timedelta(days=1)).isoformat()})
    assert old.status_code == 200 and old.json() == []


def test_dead_letters_set_aside_leave_after_the_window_unless_seen_again(settings):
    """A message set aside and never delivered again is deleted by the retention job once it has not been seen for
    IOT_DEAD_LETTER_DAYS; one that failed recently, or was never set aside (still being retried), stays."""
    from minsheng.iot.models import DeadLetter

    settings.IOT_DEAD_LETTER_DAYS = 30

    def letter(name, last_seen_days_ago, aside=True):
        seen = NOW - dt.timedelta(days=last_seen_days_ago)
        return DeadLetter.objects.create(
            digest=name.ljust(64, "0"),
            topic=f"minsheng/c1/{name}",
            payload=b"{",
            error="bad json",
            deliveries=3,
            first_seen=seen - dt.timedelta(days=1),
            last_seen=seen,
            set_aside_at=seen if aside else None,
        )

    letter("old", 31)
    kept = [letter("recent", 29), letter("retrying", 40, aside=False)]
    assert retention.purge_dead_letters(NOW) == 1
    assert set(DeadLetter.objects.values_list("pk", flat=True)) == {k.pk for k in kept}
    with time_machine.travel(NOW, tick=False):
        assert retention.run()["dead_letters"] == 0
