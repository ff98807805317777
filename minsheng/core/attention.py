"""What needs a leader now: a registry each domain fills with the things in its area that wait on a leader.

A domain registers a source when it loads (its AppConfig.ready())::

    from minsheng.core import attention

    attention.register(attention.Source(
        code="cases.overdue",              # "<domain>.<what>"
        domain="cases",
        label=_("超期案件"),
        count=overdue_count,                # (Scope) -> int: how many wait (one query)
        build=overdue_items,                # (Scope, limit) -> list[Item]: the most pressing first
        severity=attention.Severity.RED,
    ))

The leaders' cockpit and big screen list every source's count and its first items, and link each item to the
domain's own page. The domain owns the query (read through its scoped managers, for `scope.viewer`, narrowed to
`scope.node`); the cockpit never reads a domain's tables. `scope.start`/`scope.end` are the period a source may use
("failed samples this month"); a source about the present ("alarms active now") ignores them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from .metrics import Scope


class Severity(TextChoices):
    RED = "red", _("紧急")
    YELLOW = "yellow", _("关注")


@dataclass(frozen=True)
class Item:
    """One thing waiting: what it is, where, since when, and the page that deals with it."""

    title: str
    url: str
    where: str = ""
    since: dt.datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class Source:
    code: str
    domain: str
    label: Any
    count: Callable[[Scope], int | str]  # a capped count may say "999+"
    build: Callable[[Scope, int], list[Item]]
    severity: str = Severity.YELLOW
    #: A page listing all of them (URL name, reversed without arguments), when the domain has one.
    list_url_name: str = ""
    order: float = 100


_registry: dict[str, Source] = {}


def register(source: Source) -> Source:
    if "." not in source.code or source.code.split(".", 1)[0] != source.domain:
        raise LookupError(f"attention source {source.code!r} must start with its domain {source.domain!r}")
    _registry[source.code] = source
    return source


def sources(domain: str | None = None) -> list[Source]:
    return sorted(
        (s for s in _registry.values() if domain is None or s.domain == domain),
        key=lambda s: (s.order, s.code),
    )
