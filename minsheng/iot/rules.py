"""Alarm rules: thresholds by growth stage with inheritance, condition types, stuck and spike checks, combined
AND/OR rules, and the offline check.

**Which threshold.** For a sensor, the effective threshold of its kind is the greenhouse's override, else its
cluster's, else the crop's default set for the greenhouse's stage (an override for the stage beats an override
for all stages at the same level). `effective_threshold()` says which one is in force and where it came from.
The local time (Asia/Shanghai) picks the day or the night limits — the night running from `night_starts` across
midnight to `day_starts`.

**Raising.** A value outside the limits is a breach; its severity is critical beyond a limit by `critical_delta`,
else the threshold's own (the highest matching wins). A breach raises once it has lasted `duration_minutes` AND
`repeat_count` readings in a row (either 0 = not required; both 0 = a simple condition). Repeats of an active
alarm count, and its severity follows the latest evaluation (escalation / de-escalation, each noted on the alarm
by `actions.raise_alarm`).

**Clearing.** Only once the value is inside the limits by `hysteresis`, and has stayed there `clear_minutes`.

**Stuck and spike.** The same value for `stuck_readings` readings or `stuck_minutes` minutes raises a 次要
`stuck` alarm (cleared by the next different value); a change faster than `spike_per_minute` between consecutive
readings (over at least one minute) raises a `spike` alarm at the threshold's severity, cleared after
`clear_minutes` without another spike.

**Combined rules** (CombinedRule): conditions over sensor kinds of one greenhouse joined by AND or OR, with the
same duration / repeating / clear-after conditions. A greenhouse has at most one active `combined` alarm, carried
by its first active sensor; when several rules hold, the highest severity wins and the details name them all.

**State** lives in the database only (RuleState per sensor, CombinedState per rule and greenhouse), read once and
written once per batch, so a restart of the consumer continues where it stopped. Readings older than the newest
one the rules have seen for a sensor (late arrivals) are stored but not evaluated. The configuration is cached
(core.tablecache) and dropped whenever a threshold, override or rule is saved.
"""

import datetime as dt
import logging
import operator
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from minsheng.core import bulk, clock
from minsheng.core.tablecache import cached_table

from . import actions, alerts
from .choices import RANK, AlarmStatus, AlarmType, Comparison, Logic, Severity
from .models import (
    Alarm,
    CombinedCondition,
    CombinedRule,
    CombinedState,
    Greenhouse,
    RuleState,
    Sensor,
    Threshold,
    ThresholdOverride,
    ThresholdSet,
)

log = logging.getLogger(__name__)

SITE_TZ = ZoneInfo("Asia/Shanghai")
#: Minutes without a reading after which a sensor is offline (settings.IOT_OFFLINE_MINUTES).
DEFAULT_OFFLINE_MINUTES = 30
#: The day window when no default set gives one (an override for a stage without a default set).
DEFAULT_DAY_STARTS = dt.time(6)
DEFAULT_NIGHT_STARTS = dt.time(18)
#: Two values closer than this are "the same" for the stuck check.
SAME_EPSILON = 1e-6
STUCK_SEVERITY = Severity.MINOR

ORIGIN_GREENHOUSE = "greenhouse"
ORIGIN_CLUSTER = "cluster"
ORIGIN_DEFAULT = "default"

#: The threshold's fields, in the order the page shows them.
LIMIT_FIELDS = (
    "day_min",
    "day_max",
    "night_min",
    "night_max",
    "severity",
    "critical_delta",
    "duration_minutes",
    "hysteresis",
    "repeat_count",
    "clear_minutes",
    "stuck_readings",
    "stuck_minutes",
    "spike_per_minute",
)


