"""Thresholds inherited greenhouse → cluster → the crop's default set, the cached configuration, and the day and
night windows across midnight (bloom defaults: day 16–20 °C, night ≥ 5 °C, 10 minutes)."""

import datetime as dt
import pickle
from zoneinfo import ZoneInfo

import pytest
import time_machine

from minsheng.iot import rules
from minsheng.iot.choices import AlarmStatus, AlarmType, GrowthStage, SensorKind, Severity
from minsheng.iot.ingest import ingest
from minsheng.iot.models import Alarm, ThresholdOverride

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
TEMP = SensorKind.AIR_TEMP


def at(text: str, day: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(f"2026-04-{day:02d}T{text}").replace(tzinfo=TZ)


def feed(sensor, when: dt.datetime, value: float):
    stats = ingest({"sensor": sensor.code, "ts": when.isoformat(), "value": value})
    assert stats.stored == 1, stats.errors


def active(sensor, type=AlarmType.THRESHOLD):
    return Alarm.objects.filter(sensor=sensor, type=type, status=AlarmStatus.ACTIVE).first()


@pytest.fixture
def temp(farm):
    farm.temp.calibration_offset = 0
    farm.temp.save()
    return farm.temp


def window(sensor, moment):
    found = rules.effective_threshold(sensor, moment)
    return found.origin, found.low, found.high


def test_greenhouse_beats_cluster_beats_the_default_set(farm, temp):
    noon = at("12:00")
    assert window(temp, noon) == (rules.ORIGIN_DEFAULT, 16, 20)
    cluster_all = ThresholdOverride.objects.create(cluster=farm.cluster, kind=TEMP, day_min=14, day_max=22)
    assert window(temp, noon) == (rules.ORIGIN_CLUSTER, 14, 22)
    cluster_bloom = ThresholdOverride.objects.create(
        cluster=farm.cluster, stage=GrowthStage.BLOOM, kind=TEMP, day_min=13, day_max=23
    )
    assert window(temp, noon) == (rules.ORIGIN_CLUSTER, 13, 23)  # the stage's row beats the all-stages row
    mine = ThresholdOverride.objects.create(greenhouse=farm.greenhouse, kind=TEMP, day_min=15, day_max=25)
    # the greenhouse's all-stages row beats even the cluster's row for the stage
    found = rules.effective_threshold(temp, noon)
    assert (found.origin, found.limits.source_id, found.low, found.high) == (
        rules.ORIGIN_GREENHOUSE,
        mine.pk,
        15,
        25,
    )
    # an override for another stage does not apply; the humidity sensor keeps its default
    ThresholdOverride.objects.create(
        greenhouse=farm.greenhouse, stage=GrowthStage.EXPANSION, kind=TEMP, day_min=0, day_max=1
    )
    assert window(temp, noon) == (rules.ORIGIN_GREENHOUSE, 15, 25)
    assert window(farm.humidity, noon) == (rules.ORIGIN_DEFAULT, 50, 60)
    mine.delete()
    cluster_bloom.delete()
    assert window(temp, noon) == (rules.ORIGIN_CLUSTER, 14, 22)
    cluster_all.delete()
    assert window(temp, noon) == (rules.ORIGIN_DEFAULT, 16, 20)


def test_the_override_keeps_the_stage_day_window_and_the_rules_use_it(farm, temp):
    ThresholdOverride.objects.create(
        greenhouse=farm.greenhouse, kind=TEMP, day_min=15, day_max=25, night_min=2, duration_minutes=0
    )
    night = rules.effective_threshold(temp, at("19:00"))
    assert (night.is_day, night.low, night.high) == (False, 2, None)  # 18:00 night start of the bloom set
    feed(temp, at("12:00"), 22)  # a breach of the default, not of the override
    assert active(temp) is None
    feed(temp, at("12:01"), 26)  # duration 0: at once
    alarm = active(temp)
    assert (alarm.severity, alarm.details["origin"], alarm.details["max"]) == (
        Severity.MAJOR,
        "greenhouse",
        25,
    )


def test_a_dormant_greenhouse_has_no_default_but_an_all_stages_override_applies(farm, temp):
    farm.greenhouse.stage = GrowthStage.DORMANT
    farm.greenhouse.save()
    temp.refresh_from_db()
    assert rules.effective_threshold(temp, at("12:00")) is None
    feed(temp, at("12:00"), 40)
    assert active(temp) is None
    ThresholdOverride.objects.create(cluster=farm.cluster, kind=TEMP, day_max=35, night_max=35)
    found = rules.effective_threshold(temp, at("12:00"))
    assert (found.origin, found.high, found.limits.day_starts) == (
        rules.ORIGIN_CLUSTER,
        35,
        rules.DEFAULT_DAY_STARTS,
    )
    feed(temp, at("12:01"), 40)
    assert active(temp).details["origin"] == "cluster"


def test_the_configuration_is_cached_and_dropped_on_save(farm, temp, django_assert_num_queries):
    rules.load_config()
    with django_assert_num_queries(0):
        config = rules.load_config()
    assert rules.resolve(farm.greenhouse, TEMP, config).origin == rules.ORIGIN_DEFAULT
    assert pickle.loads(pickle.dumps(config)) == config  # what a Redis cache stores
    ThresholdOverride.objects.create(greenhouse=farm.greenhouse, kind=TEMP, day_min=1, day_max=2)
    assert rules.resolve(farm.greenhouse, TEMP).origin == rules.ORIGIN_GREENHOUSE


@pytest.mark.parametrize(
    ("moment", "is_day", "low", "high"),
    [
        (at("23:30"), False, 5, None),
        (at("00:30", day=11), False, 5, None),  # after midnight, still the night that began at 18:00
        (at("05:59", day=11), False, 5, None),
        (at("06:00", day=11), True, 16, 20),
        (at("17:59"), True, 16, 20),
    ],
)
def test_day_and_night_window_across_midnight_by_the_clock(temp, moment, is_day, low, high):
    with time_machine.travel(moment, tick=False):
        found = rules.effective_threshold(temp)  # no moment: now
    assert (found.is_day, found.low, found.high) == (is_day, low, high)


def test_a_night_breach_lasting_across_midnight_raises_with_the_night_limit(temp):
    for moment, value in ((at("23:55"), 3), (at("00:05", day=11), 3)):
        with time_machine.travel(moment, tick=False):
            stats = ingest({"sensor": temp.code, "value": value})  # no ts: stamped now
            assert stats.stored == 1
    alarm = active(temp)
    assert (alarm.started_at, alarm.details["min"]) == (at("00:05", day=11), 5)
