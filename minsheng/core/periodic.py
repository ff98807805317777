"""Periodic jobs (the deadline clock, reminders, roll-ups).

One table, settings.MINSHENG_PERIODIC_JOBS, names each job's function and interval. In production Celery beat runs
them (settings derive CELERY_BEAT_SCHEDULE from the same table); in the embedded default, with no broker,
`minsheng serve` runs them on a background thread. Every job must be idempotent: running it twice, or on two
machines at once, changes nothing more than running it once.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


def jobs() -> dict[str, dict[str, Any]]:
    return getattr(settings, "MINSHENG_PERIODIC_JOBS", {})


def run(name: str) -> object:
    job = jobs()[name]
    return import_string(job["target"])()


#: How a scheduled run is carried out: `run` itself, unless an app registered a runner that wraps it (the ops app
#: does: once per interval across every beat and worker, with a heartbeat for `minsheng doctor`).
_runner = None


def set_runner(runner: Callable[[str], object] | None) -> None:
    global _runner
    _runner = runner


def run_scheduled(name: str) -> object:
    return (_runner or run)(name)


@shared_task(name="minsheng.periodic")
def run_job(name: str) -> object:
    return run_scheduled(name)


class InProcessScheduler(threading.Thread):
    """Runs every job at its interval on one daemon thread; a failing job is logged and retried next time."""

    def __init__(self, tick: float = 5.0) -> None:
        super().__init__(name="minsheng-periodic", daemon=True)
        self.tick = tick
        self.stopped = threading.Event()
        self.next_run: dict[str, float] = {}

    def run(self) -> None:
        while not self.stopped.is_set():
            now = time.monotonic()
            for name, job in jobs().items():
                if now >= self.next_run.get(name, 0):
                    self.next_run[name] = now + job["every"]
                    try:
                        result = run_scheduled(name)
                        log.debug("periodic job %s: %s", name, result)
                    except Exception:
                        log.exception("periodic job %s failed", name)
                    finally:
                        close_old_connections()
            self.stopped.wait(self.tick)

    def stop(self) -> None:
        self.stopped.set()