@dataclass(frozen=True)
class Limits:
    """A threshold row (default or override) as plain, cacheable data, with the day window it runs in."""

    kind: str
    day_min: float | None = None
    day_max: float | None = None
    night_min: float | None = None
    night_max: float | None = None
    severity: str = Severity.MAJOR
    critical_delta: float | None = None
    duration_minutes: int = 0
    hysteresis: float = 0.0
    repeat_count: int = 0
    clear_minutes: int = 0
    stuck_readings: int = 0
    stuck_minutes: int = 0
    spike_per_minute: float | None = None
    day_starts: dt.time = DEFAULT_DAY_STARTS
    night_starts: dt.time = DEFAULT_NIGHT_STARTS
    #: ORIGIN_GREENHOUSE / ORIGIN_CLUSTER / ORIGIN_DEFAULT, the row's pk, and (overrides) the stage it is for
    origin: str = ORIGIN_DEFAULT
    source_id: int | None = None
    stage: str = ""

    @classmethod
    def of(cls, row, origin: str, **extra) -> "Limits":
        return cls(
            kind=row.kind,
            origin=origin,
            source_id=row.pk,
            **{name: getattr(row, name) for name in LIMIT_FIELDS},
            **extra,
        )


@dataclass(frozen=True)
class Effective:
    """The threshold in force for a sensor kind at a moment, and where it comes from."""

    limits: Limits
    is_day: bool
    low: float | None
    high: float | None

    @property
    def origin(self) -> str:
        return self.limits.origin


@dataclass(frozen=True)
class CombinedSpec:
    id: int
    name: str
    cluster_id: int | None
    greenhouse_id: int | None
    logic: str
    severity: str
    duration_minutes: int
    repeat_count: int
    clear_minutes: int
    conditions: tuple[tuple[str, str, float], ...]

    def applies_to(self, greenhouse) -> bool:
        if self.greenhouse_id is not None:
            return self.greenhouse_id == greenhouse.pk
        if self.cluster_id is not None:
            return self.cluster_id == greenhouse.cluster_id
        return True


@dataclass
class Config:
    defaults: dict = field(default_factory=dict)  # (crop, stage, kind) -> Limits
    windows: dict = field(default_factory=dict)  # (crop, stage) -> (day_starts, night_starts)
    by_greenhouse: dict = field(default_factory=dict)  # (greenhouse id, stage or "", kind) -> Limits
    by_cluster: dict = field(default_factory=dict)  # (cluster id, stage or "", kind) -> Limits
    combined: list = field(default_factory=list)  # CombinedSpec, active rules with conditions only


def _load_config() -> Config:
    config = Config()
    for tset in ThresholdSet.objects.all():
        config.windows[tset.crop, tset.stage] = (tset.day_starts, tset.night_starts)
    for row in Threshold.objects.select_related("threshold_set"):
        tset = row.threshold_set
        config.defaults[tset.crop, tset.stage, row.kind] = Limits.of(
            row, ORIGIN_DEFAULT, day_starts=tset.day_starts, night_starts=tset.night_starts, stage=tset.stage
        )
    for row in ThresholdOverride.objects.all():
        if row.greenhouse_id is not None:
            config.by_greenhouse[row.greenhouse_id, row.stage, row.kind] = Limits.of(
                row, ORIGIN_GREENHOUSE, stage=row.stage
            )
        else:
            config.by_cluster[row.cluster_id, row.stage, row.kind] = Limits.of(
                row, ORIGIN_CLUSTER, stage=row.stage
            )
    conditions = defaultdict(list)
    for cond in CombinedCondition.objects.filter(rule__is_active=True).order_by("pk"):
        conditions[cond.rule_id].append((cond.kind, cond.comparison, cond.value))
    for rule in CombinedRule.objects.filter(is_active=True).order_by("pk"):
        if conditions.get(rule.pk):
            config.combined.append(
                CombinedSpec(
                    id=rule.pk,
                    name=rule.name,
                    cluster_id=rule.cluster_id,
                    greenhouse_id=rule.greenhouse_id,
                    logic=rule.logic,
                    severity=rule.severity,
                    duration_minutes=rule.duration_minutes,
                    repeat_count=rule.repeat_count,
                    clear_minutes=rule.clear_minutes,
                    conditions=tuple(conditions[rule.pk]),
                )
            )
    return config


CONFIG_MODELS = (ThresholdSet, Threshold, ThresholdOverride, CombinedRule, CombinedCondition)


def load_config() -> Config:
    """The whole rule configuration, cached until any of its tables changes."""
    return cached_table("iot.rules", CONFIG_MODELS, _load_config)


