"""Threshold rules (bloom stage defaults: day 16–20 °C, night ≥ 5 °C, critical 10 °C beyond, 10 minutes,
hysteresis 0.5 °C), the offline check, and critical alarms opening one case."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError

from minsheng.core import clock
from minsheng.iot import rules
from minsheng.iot.choices import AlarmStatus, AlarmType, GrowthStage, SensorKind, Severity
from minsheng.iot.ingest import ingest
from minsheng.iot.models import Alarm, RuleState, Sensor, Threshold

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"2026-04-10T{text}").replace(tzinfo=TZ)


def feed(sensor, when: dt.datetime, value: float):
    stats = ingest({"sensor": sensor.code, "ts": when.isoformat(), "value": value})
    assert stats.stored == 1, stats.errors


@pytest.fixture
def temp(farm):
    farm.temp.calibration_offset = 0
    farm.temp.save()
    return farm.temp


def active(sensor, type=AlarmType.THRESHOLD):
    return Alarm.objects.filter(sensor=sensor, type=type, status=AlarmStatus.ACTIVE).first()


def test_a_breach_raises_only_after_lasting_the_duration_and_repeats_count(temp):
    feed(temp, at("10:00"), 22)
    feed(temp, at("10:05"), 22.5)
    assert active(temp) is None
    # the duration's start is in the database: each ingest above reloaded it, as after a restart
    assert RuleState.objects.get(sensor=temp).breach_since == at("10:00")
    feed(temp, at("10:10"), 23)
    alarm = active(temp)
    assert (alarm.severity, alarm.count, alarm.started_at) == (Severity.MAJOR, 1, at("10:10"))
    feed(temp, at("10:11"), 23)
    alarm.refresh_from_db()
    assert (alarm.count, alarm.last_at) == (2, at("10:11"))
    assert Alarm.objects.count() == 1


def test_a_value_back_in_range_restarts_the_duration(temp):
    feed(temp, at("10:00"), 22)
    feed(temp, at("10:05"), 19)
    feed(temp, at("10:12"), 22)
    assert active(temp) is None
    feed(temp, at("10:22"), 22)
    assert active(temp) is not None


def test_hysteresis_keeps_the_alarm_until_clearly_back(temp):
    feed(temp, at("10:00"), 22)
    feed(temp, at("10:10"), 22)
    alarm = active(temp)
    feed(temp, at("10:11"), 19.8)  # inside the range, but within the 0.5 °C deadband
    assert active(temp) == alarm
    feed(temp, at("10:12"), 19.4)
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLEARED and alarm.cleared_at == at("10:12")
    feed(temp, at("10:13"), 22)
    feed(temp, at("10:23"), 22)
    assert active(temp) != alarm  # a breach after clearing is a new alarm
    assert Alarm.objects.filter(sensor=temp).count() == 2


@pytest.mark.parametrize(
    ("when", "value", "expected"),
    [
        ("12:00", 18, None),  # day 16–20
        ("12:00", 21, Severity.MAJOR),
        ("12:00", 30, Severity.CRITICAL),  # pollen viability drops at ≥ 30 °C
        ("05:59", 8, None),  # still night (from 18:00 across midnight): ≥ 5
        ("06:00", 8, Severity.MAJOR),  # day has begun: 8 < 16
        ("17:59", 6, Severity.CRITICAL),  # 6 ≤ 16 − 10
        ("18:00", 6, None),  # night again
        ("23:30", 4, Severity.MAJOR),
        ("00:30", 4, Severity.MAJOR),
    ],
)
def test_day_and_night_windows_in_shanghai_time(farm, when, value, expected):
    threshold = Threshold.objects.get(
        threshold_set__crop="大樱桃", threshold_set__stage=GrowthStage.BLOOM, kind=SensorKind.AIR_TEMP
    )
    severity, _ = rules.judge(threshold, at(when).astimezone(dt.UTC), value)
    assert severity == expected


def test_the_night_window_crossing_midnight_raises_after_the_duration(temp):
    feed(temp, at("23:55"), 3)
    feed(temp, at("23:55") + dt.timedelta(minutes=10), 3)  # 00:05 the next day, still night
    assert active(temp).details["min"] == 5


def test_the_highest_severity_wins_and_escalation_opens_one_case(temp, farm):
    from minsheng.cases.models import Case

    feed(temp, at("12:00"), 21)
    feed(temp, at("12:10"), 21)
    alarm = active(temp)
    assert alarm.severity == Severity.MAJOR and alarm.case is None
    feed(temp, at("12:11"), 31)
    feed(temp, at("12:12"), 32)
    alarm.refresh_from_db()
    assert alarm.severity == Severity.CRITICAL
    case = Case.objects.get()
    assert alarm.case == case
    assert (case.kind.code, case.channel, case.node, case.source) == ("alarm", "system", farm.village, alarm)
    assert case.category.code == "02"
    # a second sensor of the same greenhouse going critical joins the open case
    other = Sensor.objects.create(
        code="gh1-t2", greenhouse=farm.greenhouse, kind=SensorKind.AIR_TEMP, unit="Cel"
    )
    feed(other, at("12:00"), 33)
    feed(other, at("12:10"), 33)
    assert active(other).case == case
    assert Case.objects.count() == 1


def test_one_active_alarm_per_sensor_and_type_is_a_database_rule(temp):
    feed(temp, at("10:00"), 22)
    feed(temp, at("10:10"), 22)
    alarm = active(temp)
    with pytest.raises(IntegrityError):
        Alarm.objects.create(
            sensor=temp,
            greenhouse=alarm.greenhouse,
            type=AlarmType.THRESHOLD,
            severity=Severity.MINOR,
            started_at=alarm.started_at,
            last_at=alarm.started_at,
        )


def test_silent_sensors_raise_offline_once_and_clear_when_they_speak(temp, farm):
    feed(temp, at("10:00"), 18)
    with clock.at(at("10:20")):
        assert rules.check_offline() == 0
    with clock.at(at("10:31")):
        assert rules.check_offline() == 1
        assert rules.check_offline() == 0  # already active
    offline = active(temp, AlarmType.OFFLINE)
    assert offline.severity == Severity.MINOR
    assert active(farm.humidity, AlarmType.OFFLINE) is None  # never seen: not silent but not installed yet
    feed(temp, at("10:40"), 18)
    offline.refresh_from_db()
    assert offline.status == AlarmStatus.CLEARED


def test_a_replayed_breach_is_not_counted_again(temp):
    feed(temp, at("10:00"), 22)
    feed(temp, at("10:10"), 22)
    again = ingest({"sensor": temp.code, "ts": at("10:10").isoformat(), "value": 22})
    assert again.duplicates == 1
    assert active(temp).count == 1
