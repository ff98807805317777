"""Condition types beyond the duration: repeating, AND/OR combinations, clear-after-duration, stuck values,
spikes, escalation and de-escalation, and rule state that survives a restart of the consumer."""

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from minsheng.iot import rules
from minsheng.iot.choices import AlarmStatus, AlarmType, Comparison, Logic, SensorKind, Severity
from minsheng.iot.ingest import ingest
from minsheng.iot.models import (
    Alarm,
    CombinedCondition,
    CombinedRule,
    CombinedState,
    RuleState,
    ThresholdOverride,
)

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
TEMP, HUMIDITY = SensorKind.AIR_TEMP, SensorKind.AIR_HUMIDITY


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"2026-04-10T{text}").replace(tzinfo=TZ)


def feed(sensor, when: str, value: float):
    stats = ingest({"sensor": sensor.code, "ts": at(when).isoformat(), "value": value})
    assert stats.stored == 1, stats.errors


def active(sensor, type=AlarmType.THRESHOLD):
    return Alarm.objects.filter(sensor=sensor, type=type, status=AlarmStatus.ACTIVE).first()


def combined_alarm(farm):
    return Alarm.objects.filter(
        greenhouse=farm.greenhouse, type=AlarmType.COMBINED, status=AlarmStatus.ACTIVE
    ).first()


def notes(alarm) -> list[str]:
    return list(alarm.comments.values_list("text", flat=True))


@pytest.fixture
def temp(farm):
    farm.temp.calibration_offset = 0
    farm.temp.save()
    return farm.temp


def override(farm, **fields):
    values = {"kind": TEMP, "day_min": 16, "day_max": 20, "night_min": 5, "duration_minutes": 0} | fields
    return ThresholdOverride.objects.create(greenhouse=farm.greenhouse, **values)


def combined(
    farm,
    logic,
    severity=Severity.MAJOR,
    conditions=((TEMP, Comparison.GT, 30), (HUMIDITY, Comparison.GT, 80)),
    **fields,
):
    rule = CombinedRule.objects.create(
        name=f"高温高湿{logic}{severity}",
        greenhouse=farm.greenhouse,
        logic=logic,
        severity=severity,
        **fields,
    )
    for kind, comparison, value in conditions:
        CombinedCondition.objects.create(rule=rule, kind=kind, comparison=comparison, value=value)
    return rule


def test_repeating_raises_on_the_nth_reading_in_a_row(farm, temp):
    override(farm, repeat_count=3)
    feed(temp, "12:00", 21)
    feed(temp, "12:01", 21)
    feed(temp, "12:02", 19)  # back in range: the run starts again
    feed(temp, "12:03", 21)
    feed(temp, "12:04", 21)
    assert active(temp) is None
    assert RuleState.objects.get(sensor=temp).breach_count == 2
    feed(temp, "12:05", 21)
    alarm = active(temp)
    assert (alarm.started_at, alarm.details["readings"]) == (at("12:05"), 3)


def test_repeating_and_duration_together_need_both(farm, temp):
    override(farm, repeat_count=2, duration_minutes=10)
    feed(temp, "12:00", 21)
    feed(temp, "12:01", 21)  # two in a row, but one minute
    assert active(temp) is None
    feed(temp, "12:10", 21)
    assert active(temp) is not None


def test_and_needs_every_condition(farm, temp):
    combined(farm, Logic.AND)
    feed(temp, "12:00", 31)
    assert combined_alarm(farm) is None
    feed(farm.humidity, "12:01", 85)
    alarm = combined_alarm(farm)
    assert alarm.severity == Severity.MAJOR
    assert alarm.details["values"] == {TEMP: 31, HUMIDITY: 85}
    assert [r["name"] for r in alarm.details["rules"]] == ["高温高湿andmajor"]
    feed(farm.humidity, "12:02", 70)  # one condition no longer holds: cleared (no clear-after set)
    alarm.refresh_from_db()
    assert (alarm.status, alarm.cleared_at) == (AlarmStatus.CLEARED, at("12:02"))