def resolve(greenhouse: Greenhouse, kind: str, config: Config | None = None) -> Limits | None:
    """The threshold in force for `kind` in `greenhouse`: greenhouse override → cluster override → default."""
    config = config or load_config()
    stage = greenhouse.stage
    window = config.windows.get((greenhouse.crop, stage), (DEFAULT_DAY_STARTS, DEFAULT_NIGHT_STARTS))
    for table, owner in ((config.by_greenhouse, greenhouse.pk), (config.by_cluster, greenhouse.cluster_id)):
        if owner is None:
            continue
        for for_stage in (stage, ""):
            hit = table.get((owner, for_stage, kind))
            if hit is not None:
                return replace(hit, day_starts=window[0], night_starts=window[1])
    return config.defaults.get((greenhouse.crop, stage, kind))


def effective_threshold(sensor: Sensor, moment: dt.datetime | None = None) -> Effective | None:
    """The threshold for `sensor` at `moment` (default now): its limits then, day or night, and its origin."""
    moment = moment or clock.now()
    found = resolve(sensor.greenhouse, sensor.kind)
    if found is None:
        return None
    day = is_day(moment, found.day_starts, found.night_starts)
    low, high = limits(found, moment)
    return Effective(limits=found, is_day=day, low=low, high=high)


def is_day(moment: dt.datetime, day_starts: dt.time, night_starts: dt.time) -> bool:
    local = moment.astimezone(SITE_TZ).time()
    if day_starts <= night_starts:
        return day_starts <= local < night_starts
    return local >= day_starts or local < night_starts  # a "day" that itself crosses midnight


def window_of(threshold) -> tuple[dt.time, dt.time]:
    """The (day starts, night starts) times a threshold row or resolved `Limits` runs in."""
    if isinstance(threshold, Limits):
        return threshold.day_starts, threshold.night_starts
    tset = threshold.threshold_set
    return tset.day_starts, tset.night_starts


def limits(threshold, moment: dt.datetime) -> tuple[float | None, float | None]:
    """(low, high) at `moment` for a Threshold row or Limits."""
    if is_day(moment, *window_of(threshold)):
        return threshold.day_min, threshold.day_max
    return threshold.night_min, threshold.night_max


def judge(threshold, moment: dt.datetime, value: float) -> tuple[str | None, bool]:
    """(severity of the breach or None, whether the value is far enough inside to clear)."""
    low, high = limits(threshold, moment)
    below = low is not None and value < low
    above = high is not None and value > high
    if below or above:
        delta = threshold.critical_delta
        if delta is not None and ((below and value <= low - delta) or (above and value >= high + delta)):
            return Severity.CRITICAL, False
        return threshold.severity, False
    margin = threshold.hysteresis or 0.0
    clear = (low is None or value >= low + margin) and (high is None or value <= high - margin)
    return None, clear


# --- evaluation -------------------------------------------------------------------------------------------------

COMPARE = {
    Comparison.GT: operator.gt,
    Comparison.GE: operator.ge,
    Comparison.LT: operator.lt,
    Comparison.LE: operator.le,
}
STATE_FIELDS = [
    "breach_since",
    "breach_count",
    "clear_since",
    "last_ts",
    "last_value",
    "same_since",
    "same_count",
    "spike_at",
]
COMBINED_STATE_FIELDS = ["since", "count", "clear_since"]
RULE_TYPES = (AlarmType.THRESHOLD, AlarmType.STUCK, AlarmType.SPIKE, AlarmType.COMBINED)


def _offline_minutes() -> int:
    return getattr(settings, "IOT_OFFLINE_MINUTES", DEFAULT_OFFLINE_MINUTES)


def _minutes(n: int | float) -> dt.timedelta:
    return dt.timedelta(minutes=n or 0)


class Place(NamedTuple):
    """A greenhouse as the rules read it (what `resolve` and `CombinedSpec.applies_to` need)."""

    pk: int
    stage: str
    crop: str
    cluster_id: int | None


