"""From payload to stored readings: parse (SenML or plain JSON), map names to sensors, calibrate, store once, and
hand the new readings to the alarm rules.

A SenML name, after the base name is joined on, is the sensor's code. Storage is idempotent on (sensor, ts), and
only the rows that are really new go on to the rules (a replay neither stores nor counts as an alarm repeat):

- PostgreSQL: the batch is COPied (binary) into a session-local staging table, then
  `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING` moves it into the table and names the new rows — one
  round trip for the data, one statement for the decision, safe against a second consumer racing us.
- SQLite (the embedded default): the rows already present are looked up, then a bulk insert ignoring conflicts.

Bad input is counted and described, never raised: one bad record costs only itself.
"""

import datetime as dt
import logging
import math
import time
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from minsheng.core import bulk, parsing

from . import senml
from .models import Gateway, Reading, ReadingHour, Sensor

try:  # orjson parses sensor packs several times faster; the standard library is the fallback
    import orjson

    _loads = orjson.loads
    _JSONError: tuple = (orjson.JSONDecodeError, UnicodeDecodeError)
except ImportError:  # pragma: no cover - depends on the environment
    import json

    _loads = json.loads
    _JSONError = (ValueError, UnicodeDecodeError)

log = logging.getLogger(__name__)

#: Readings stamped further ahead than this are refused (a device with a wrong clock).
MAX_FUTURE = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Sample:
    code: str
    ts: dt.datetime
    value: float


@dataclass
class Stats:
    received: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)

    def reject(self, reason: str) -> None:
        self.rejected += 1
        if len(self.errors) < 50:
            self.errors.append(reason)

    def add(self, other: "Stats") -> None:
        self.received += other.received
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.rejected += other.rejected
        self.errors.extend(other.errors[: max(0, 50 - len(self.errors))])

    def as_dict(self) -> dict:
        return {
            "received": self.received,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "errors": self.errors,
        }


#: A reading's magnitude beyond this is no measurement (lux, the largest of our units, stays below 2e5).
MAX_MAGNITUDE = 1e9


def _moment(seconds: float) -> dt.datetime:
    """Unix seconds inside the product's calendar; `1e300`, `-1e15` or `2**62` is a ValueError (a rejection)."""
    return parsing.from_timestamp(seconds)


