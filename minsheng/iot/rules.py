"""Threshold alarms by growth stage, with day and night windows, durations, hysteresis, and the offline check.

For each new reading (in time order per sensor): the greenhouse's crop and stage pick a ThresholdSet, the sensor's
kind picks a Threshold, the local time (Asia/Shanghai) picks the day or the night limits — the night running from
`night_starts` across midnight to `day_starts`. A value outside the limits is a breach; its severity is critical
beyond a limit by `critical_delta`, else the threshold's own (the highest matching wins). A breach raises only
after it has lasted `duration_minutes`; when the breach began is kept in RuleState, so a restart does not reset
the clock. An alarm clears only once the value is inside the limits by `hysteresis`.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from minsheng.core import clock

from . import actions
from .choices import AlarmStatus, AlarmType, Severity
from .models import Alarm, Reading, RuleState, Sensor, Threshold

SITE_TZ = ZoneInfo("Asia/Shanghai")
#: Minutes without a reading after which a sensor is offline (settings.IOT_OFFLINE_MINUTES).
DEFAULT_OFFLINE_MINUTES = 30


def is_day(moment: dt.datetime, day_starts: dt.time, night_starts: dt.time) -> bool:
    local = moment.astimezone(SITE_TZ).time()
    if day_starts <= night_starts:
        return day_starts <= local < night_starts
    return local >= day_starts or local < night_starts  # a "day" that itself crosses midnight


def limits(threshold: Threshold, moment: dt.datetime) -> tuple[float | None, float | None]:
    tset = threshold.threshold_set
    if is_day(moment, tset.day_starts, tset.night_starts):
        return threshold.day_min, threshold.day_max
    return threshold.night_min, threshold.night_max


def judge(threshold: Threshold, moment: dt.datetime, value: float) -> tuple[str | None, bool]:
    """(severity of the breach or None, whether the value is far enough inside to clear)."""
    low, high = limits(threshold, moment)
    below = low is not None and value < low
    above = high is not None and value > high
    if below or above:
        delta = threshold.critical_delta
        if delta is not None and ((below and value <= low - delta) or (above and value >= high + delta)):
            return Severity.CRITICAL, False
        return threshold.severity, False
    margin = threshold.hysteresis
    clear = (low is None or value >= low + margin) and (high is None or value <= high - margin)
    return None, clear


def _thresholds(sensors) -> dict[tuple[str, str, str], Threshold]:
    crops = {s.greenhouse.crop for s in sensors}
    stages = {s.greenhouse.stage for s in sensors}
    rows = Threshold.objects.select_related("threshold_set").filter(
        threshold_set__crop__in=crops, threshold_set__stage__in=stages
    )
    return {(t.threshold_set.crop, t.threshold_set.stage, t.kind): t for t in rows}


def evaluate(readings: list[Reading]) -> None:
    """Run the threshold rules over new readings and clear the offline alarms of sensors that spoke again."""
    if not readings:
        return
    sensor_ids = {r.sensor_id for r in readings}
    sensors = {s.pk: s for s in Sensor.objects.filter(pk__in=sensor_ids).select_related("greenhouse")}
    for alarm in Alarm.objects.filter(
        sensor_id__in=sensor_ids, type=AlarmType.OFFLINE, status=AlarmStatus.ACTIVE
    ):
        actions.clear(alarm, note=_back_online())
    thresholds = _thresholds(sensors.values())
    states = {
        s.sensor_id: s for s in RuleState.objects.filter(sensor_id__in=sensor_ids, type=AlarmType.THRESHOLD)
    }
    for reading in sorted(readings, key=lambda r: (r.sensor_id, r.ts)):
        sensor = sensors[reading.sensor_id]
        threshold = thresholds.get((sensor.greenhouse.crop, sensor.greenhouse.stage, sensor.kind))
        if threshold is None:
            continue
        state = states.get(sensor.pk)
        if state is None:
            state = states[sensor.pk] = RuleState(sensor=sensor, type=AlarmType.THRESHOLD)
        _step(sensor, threshold, state, reading)


def _step(sensor: Sensor, threshold: Threshold, state: RuleState, reading: Reading) -> None:
    severity, clear = judge(threshold, reading.ts, reading.value)
    if severity is None:
        if state.breach_since is not None:
            state.breach_since = None
            state.save()
        if clear:
            active = Alarm.objects.filter(sensor=sensor, type=AlarmType.THRESHOLD, status=AlarmStatus.ACTIVE)
            for alarm in active:
                actions.clear(alarm, at=reading.ts)
        return
    if state.breach_since is None or state.breach_since > reading.ts:
        state.breach_since = reading.ts
        state.save()
    if reading.ts - state.breach_since >= dt.timedelta(minutes=threshold.duration_minutes):
        low, high = limits(threshold, reading.ts)
        details = {"value": round(reading.value, 3), "min": low, "max": high, "ts": reading.ts.isoformat()}
        actions.raise_alarm(sensor, AlarmType.THRESHOLD, severity, at=reading.ts, details=details)


def _back_online() -> str:
    from django.utils.translation import gettext as _

    return _("传感器恢复上报，自动清除")


def check_offline() -> int:
    """Periodic job: raise an offline alarm for every active sensor silent for too long. Returns how many."""
    minutes = getattr(settings, "IOT_OFFLINE_MINUTES", DEFAULT_OFFLINE_MINUTES)
    now = clock.now()
    silent = (
        Sensor.objects.filter(is_active=True, last_seen__lt=now - dt.timedelta(minutes=minutes))
        .exclude(alarms__type=AlarmType.OFFLINE, alarms__status=AlarmStatus.ACTIVE)
        .select_related("greenhouse")
    )
    raised = 0
    for sensor in silent:
        details = {"last_seen": sensor.last_seen.isoformat(), "minutes": minutes}
        actions.raise_alarm(sensor, AlarmType.OFFLINE, Severity.MINOR, at=now, details=details)
        raised += 1
    return raised