class _State:
    """A sensor's threshold RuleState as plain attributes: read once and written once per batch."""

    __slots__ = ("sensor_id", *STATE_FIELDS)

    def __init__(
        self,
        sensor_id: int,
        breach_since=None,
        breach_count: int = 0,
        clear_since=None,
        last_ts=None,
        last_value=None,
        same_since=None,
        same_count: int = 0,
        spike_at=None,
    ):
        self.sensor_id = sensor_id
        self.breach_since, self.breach_count, self.clear_since = breach_since, breach_count, clear_since
        self.last_ts, self.last_value = last_ts, last_value
        self.same_since, self.same_count, self.spike_at = same_since, same_count, spike_at

    def row(self) -> tuple:
        return (self.sensor_id, AlarmType.THRESHOLD, *(getattr(self, name) for name in STATE_FIELDS))


class _Alarms:
    """The active alarms of a batch by (sensor id, type), loaded once; raising and clearing go through actions.

    A repeat that changes nothing but the count (same severity) is collected and written for the whole batch in
    one UPDATE (`actions.count_repeats`); anything else — a new alarm, a change of severity, a clear — first
    writes the alarm's pending repeats, then goes through its action, so the order of events is kept. The sensor
    rows (with their greenhouse) are read only for an alarm that is raised or changes.
    """

    def __init__(self, sensor_ids, greenhouse_ids):
        rows = Alarm.objects.filter(
            Q(sensor_id__any=sensor_ids) | Q(greenhouse_id__any=greenhouse_ids, type=AlarmType.COMBINED),
            status=AlarmStatus.ACTIVE,
            type__in=(*RULE_TYPES, AlarmType.OFFLINE),
        ).only("pk", "sensor_id", "greenhouse_id", "type", "severity", "case_id", "status")
        self.active = {(a.sensor_id, a.type): a for a in rows}
        #: offline alarms of sensors that have spoken again
        self.offline = [self.active.pop(key) for key in list(self.active) if key[1] == AlarmType.OFFLINE]
        #: the active combined alarm of each greenhouse, whichever sensor carries it
        self.combined = {a.greenhouse_id: a for a in self.active.values() if a.type == AlarmType.COMBINED}
        #: alarm pk -> [repeats, newest at, details, sensor id, type, severity]
        self.pending: dict[int, list] = {}
        self._sensors: dict[int, Sensor] = {}

    def get(self, sensor_id: int, type: str) -> Alarm | None:
        return self.active.get((sensor_id, type))

    def raise_(self, sensor_id: int, type: str, severity: str, *, at, details: dict) -> None:
        alarm = self.active.get((sensor_id, type))
        quiet = alarm is not None and alarm.severity == severity
        if quiet and not (severity == Severity.CRITICAL and alarm.case_id is None):
            entry = self.pending.setdefault(alarm.pk, [0, at, details, sensor_id, type, severity])
            entry[0] += 1
            if at >= entry[1]:
                entry[1], entry[2] = at, details
            return
        if alarm is not None and alarm.pk in self.pending:
            self._flush({alarm.pk: self.pending.pop(alarm.pk)})
        self._raise(sensor_id, type, severity, at=at, details=details)

    def _raise(self, sensor_id: int, type: str, severity: str, *, at, details: dict) -> None:
        sensor = self._sensors.get(sensor_id)
        if sensor is None:
            sensor = self._sensors[sensor_id] = Sensor.objects.select_related("greenhouse").get(pk=sensor_id)
        alarm = actions.raise_alarm(sensor, type, severity, at=at, details=details)
        self.active[sensor_id, type] = alarm
        if type == AlarmType.COMBINED:
            self.combined[alarm.greenhouse_id] = alarm

    def clear(self, sensor_id: int, type: str, *, at, note: Callable[[], str] | None = None) -> None:
        """Clear the sensor's active alarm of `type`, if it has one (`note` words why, when there is one)."""
        alarm = self.active.pop((sensor_id, type), None)
        if alarm is not None:
            if type == AlarmType.COMBINED:
                self.combined.pop(alarm.greenhouse_id, None)
            if alarm.pk in self.pending:
                self._flush({alarm.pk: self.pending.pop(alarm.pk)})
            actions.clear(alarm, at=at, note=note() if note else "")

    def flush(self) -> None:
        pending, self.pending = self.pending, {}
        self._flush(pending)

    def _flush(self, pending: dict[int, list]) -> None:
        gone = actions.count_repeats({pk: (e[0], e[1], e[2]) for pk, e in pending.items()})
        for pk in gone:  # cleared by a person meanwhile: the breach goes on, so it is a new alarm
            _, at, details, sensor_id, type, severity = pending[pk]
            self._raise(sensor_id, type, severity, at=at, details=details)


