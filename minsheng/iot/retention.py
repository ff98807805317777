"""Retention: raw readings for `IOT_RAW_RETENTION_DAYS` (default 90), hourly aggregates for ever.

`run()` is the periodic job. It rolls up the last complete hours (so the aggregates are fresh for whoever reads
them), then purges: every hour about to leave the raw window is rolled up from its raw rows first and only then
deleted, in one transaction, so nothing disappears without its aggregate. Both steps are idempotent — an
aggregate is recomputed from the raw rows and upserted, never incremented — so a second run, or two runs at once,
change nothing. The ingest refuses readings older than the raw window (they could only overwrite an hour's final
aggregate with a partial one).

Hours are UTC hour starts; Asia/Shanghai is a whole-hour offset, so they are local hours too.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Count, Max, Min
from django.db.models.functions import TruncHour

from minsheng.core import clock

from .models import Reading, ReadingHour

log = logging.getLogger(__name__)

DEFAULT_RAW_DAYS = 90
#: How many complete hours each run recomputes (late readings within this are folded in).
DEFAULT_LOOKBACK_HOURS = 3


def raw_days() -> int:
    return int(getattr(settings, "IOT_RAW_RETENTION_DAYS", DEFAULT_RAW_DAYS))


def floor_hour(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def raw_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Raw readings before this instant are gone or about to go; older data is hourly only. A UTC midnight: on
    PostgreSQL the raw rows live in one partition per UTC day, and a day leaves the window whole (so the raw
    window is between `raw_days()` and one day more)."""
    moment = ((now or clock.now()) - dt.timedelta(days=raw_days())).astimezone(dt.UTC)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def rollup(start: dt.datetime, end: dt.datetime) -> int:
    """(Re)compute the aggregates of the hours in [start, end) from the raw rows. Returns how many hours."""
    start, end = floor_hour(start), floor_hour(end)
    if start >= end:
        return 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {ReadingHour._meta.db_table} (sensor_id, hour, min, max, avg, count) "
                "SELECT sensor_id, date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', "
                "min(value), max(value), avg(value), count(*) "
                f"FROM {Reading._meta.db_table} WHERE ts >= %s AND ts < %s GROUP BY 1, 2 "
                "ON CONFLICT (sensor_id, hour) DO UPDATE SET min = EXCLUDED.min, max = EXCLUDED.max, "
                "avg = EXCLUDED.avg, count = EXCLUDED.count",
                [start, end],
            )
            return cursor.rowcount
    rows = (
        Reading.objects.filter(ts__gte=start, ts__lt=end)
        .annotate(h=TruncHour("ts", tzinfo=dt.UTC))
        .values("sensor_id", "h")
        .annotate(lo=Min("value"), hi=Max("value"), mean=Avg("value"), n=Count("id"))
    )
    hours = [
        ReadingHour(
            sensor_id=r["sensor_id"], hour=r["h"], min=r["lo"], max=r["hi"], avg=r["mean"], count=r["n"]
        )
        for r in rows
    ]
    ReadingHour.objects.bulk_create(
        hours,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["sensor", "hour"],
        update_fields=["min", "max", "avg", "count"],
    )
    return len(hours)


def purge(now: dt.datetime | None = None) -> int:
    """Roll up, then delete, the raw readings older than the raw window. Returns how many were deleted.

    On PostgreSQL with the partitioned table, whole day partitions are rolled up and dropped (partitions.py)."""
    from . import partitions

    cutoff = raw_cutoff(now)
    if partitions.partitioned():
        return partitions.drop_before(cutoff, rollup)
    oldest = Reading.objects.filter(ts__lt=cutoff).order_by("ts").values_list("ts", flat=True).first()
    if oldest is None:
        return 0
    with transaction.atomic():
        rollup(oldest, cutoff)
        deleted, _ = Reading.objects.filter(ts__lt=cutoff).delete()
    return deleted


