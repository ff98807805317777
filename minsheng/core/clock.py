"""The engine's notion of "now". Actions read it instead of timezone.now() so that generators of historical data
(the demo's two years of cases) can run the real actions at a chosen moment."""

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_frozen: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("minsheng_clock", default=None)


def now() -> dt.datetime:
    return _frozen.get() or timezone.now()


def today() -> dt.date:
    """The 街道's date now (settings.TIME_ZONE), not UTC's: before 08:00 Beijing time `now().date()` is still
    yesterday."""
    return timezone.localdate(now())


@contextlib.contextmanager
def at(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Run the block as if it were `moment` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("clock.at needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield moment
    finally:
        _frozen.reset(token)