def test_or_needs_any_condition_and_a_stale_value_does_not_count(farm, temp):
    combined(farm, Logic.OR)
    feed(temp, "11:00", 35)
    assert combined_alarm(farm) is not None
    feed(temp, "11:01", 25)
    assert combined_alarm(farm) is None
    feed(farm.humidity, "12:00", 85)
    assert combined_alarm(farm).details["values"] == {HUMIDITY: 85}  # the temperature of 11:01 is stale


def test_and_over_several_sensors_of_a_kind_uses_their_mean(farm, temp):
    from minsheng.iot.models import Sensor

    second = Sensor.objects.create(code="gh1-t2", greenhouse=farm.greenhouse, kind=TEMP, unit="Cel")
    combined(farm, Logic.AND, conditions=((TEMP, Comparison.GT, 30),))
    feed(temp, "12:00", 33)
    assert combined_alarm(farm) is not None
    feed(second, "12:01", 26)  # mean 29.5
    assert combined_alarm(farm) is None


def test_combined_duration_and_the_highest_severity_wins_with_de_escalation(farm, temp):
    combined(farm, Logic.OR, severity=Severity.WARNING, conditions=((HUMIDITY, Comparison.GT, 80),))
    combined(farm, Logic.AND, severity=Severity.MAJOR, duration_minutes=5)
    feed(farm.humidity, "12:00", 85)
    feed(temp, "12:01", 31)  # the AND rule holds from 12:01 but needs 5 minutes
    alarm = combined_alarm(farm)
    assert alarm.severity == Severity.WARNING
    feed(temp, "12:06", 31)
    alarm.refresh_from_db()
    assert alarm.severity == Severity.MAJOR
    feed(temp, "12:07", 25)
    alarm.refresh_from_db()
    assert alarm.severity == Severity.WARNING and alarm.status == AlarmStatus.ACTIVE
    assert "级别由警告变为重要" in notes(alarm) and "级别由重要变为警告" in notes(alarm)


def test_clear_after_duration_waits_for_the_value_to_stay_back(farm, temp):
    override(farm, clear_minutes=5)
    feed(temp, "12:00", 22)
    alarm = active(temp)
    feed(temp, "12:01", 18)
    feed(temp, "12:03", 18)
    feed(temp, "12:04", 22)  # breached again: the clear clock restarts, the same alarm counts on
    feed(temp, "12:05", 18)
    feed(temp, "12:09", 18)
    assert active(temp) == alarm
    feed(temp, "12:10", 18)
    alarm.refresh_from_db()
    assert (alarm.status, alarm.cleared_at, alarm.count) == (AlarmStatus.CLEARED, at("12:10"), 2)


def test_clear_after_duration_with_hysteresis_counts_only_clearly_inside(farm, temp):
    override(farm, clear_minutes=5, hysteresis=1)
    feed(temp, "12:00", 22)
    feed(temp, "12:01", 19.5)  # inside, but within the deadband: the clear clock does not start
    feed(temp, "12:06", 19.5)
    assert active(temp) is not None
    feed(temp, "12:07", 18)
    feed(temp, "12:12", 18)
    assert active(temp) is None


def test_stuck_by_readings_and_cleared_when_the_value_moves(farm, temp):
    override(farm, stuck_readings=4)
    for minute in range(3):
        feed(temp, f"12:0{minute}", 18)
    assert active(temp, AlarmType.STUCK) is None
    feed(temp, "12:03", 18)
    alarm = active(temp, AlarmType.STUCK)
    since = dt.datetime.fromisoformat(alarm.details["since"])
    assert (alarm.severity, alarm.details["readings"], since) == (Severity.MINOR, 4, at("12:00"))
    feed(temp, "12:04", 18)
    alarm.refresh_from_db()
    assert alarm.count == 2
    feed(temp, "12:05", 18.2)
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLEARED


def test_stuck_by_minutes(farm, temp):
    override(farm, stuck_minutes=30)
    feed(temp, "12:00", 18)
    feed(temp, "12:20", 18)
    assert active(temp, AlarmType.STUCK) is None
    feed(temp, "12:30", 18)
    assert active(temp, AlarmType.STUCK) is not None


