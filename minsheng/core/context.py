"""Who is acting, and in which request: set by the middleware (or an action's caller), read by the audit log."""

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation


@dataclass
class ActingContext:
    user: Any = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    ip: str | None = None


_current: contextvars.ContextVar[ActingContext | None] = contextvars.ContextVar(
    "minsheng_acting", default=None
)


def current() -> ActingContext | None:
    return _current.get()


@contextlib.contextmanager
def acting(
    user: Any = None, *, request_id: str | None = None, ip: str | None = None
) -> Iterator[ActingContext]:
    """Attribute every change made inside the block to `user` (used by commands, tasks and the demo loader)."""
    ctx = ActingContext(user=user, ip=ip)
    if request_id:
        ctx.request_id = request_id
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def site_language() -> translation.override:
    """Text written into records (system notes, case descriptions) is in the site's language, whatever the language
    of the person whose action wrote it: records are read later, by everyone. Usable as `with` or as a decorator."""
    from django.conf import settings

    return translation.override(settings.LANGUAGE_CODE)
