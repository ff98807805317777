"""One run of a periodic job per interval, however many beat and worker processes a deployment starts.

Celery beat elects no leader: two beats (a second machine, a restart overlapping the old process) each send every
job on their own schedule, and any worker takes it. The jobs themselves are idempotent (core.periodic), which
keeps the data right; this keeps the work single as well. A job runs under a PostgreSQL advisory lock named after
it, so a second run arriving while the first works is skipped, and it is also skipped when its heartbeat says it
finished less than half an interval ago (the other beat's tick). See docs/decisions/0038-production-topology.md.
"""

import contextlib
import datetime as dt
import hashlib
import logging
import time

from django.db import connection

from minsheng.core import clock
from minsheng.core.periodic import jobs, run

from . import heartbeat

log = logging.getLogger(__name__)

#: What run_once() returns instead of the job's result when it did not run the job.
BUSY = "skipped: running elsewhere"
RECENT = "skipped: ran recently"


def lock_key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@contextlib.contextmanager
def advisory_lock(name: str):
    """Yield whether this process holds the lock named `name` (always True on SQLite: one machine, one process
    running the jobs)."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
            except Exception:
                # A session-level lock dies with its session: closing the connection releases it.
                connection.close()


def run_once(name: str):
    """Run the job unless another process is running it or has just run it; record the run as a heartbeat."""
    every = jobs()[name]["every"]
    beat_name = f"periodic:{name}"
    with advisory_lock(beat_name) as held:
        if not held:
            log.info("periodic job %s: %s", name, BUSY)
            return BUSY
        previous = heartbeat.last(beat_name)
        if previous is not None and previous.seen_at > clock.now() - dt.timedelta(seconds=every / 2):
            log.info("periodic job %s: %s", name, RECENT)
            return RECENT
        started = time.monotonic()
        result = run(name)
        runs = (previous.detail.get("runs", 0) if previous is not None else 0) + 1
        heartbeat.beat(
            beat_name,
            result=result if isinstance(result, int | float | str | dict | list | None) else repr(result),
            seconds=round(time.monotonic() - started, 3),
            runs=runs,
        )
        return result
