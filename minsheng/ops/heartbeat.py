"""Heartbeats: a row per background duty, written by the process that does it and read by `minsheng doctor`."""

import datetime as dt
import os
import socket

from minsheng.core import clock

from .models import Heartbeat


def beat(name: str, **detail) -> None:
    Heartbeat.objects.update_or_create(
        name=name,
        defaults={
            "host": socket.gethostname()[:150],
            "pid": os.getpid(),
            "seen_at": clock.now(),
            "detail": detail,
        },
    )


def last(name: str) -> Heartbeat | None:
    return Heartbeat.objects.filter(name=name).first()


def stale(prefix: str, older_than: dt.timedelta) -> tuple[list[Heartbeat], list[Heartbeat]]:
    """The heartbeats whose name starts with `prefix`, split into (alive, stale)."""
    limit = clock.now() - older_than
    rows = list(Heartbeat.objects.filter(name__startswith=prefix))
    return [h for h in rows if h.seen_at >= limit], [h for h in rows if h.seen_at < limit]