def test_stuck_counts_only_while_the_sensor_reports(farm, temp):
    override(farm, stuck_minutes=30)
    feed(temp, "10:00", 18)
    feed(temp, "11:00", 18)  # silent for an hour (offline limit 30): a new run starts, not a stuck hour
    feed(temp, "11:20", 18)
    assert active(temp, AlarmType.STUCK) is None
    feed(temp, "11:30", 18)
    assert active(temp, AlarmType.STUCK).details["since"] == at("11:00").astimezone(dt.UTC).isoformat()


def test_spike_between_consecutive_readings(farm, temp):
    override(farm, spike_per_minute=2, day_max=40, severity=Severity.MINOR)
    feed(temp, "12:00", 18)
    feed(temp, "12:10", 28)  # 10 °C in 10 minutes: 1 °C/min
    feed(temp, "12:10:10", 29)  # 1 °C in ten seconds counts over a minute: 1 °C/min
    assert active(temp, AlarmType.SPIKE) is None
    feed(temp, "12:11", 35)
    alarm = active(temp, AlarmType.SPIKE)
    assert (alarm.severity, alarm.details["per_minute"], alarm.details["previous"]) == (Severity.MINOR, 6, 29)
    feed(temp, "12:12", 35.5)
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLEARED


def test_escalation_and_de_escalation_of_a_threshold_alarm_are_noted(farm, temp):
    override(farm, severity=Severity.WARNING, critical_delta=5)
    feed(temp, "12:00", 21)
    alarm = active(temp)
    assert alarm.severity == Severity.WARNING
    feed(temp, "12:01", 26)
    alarm.refresh_from_db()
    assert alarm.severity == Severity.CRITICAL and alarm.case_id is not None
    feed(temp, "12:02", 21.5)
    alarm.refresh_from_db()
    assert (alarm.severity, alarm.count) == (Severity.WARNING, 3)
    log = notes(alarm)
    assert log.index("级别由警告变为紧急") < log.index("级别由紧急变为警告")


def restart():
    """What a consumer restart leaves: no process memory, no cache; the rules module loaded afresh."""
    cache.clear()
    importlib.reload(rules)


def test_state_survives_a_restart(farm, temp):
    override(farm, duration_minutes=10, repeat_count=3, clear_minutes=5, stuck_readings=5)
    combined(farm, Logic.AND, duration_minutes=10)
    feed(farm.humidity, "12:00", 85)
    feed(temp, "12:00", 31)
    feed(temp, "12:05", 31)
    restart()
    feed(temp, "12:10", 31)  # the third in a row, ten minutes after the first: both clocks kept their start
    assert active(temp).started_at == at("12:10")
    assert combined_alarm(farm).started_at == at("12:10")
    assert CombinedState.objects.get().since == at("12:00")
    feed(temp, "12:11", 18)
    restart()
    feed(temp, "12:16", 18)  # back in range since 12:11: five minutes
    assert active(temp) is None
    state = RuleState.objects.get(sensor=temp)
    assert (state.last_value, state.same_count, state.same_since) == (18, 2, at("12:11"))


def test_a_late_reading_is_stored_but_not_evaluated(farm, temp):
    override(farm, repeat_count=2)
    feed(temp, "12:05", 21)
    feed(temp, "12:00", 21)  # older than what the rules have seen
    assert active(temp) is None
    assert RuleState.objects.get(sensor=temp).breach_count == 1


def test_a_batch_costs_a_bounded_number_of_queries(farm, temp, django_assert_max_num_queries):
    from minsheng.iot.models import Reading, Sensor

    sensors = [
        Sensor.objects.create(code=f"gh1-x{i}", greenhouse=farm.greenhouse, kind=TEMP, unit="Cel")
        for i in range(20)
    ]
    rules.load_config()
    readings = Reading.objects.bulk_create(
        [
            Reading(sensor=s, ts=at("12:00") + dt.timedelta(seconds=n), value=18)
            for s in sensors
            for n in range(10)
        ]
    )
    with django_assert_max_num_queries(10):
        rules.evaluate(readings)
    assert RuleState.objects.filter(sensor__in=sensors).count() == 20


def batch(pairs):
    """Store readings directly and evaluate them as one batch, as the consumer does."""
    from minsheng.iot.models import Reading

    readings = Reading.objects.bulk_create([Reading(sensor=s, ts=at(t), value=v) for s, t, v in pairs])
    rules.evaluate(readings)