def _order(reading) -> tuple:
    return reading.ts, reading.sensor_id


def evaluate(readings: list) -> None:
    """Run the rules over a batch of new readings (anything with `sensor_id`, `ts` and `value`: ingest's Points
    or Readings) and clear the offline alarms of sensors that spoke again.

    Queries per batch: the sensors with their greenhouses' stage, the active alarms, the rule states (and, with
    combined rules, the greenhouses' other sensors and the combined states), one write of the states — plus the
    alarm actions for what changes.
    """
    if not readings:
        return
    sensor_ids = {r.sensor_id for r in readings}
    kinds: dict[int, str] = {}
    home: dict[int, int] = {}
    places: dict[int, Place] = {}
    for pk, kind, gh_id, stage, crop, cluster_id in bulk.values(
        Sensor.objects.filter(pk__any=sensor_ids),
        *("pk", "kind", "greenhouse_id", "greenhouse__stage", "greenhouse__crop", "greenhouse__cluster_id"),
    ):
        kinds[pk], home[pk] = kind, gh_id
        if gh_id not in places:
            places[gh_id] = Place(gh_id, stage, crop, cluster_id)
    config = load_config()
    combined = {}
    if config.combined:
        for gh_id, place in places.items():
            specs = [spec for spec in config.combined if spec.applies_to(place)]
            if specs:
                combined[gh_id] = specs
    peers: dict[int, list[Sensor]] = defaultdict(list)
    if combined:
        for peer in Sensor.objects.filter(greenhouse_id__in=combined, is_active=True).order_by("pk"):
            peers[peer.greenhouse_id].append(peer)
    with transaction.atomic(), alerts.batch():
        alarms = _Alarms(sensor_ids, set(places))
        for alarm in alarms.offline:
            actions.clear(alarm, note=_back_online())
        states = {
            row[0]: _State(*row)
            for row in bulk.values(
                RuleState.objects.filter(sensor_id__any=sensor_ids, type=AlarmType.THRESHOLD),
                *("sensor_id", *STATE_FIELDS),
            )
        }
        cstates = {
            (c.rule_id, c.greenhouse_id): c for c in CombinedState.objects.filter(greenhouse_id__in=combined)
        }
        by_greenhouse: dict[int, list] = defaultdict(list)
        for reading in sorted(readings, key=_order):
            by_greenhouse[home[reading.sensor_id]].append(reading)
        found: dict[tuple[int, str], Limits | None] = {}
        for gh_id, rows in by_greenhouse.items():
            gone = alarms.combined.get(gh_id) if gh_id not in combined else None
            if gone is not None:  # its rules were switched off or deleted
                alarms.clear(gone.sensor_id, AlarmType.COMBINED, at=rows[-1].ts, note=_no_rule)
            latest = _latest(peers.get(gh_id, []), sensor_ids, states) if gh_id in combined else {}
            for index, reading in enumerate(rows):
                sensor_id = reading.sensor_id
                state = states.get(sensor_id)
                if state is None:
                    state = states[sensor_id] = _State(sensor_id)
                if state.last_ts is not None and reading.ts <= state.last_ts:
                    continue  # a late arrival: stored, but the rules have moved past it
                key = (gh_id, kinds[sensor_id])
                if key not in found:
                    found[key] = resolve(places[gh_id], key[1], config)
                _step(sensor_id, found[key], state, reading, alarms)
                if gh_id in combined:
                    latest[sensor_id] = (reading.ts, reading.value)
                    if index + 1 == len(rows) or rows[index + 1].ts != reading.ts:
                        _combined(
                            places[gh_id], peers[gh_id], combined[gh_id], cstates, latest, reading.ts, alarms
                        )
        alarms.flush()
        bulk.upsert(RuleState, ["sensor", "type"], STATE_FIELDS, [state.row() for state in states.values()])
        bulk.upsert(
            CombinedState,
            ["rule", "greenhouse"],
            COMBINED_STATE_FIELDS,
            [
                (c.rule_id, c.greenhouse_id, *(getattr(c, f) for f in COMBINED_STATE_FIELDS))
                for c in cstates.values()
            ],
        )


