"""Signs of life of the background processes (an ingest consumer, a periodic job's run).

Core only passes them on: the ops app registers where they are kept (ops.Heartbeat, read back by
`minsheng doctor`), the same way the domains register their figures in core.metrics. Without a registered sink a
beat goes nowhere.
"""

from collections.abc import Callable
from typing import Any

_sink: Callable[..., None] | None = None


def register(sink: Callable[..., None]) -> None:
    global _sink
    _sink = sink


def beat(name: str, **detail: Any) -> None:
    if _sink is not None:
        _sink(name, **detail)