def test_repeats_of_many_active_alarms_cost_one_update(farm, temp, django_assert_max_num_queries):
    from minsheng.iot.models import Reading, Sensor

    override(farm)
    sensors = [
        Sensor.objects.create(code=f"gh1-x{i}", greenhouse=farm.greenhouse, kind=TEMP, unit="Cel")
        for i in range(30)
    ]
    batch([(s, "12:00", 25) for s in sensors])
    assert Alarm.objects.filter(status=AlarmStatus.ACTIVE).count() == 30
    readings = Reading.objects.bulk_create(
        [Reading(sensor=s, ts=at(t), value=26) for s in sensors for t in ("12:01", "12:02")]
    )
    with django_assert_max_num_queries(12):
        rules.evaluate(readings)
    for alarm in Alarm.objects.all():
        assert (alarm.count, alarm.last_at, alarm.details["value"]) == (3, at("12:02"), 26)


def test_escalation_and_back_within_one_batch_keep_their_order(farm, temp):
    override(farm, severity=Severity.WARNING, critical_delta=5)
    feed(temp, "12:00", 21)
    batch([(temp, "12:01", 21), (temp, "12:02", 26), (temp, "12:03", 21), (temp, "12:04", 21)])
    alarm = active(temp)
    assert (alarm.severity, alarm.count, alarm.last_at) == (Severity.WARNING, 5, at("12:04"))
    log = notes(alarm)
    assert log.index("级别由警告变为紧急") < log.index("级别由紧急变为警告")


def test_a_repeat_of_an_alarm_a_person_cleared_meanwhile_raises_a_new_one(farm, temp, monkeypatch):
    from minsheng.iot import actions

    override(farm)
    feed(temp, "12:00", 21)
    first = active(temp)
    real = actions.count_repeats

    def person_clears_first(repeats):
        actions.clear(first, actor=farm.w.admin)
        return real(repeats)

    monkeypatch.setattr(actions, "count_repeats", person_clears_first)
    batch([(temp, "12:01", 21)])
    first.refresh_from_db()
    assert (first.status, first.count) == (AlarmStatus.CLEARED, 1)
    assert active(temp).started_at == at("12:01")


def test_alarms_whose_rule_goes_away_are_cleared_with_a_note(farm, temp):
    from minsheng.iot.choices import GrowthStage
    from minsheng.iot.models import Sensor

    mine = override(farm, spike_per_minute=2)
    rule = combined(farm, Logic.OR, conditions=((HUMIDITY, Comparison.GT, 80),))
    feed(farm.humidity, "12:00", 85)
    feed(temp, "12:00", 18)
    feed(temp, "12:01", 25)
    spike, both = active(temp, AlarmType.SPIKE), combined_alarm(farm)
    assert spike is not None and both.sensor == temp  # the greenhouse's first sensor carries it
    # the carrier stops reporting (switched off): the alarm stays with it, no second one appears
    Sensor.objects.filter(pk=temp.pk).update(is_active=False)
    feed(farm.humidity, "12:02", 86)
    assert Alarm.objects.filter(type=AlarmType.COMBINED, status=AlarmStatus.ACTIVE).get() == both
    Sensor.objects.filter(pk=temp.pk).update(is_active=True)
    rule.is_active = False
    rule.save()
    feed(farm.humidity, "12:03", 87)
    both.refresh_from_db()
    assert both.status == AlarmStatus.CLEARED and "组合规则已停用" in notes(both)[-1]
    mine.spike_per_minute = None
    mine.save()
    feed(temp, "12:04", 32)
    spike.refresh_from_db()
    assert spike.status == AlarmStatus.CLEARED and "检查已关闭" in notes(spike)[-1]
    threshold = active(temp)
    farm.greenhouse.stage = GrowthStage.DORMANT
    farm.greenhouse.save()
    mine.delete()
    feed(temp, "12:05", 32)
    threshold.refresh_from_db()
    assert threshold.status == AlarmStatus.CLEARED and "没有适用的阈值" in notes(threshold)[-1]