def _value(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(_("value 必须是有限数值")) from None
    if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
        raise ValueError(_("数值超出范围（绝对值不超过 %(max).0e）") % {"max": MAX_MAGNITUDE})
    return number


def parse(payload, now: float | None = None) -> tuple[list[Sample], Stats]:
    """Decode a payload: SenML (a JSON array of records) or our plain form, {"sensor", "ts", "value"} or a list.

    In the plain form `ts` is absolute Unix seconds or an ISO 8601 time with offset; missing means now.
    """
    stats = Stats()
    now = time.time() if now is None else now
    if isinstance(payload, bytes | str):
        try:
            payload = _loads(payload)
        except _JSONError as exc:
            stats.received += 1
            stats.reject(_("不是有效的 JSON：%(error)s") % {"error": exc})
            return [], stats
    plain = isinstance(payload, dict) or (
        isinstance(payload, list)
        and bool(payload)
        and isinstance(payload[0], dict)
        and "sensor" in payload[0]
    )
    samples: list[Sample] = []
    if plain:
        items = payload if isinstance(payload, list) else [payload]
        stats.received += len(items)
        for index, item in enumerate(items):
            try:
                samples.append(_plain(item, now))
            except ValueError as exc:
                stats.reject(_("第%(n)d条记录：%(reason)s") % {"n": index + 1, "reason": exc})
        return samples, stats
    records, errors = senml.resolve(payload, now=now)
    stats.received += len(records) + len(errors)
    for error in errors:
        stats.reject(str(error))
    for record in records:
        if record.value_field != "v":
            stats.reject(_("%(name)s：传感器读数必须是数值（v）") % {"name": record.name})
            continue
        try:
            samples.append(Sample(record.name, _moment(record.time), _value(record.value)))
        except ValueError as exc:
            stats.reject(_("%(name)s：%(reason)s") % {"name": record.name, "reason": exc})
    return samples, stats


def _plain(item, now: float) -> Sample:
    if not isinstance(item, dict):
        raise ValueError(_("不是 JSON 对象"))
    code, value, ts = item.get("sensor"), item.get("value"), item.get("ts", now)
    if not isinstance(code, str) or not code:
        raise ValueError(_("缺少传感器编码 sensor"))
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(_("value 必须是有限数值"))
    value = _value(value)
    bad_time = _("ts 须为 Unix 秒或带时区的 ISO 8601 时间")
    if isinstance(ts, str):
        try:
            moment = parse_datetime(ts)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise ValueError(bad_time)
        moment = parsing.parse_datetime(moment)  # inside the calendar, also once converted to UTC
    elif isinstance(ts, int | float) and not isinstance(ts, bool):
        if not ts > 0:
            raise ValueError(bad_time)
        moment = _moment(ts)
    else:
        raise ValueError(bad_time)
    return Sample(code, moment, value)


class Point(NamedTuple):
    """A stored reading as the rules see it (a Reading without the model's cost: a batch holds thousands)."""

    sensor_id: int
    ts: dt.datetime
    value: float


def store(samples: list[Sample], *, gateway=None, evaluate: bool = True) -> Stats:
    """Store a batch once and run the alarm rules on the readings that are new. With `gateway`, only that
    gateway's sensors are accepted (the HTTP door)."""
    from . import rules

    stats = Stats()
    if not samples:
        return stats
    limit = dt.datetime.now(tz=dt.UTC) + MAX_FUTURE
    sensors_qs = Sensor.objects.filter(code__any={s.code for s in samples}, is_active=True)
    if gateway is not None:
        sensors_qs = sensors_qs.filter(gateway=gateway)
    sensors = {
        code: (pk, offset) for code, pk, offset in bulk.values(sensors_qs, "code", "pk", "calibration_offset")
    }
    rows: dict[tuple[int, dt.datetime], float] = {}
    codes: dict[int, str] = {}
    for sample in samples:
        sensor = sensors.get(sample.code)
        if sensor is None:
            stats.reject(_("未知或未启用的传感器：%(code)s") % {"code": sample.code})
        elif sample.ts > limit:
            stats.reject(_("%(code)s：时间晚于当前时间") % {"code": sample.code})
        elif (sensor[0], sample.ts) in rows:
            stats.duplicates += 1
        else:
            rows[sensor[0], sample.ts] = sample.value + sensor[1]
            codes[sensor[0]] = sample.code
    if rows:
        _refuse_summarised(rows, codes, stats)
    if not rows:
        return stats
    with transaction.atomic():
        new = _insert_copy(rows) if connection.vendor == "postgresql" else _insert_bulk(rows)
        _touch(new)
    stats.duplicates += len(rows) - len(new)
    stats.stored = len(new)
    if evaluate and new:
        rules.evaluate(new)
    return stats


def _refuse_summarised(
    rows: dict[tuple[int, dt.datetime], float], codes: dict[int, str], stats: Stats
) -> None:
    """Refuse readings for hours already summarised and purged (older than the raw window): storing them would
    let the next purge overwrite the hour's final aggregate with a partial one, and a replay would count twice."""
    from .retention import floor_hour, raw_cutoff

    cutoff = raw_cutoff()
    old = [key for key in rows if key[1] < cutoff]
    if not old:
        return
    summarised = set(
        ReadingHour.objects.filter(
            sensor_id__any={k[0] for k in old}, hour__any={floor_hour(k[1]) for k in old}, hour__lt=cutoff
        ).values_list("sensor_id", "hour")
    )
    for key in old:
        if (key[0], floor_hour(key[1])) in summarised:
            stats.reject(_("%(code)s：早于原始数据保留期，该小时已汇总") % {"code": codes[key[0]]})
            del rows[key]


def _insert_bulk(rows: dict[tuple[int, dt.datetime], float]) -> list[Point]:
    existing = set(
        Reading.objects.filter(sensor_id__in={k[0] for k in rows}, ts__in={k[1] for k in rows}).values_list(
            "sensor_id", "ts"
        )
    )
    new = [
        Point(sensor_id, ts, value)
        for (sensor_id, ts), value in rows.items()
        if (sensor_id, ts) not in existing
    ]
    Reading.objects.bulk_create([Reading(**p._asdict()) for p in new], batch_size=2000, ignore_conflicts=True)
    return new


STAGE = "iot_reading_stage"


def _insert_copy(rows: dict[tuple[int, dt.datetime], float]) -> list[Point]:
    """COPY into a temporary staging table, then move what is new into iot_reading. Returns the new rows."""
    table = Reading._meta.db_table
    columns = [("sensor_id", "int8"), ("ts", "timestamptz"), ("value", "float8")]
    staging = ((sensor_id, ts, value) for (sensor_id, ts), value in rows.items())
    with bulk.staged(STAGE, columns, staging, binary=True) as cursor:
        cursor.execute(
            f"INSERT INTO {table} (sensor_id, ts, value) SELECT sensor_id, ts, value FROM {STAGE} "
            "ON CONFLICT (sensor_id, ts) DO NOTHING RETURNING sensor_id, ts",
            binary=True,
        )
        returned = cursor.fetchall()
    return [Point(sensor_id, ts, rows[sensor_id, ts]) for sensor_id, ts in returned]


def _touch(readings: list[Point]) -> None:
    """Move each sensor's last_seen/last_value forward (never back: a late replay is older than the news)."""
    newest: dict[int, Point] = {}
    for reading in readings:
        seen = newest.get(reading.sensor_id)
        if seen is None or reading.ts > seen.ts:
            newest[reading.sensor_id] = reading
    if not newest:
        return
    table = Sensor._meta.db_table
    if connection.vendor == "postgresql":  # one statement for the whole batch
        columns = [("id", "int8"), ("ts", "timestamptz"), ("value", "float8")]
        with bulk.staged(f"{table}_seen", columns, newest.values(), binary=True) as cursor:
            cursor.execute(
                f"UPDATE {table} AS s SET last_seen = v.ts, last_value = v.value FROM {table}_seen AS v "
                "WHERE s.id = v.id AND (s.last_seen IS NULL OR s.last_seen < v.ts)"
            )
        return
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:  # SQLite: one prepared statement, many parameter rows
        cursor.executemany(
            f"UPDATE {table} SET last_seen = %s, last_value = %s "
            "WHERE id = %s AND (last_seen IS NULL OR last_seen < %s)",
            [(ts, r.value, sensor_id, ts) for sensor_id, r in newest.items() for ts in [adapt(r.ts)]],
        )


def ingest(payload, *, gateway=None, now: float | None = None) -> Stats:
    """Parse and store one payload (the HTTP door; the MQTT consumer batches parse and store itself)."""
    samples, stats = parse(payload, now=now)
    stats.add(store(samples, gateway=gateway))
    if gateway is not None:
        Gateway.objects.filter(pk=gateway.pk).update(last_seen=dt.datetime.now(tz=dt.UTC))
    if stats.rejected:
        log.warning(
            "iot ingest: %d of %d records rejected: %s", stats.rejected, stats.received, stats.errors[:5]
        )
    return stats
