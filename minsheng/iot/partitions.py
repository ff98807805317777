"""Raw readings partitioned by day on PostgreSQL (declarative partitioning; docs/decisions/0041).

`iot_reading` is a partitioned table: one partition per UTC day (`iot_reading_p20261205`) plus a default
partition that catches a reading no day partition holds yet (a device whose clock runs ahead). Retention drops the
partitions that left the raw window — after rolling them up — instead of deleting rows (retention.purge), so its
cost is one day's rows whatever the table's size, and the space comes back at once without vacuum. `ensure()` is a
periodic job: it keeps AHEAD_DAYS of partitions ready and moves any default-partition rows into the partition
created for their day. On SQLite (the embedded default) all of this is a no-op: one plain table, rows deleted.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import connection, transaction

from minsheng.core import clock

log = logging.getLogger(__name__)

TABLE = "iot_reading"
DEFAULT = f"{TABLE}_default"
SEQUENCE = f"{TABLE}_id_seq_p"
#: How many days of partitions exist ahead of today, and behind it (readings a gateway buffered while offline);
#: older late readings wait in the default partition and go with its purge.
AHEAD_DAYS = 7
BEHIND_DAYS = 2


@dataclass(frozen=True)
class Partition:
    name: str
    start: dt.datetime  # inclusive, a UTC midnight
    end: dt.datetime  # exclusive


def partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relkind FROM pg_class WHERE relname = %s AND relnamespace = 'public'::regnamespace",
            [TABLE],
        )
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def day_start(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def name_for(day: dt.datetime) -> str:
    return f"{TABLE}_p{day:%Y%m%d}"


def partitions() -> list[Partition]:
    """The day partitions, oldest first (the default partition is not among them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass AND c.relname <> %s ORDER BY c.relname",
            [TABLE, DEFAULT],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = []
    for name in names:
        start = dt.datetime.strptime(name.rsplit("_p", 1)[1], "%Y%m%d").replace(tzinfo=dt.UTC)
        found.append(Partition(name, start, start + dt.timedelta(days=1)))
    return found


def create(day: dt.datetime) -> bool:
    """Create the partition of `day` unless it exists; rows of that day waiting in the default partition move
    into it. Returns whether it was created."""
    start = day_start(day)
    end, name = start + dt.timedelta(days=1), name_for(start)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [name])
        if cursor.fetchone()[0] is not None:
            return False
        cursor.execute(f"SELECT 1 FROM {DEFAULT} WHERE ts >= %s AND ts < %s LIMIT 1", [start, end])
        if cursor.fetchone() is None:
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM (%s) TO (%s)", [start, end]
            )
            return True
        # The default partition holds rows of this day: they move into a table that then becomes the partition
        # (PostgreSQL refuses a new partition whose rows sit in the default one).
        cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS)")
        cursor.execute(
            f"WITH moved AS (DELETE FROM {DEFAULT} WHERE ts >= %s AND ts < %s RETURNING id, sensor_id, ts, value) "
            f"INSERT INTO {name} (id, sensor_id, ts, value) SELECT id, sensor_id, ts, value FROM moved",
            [start, end],
        )
        cursor.execute(
            f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)", [start, end]
        )
        log.info("iot partitions: %s created with rows moved from the default partition", name)
        return True


def ensure(now: dt.datetime | None = None) -> dict:
    """Periodic job: partitions from BEHIND_DAYS ago (not before the raw window) through AHEAD_DAYS ahead. No-op
    without partitioning."""
    if not partitioned():
        return {"created": 0}
    from .retention import raw_cutoff

    now = now or clock.now()
    day = max(day_start(raw_cutoff(now)), day_start(now) - dt.timedelta(days=BEHIND_DAYS))
    last = day_start(now) + dt.timedelta(days=AHEAD_DAYS)
    created = 0
    while day <= last:
        created += create(day)
        day += dt.timedelta(days=1)
    return {"created": created}


def drop_before(cutoff: dt.datetime, rollup) -> int:
    """Roll up, then drop, every day partition wholly before `cutoff`; then roll up and delete the default
    partition's rows before it (normally none). Returns how many raw readings went."""
    gone = 0
    for part in partitions():
        if part.end > cutoff:
            break
        with transaction.atomic(), connection.cursor() as cursor:
            # Foreign keys are checked at commit; rows written earlier in this transaction would make PostgreSQL
            # refuse the DROP ("pending trigger events"), so check them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            rollup(part.start, part.end)
            cursor.execute(f"SELECT count(*) FROM {part.name}")
            count = cursor.fetchone()[0]
            cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {part.name}")
            cursor.execute(f"DROP TABLE {part.name}")
        log.info("iot partitions: %s dropped (%d readings, rolled up first)", part.name, count)
        gone += count
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT min(ts) FROM {DEFAULT} WHERE ts < %s", [cutoff])
        oldest = cursor.fetchone()[0]
        if oldest is not None:
            rollup(oldest, cutoff)
            cursor.execute(f"DELETE FROM {DEFAULT} WHERE ts < %s", [cutoff])
            gone += cursor.rowcount
    return gone