def run(now: dt.datetime | None = None) -> dict:
    """Periodic job: refresh the last complete hours' aggregates, then purge what left the raw window."""
    from . import partitions

    now = now or clock.now()
    partitions.ensure(now)  # also a job of its own; here too, so that a purge never finds tomorrow missing
    lookback = int(getattr(settings, "IOT_ROLLUP_LOOKBACK_HOURS", DEFAULT_LOOKBACK_HOURS))
    current = floor_hour(now)
    hours = rollup(current - dt.timedelta(hours=lookback), current)
    deleted = purge(now)
    if deleted:
        log.info("iot retention: %d raw readings older than %d days purged", deleted, raw_days())
    letters = purge_dead_letters(now)
    return {"hours": hours, "deleted": deleted, "dead_letters": letters}


def dead_letter_days() -> int:
    return int(getattr(settings, "IOT_DEAD_LETTER_DAYS", raw_days()))


def purge_dead_letters(now: dt.datetime | None = None) -> int:
    """Messages set aside (deadletters.py) and not delivered again for `IOT_DEAD_LETTER_DAYS` (default: as long as
    raw readings are kept) are deleted; one still failing, or redelivered within the window, stays."""
    from .models import DeadLetter

    before = (now or clock.now()) - dt.timedelta(days=dead_letter_days())
    deleted, _ = DeadLetter.objects.filter(set_aside_at__isnull=False, last_seen__lt=before).delete()
    if deleted:
        log.info("iot retention: %d dead letters not seen for %d days deleted", deleted, dead_letter_days())
    return deleted


def series(sensor, start: dt.datetime, end: dt.datetime, limit: int = 50000) -> list[dict]:
    """A sensor's values in [start, end] for a chart: hourly means for the summarised hours before the raw window
    (their raw rows are purged), raw readings from there on.

    Each point is {"ts", "value"}; hourly points also carry "min", "max" and "count".
    """
    cutoff = raw_cutoff()
    points: list[dict] = []
    raw_from = start
    if start < cutoff:
        hours = ReadingHour.objects.filter(
            sensor=sensor, hour__gte=floor_hour(start), hour__lt=min(end, cutoff)
        )
        for h in hours.order_by("hour")[:limit]:
            points.append({"ts": h.hour, "value": h.avg, "min": h.min, "max": h.max, "count": h.count})
        if points:
            raw_from = max(start, points[-1]["ts"] + dt.timedelta(hours=1))
    raw = Reading.objects.filter(sensor=sensor, ts__gte=raw_from, ts__lte=end).order_by("ts")
    points.extend({"ts": ts, "value": value} for ts, value in raw.values_list("ts", "value")[:limit])
    return points[:limit]


def series_of(
    sensors: list, start: dt.datetime, end: dt.datetime, limit: int = 50000
) -> dict[int, list[dict]]:
    """`series()` for several sensors at once (a greenhouse's), in two queries whatever their number: sensor id →
    points, hourly means before the raw window and raw readings from there on, each list at most `limit`."""
    ids = [s.pk for s in sensors]
    points: dict[int, list[dict]] = {pk: [] for pk in ids}
    raw_from = dict.fromkeys(ids, start)
    cutoff = raw_cutoff()
    if start < cutoff:
        hours = ReadingHour.objects.filter(
            sensor_id__in=ids, hour__gte=floor_hour(start), hour__lt=min(end, cutoff)
        ).order_by("sensor_id", "hour")
        for sensor_id, hour, avg, lo, hi, count in hours.values_list(
            "sensor_id", "hour", "avg", "min", "max", "count"
        ):
            points[sensor_id].append({"ts": hour, "value": avg, "min": lo, "max": hi, "count": count})
        for pk, found in points.items():
            if found:
                raw_from[pk] = max(start, found[-1]["ts"] + dt.timedelta(hours=1))
    raw = Reading.objects.filter(
        sensor_id__in=ids, ts__gte=min(raw_from.values(), default=start), ts__lte=end
    )
    for sensor_id, ts, value in raw.order_by("sensor_id", "ts").values_list("sensor_id", "ts", "value"):
        if ts >= raw_from[sensor_id]:
            points[sensor_id].append({"ts": ts, "value": value})
    return {pk: found[:limit] for pk, found in points.items()}