def _latest(peers: list[Sensor], in_batch: set, states: dict) -> dict[int, tuple]:
    """Each sensor's newest (ts, value) before this batch: the rules' memory for the batch's sensors (the
    sensor row has already moved on to the batch's newest), the sensor row for the others."""
    latest = {}
    for peer in peers:
        if peer.pk in in_batch:
            state = states.get(peer.pk)
            if state is not None and state.last_ts is not None:
                latest[peer.pk] = (state.last_ts, state.last_value)
        elif peer.last_seen is not None and peer.last_value is not None:
            latest[peer.pk] = (peer.last_seen, peer.last_value)
    return latest


def _step(sensor_id: int, lim: Limits | None, state: _State, reading, alarms: _Alarms) -> None:
    ts, value = reading.ts, reading.value
    prev_ts, prev_value = state.last_ts, state.last_value
    # "The same value while the sensor reports": a silence longer than the offline limit starts a new run.
    same = (
        prev_value is not None
        and abs(value - prev_value) <= SAME_EPSILON
        and ts - prev_ts <= _minutes(_offline_minutes())
    )
    if same:
        state.same_count += 1
    else:
        state.same_since, state.same_count = ts, 1
    state.last_ts, state.last_value = ts, value
    if lim is None:
        state.breach_since, state.breach_count, state.clear_since = None, 0, None
        for type in (AlarmType.THRESHOLD, AlarmType.STUCK, AlarmType.SPIKE):
            alarms.clear(sensor_id, type, at=ts, note=_no_threshold)
        return
    _threshold(sensor_id, lim, state, ts, value, alarms)
    _stuck(sensor_id, lim, state, ts, value, alarms)
    if prev_ts is not None:
        _spike(sensor_id, lim, state, ts, value, prev_ts, prev_value, alarms)


def _threshold(sensor_id: int, lim: Limits, state: _State, ts, value: float, alarms: _Alarms) -> None:
    severity, back = judge(lim, ts, value)
    if severity is not None:
        state.clear_since = None
        if state.breach_since is None:
            state.breach_since, state.breach_count = ts, 0
        state.breach_count += 1
        lasted = ts - state.breach_since >= _minutes(lim.duration_minutes)
        if lasted and state.breach_count >= max(lim.repeat_count, 1):
            low, high = limits(lim, ts)
            details = {
                "value": round(value, 3),
                "min": low,
                "max": high,
                "ts": ts.isoformat(),
                "origin": lim.origin,
                "readings": state.breach_count,
            }
            alarms.raise_(sensor_id, AlarmType.THRESHOLD, severity, at=ts, details=details)
        return
    state.breach_since, state.breach_count = None, 0
    if alarms.get(sensor_id, AlarmType.THRESHOLD) is None or not back:
        state.clear_since = None  # nothing to clear, or still inside the deadband: the clear clock restarts
        return
    if state.clear_since is None:
        state.clear_since = ts
    if ts - state.clear_since >= _minutes(lim.clear_minutes):
        state.clear_since = None
        alarms.clear(sensor_id, AlarmType.THRESHOLD, at=ts)


def _stuck(sensor_id: int, lim: Limits, state: _State, ts, value: float, alarms: _Alarms) -> None:
    by_count = lim.stuck_readings and state.same_count >= lim.stuck_readings
    by_time = lim.stuck_minutes and ts - state.same_since >= _minutes(lim.stuck_minutes)
    if by_count or by_time:
        details = {
            "value": round(value, 3),
            "since": state.same_since.isoformat(),
            "readings": state.same_count,
            "ts": ts.isoformat(),
        }
        alarms.raise_(sensor_id, AlarmType.STUCK, STUCK_SEVERITY, at=ts, details=details)
    elif state.same_count == 1:  # the value moved: the sensor is alive
        alarms.clear(sensor_id, AlarmType.STUCK, at=ts, note=_moving_again)
    elif not (lim.stuck_readings or lim.stuck_minutes):
        alarms.clear(sensor_id, AlarmType.STUCK, at=ts, note=_check_off)


def _spike(
    sensor_id: int, lim: Limits, state: _State, ts, value, prev_ts, prev_value, alarms: _Alarms
) -> None:
    if not lim.spike_per_minute:
        alarms.clear(sensor_id, AlarmType.SPIKE, at=ts, note=_check_off)
        return
    # Over at least a minute: at a reading every few seconds, noise of 0.1 would otherwise read as 1 °C/min.
    minutes = max((ts - prev_ts).total_seconds() / 60, 1.0)
    rate = abs(value - prev_value) / minutes
    if rate > lim.spike_per_minute:
        state.spike_at = ts
        details = {
            "value": round(value, 3),
            "previous": round(prev_value, 3),
            "per_minute": round(rate, 3),
            "limit": lim.spike_per_minute,
            "ts": ts.isoformat(),
        }
        alarms.raise_(sensor_id, AlarmType.SPIKE, lim.severity, at=ts, details=details)
    elif state.spike_at is not None and ts - state.spike_at >= _minutes(lim.clear_minutes):
        state.spike_at = None
        alarms.clear(sensor_id, AlarmType.SPIKE, at=ts)


def kind_values(peers: list[Sensor], latest: dict, moment: dt.datetime) -> dict[str, float]:
    """A greenhouse's value per sensor kind: the mean of its sensors' latest readings that are not stale."""
    fresh = moment - _minutes(_offline_minutes())
    values: dict[str, list[float]] = defaultdict(list)
    for peer in peers:
        seen = latest.get(peer.pk)
        if seen is not None and seen[0] >= fresh and seen[1] is not None:
            values[peer.kind].append(seen[1])
    return {kind: sum(v) / len(v) for kind, v in values.items()}


def holds(spec: CombinedSpec, values: dict[str, float]) -> bool:
    results = (kind in values and COMPARE[cmp](values[kind], limit) for kind, cmp, limit in spec.conditions)
    return all(results) if spec.logic == Logic.AND else any(results)


def _combined(greenhouse: Place, peers, specs, cstates: dict, latest: dict, ts, alarms: _Alarms) -> None:
    if not peers:
        return
    values = kind_values(peers, latest, ts)
    firing: list[CombinedSpec] = []
    may_clear = True
    for spec in specs:
        key = (spec.id, greenhouse.pk)
        state = cstates.get(key)
        if state is None:
            state = cstates[key] = CombinedState(rule_id=spec.id, greenhouse_id=greenhouse.pk)
        if holds(spec, values):
            may_clear = False
            state.clear_since = None
            if state.since is None:
                state.since, state.count = ts, 0
            state.count += 1
            if ts - state.since >= _minutes(spec.duration_minutes) and state.count >= max(
                spec.repeat_count, 1
            ):
                firing.append(spec)
            continue
        state.since, state.count = None, 0
        if state.clear_since is None:
            state.clear_since = ts
        if ts - state.clear_since < _minutes(spec.clear_minutes):
            may_clear = False
    current = alarms.combined.get(greenhouse.pk)
    carrier = current.sensor_id if current is not None else peers[0].pk
    if firing:
        top = max(firing, key=lambda s: RANK[s.severity])
        details = {
            "rules": [{"id": s.id, "name": s.name, "severity": s.severity} for s in firing],
            "values": {kind: round(v, 3) for kind, v in values.items()},
            "ts": ts.isoformat(),
        }
        alarms.raise_(carrier, AlarmType.COMBINED, top.severity, at=ts, details=details)
    elif may_clear:
        alarms.clear(carrier, AlarmType.COMBINED, at=ts)


def _back_online() -> str:
    from django.utils.translation import gettext as _

    return _("传感器恢复上报，自动清除")


def _no_threshold() -> str:
    from django.utils.translation import gettext as _

    return _("该类传感器当前没有适用的阈值，自动清除")


def _check_off() -> str:
    from django.utils.translation import gettext as _

    return _("该项检查已关闭，自动清除")


def _no_rule() -> str:
    from django.utils.translation import gettext as _

    return _("适用的组合规则已停用或删除，自动清除")


def _moving_again() -> str:
    from django.utils.translation import gettext as _

    return _("读数恢复变化，自动清除")


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
