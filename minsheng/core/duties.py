"""Duties missed, per person and per unit: the registry the 效能 board across all work is built from.

Every domain that gives cadres or units a duty (finish a case in time, hold the weekly meeting, visit the linked
households, inspect the stores, acknowledge an alarm) registers what was missed::

    from minsheng.core import duties

    duties.register(duties.Duty(
        code="iot.alarms_unacknowledged",
        domain="iot",
        label=_("告警未确认"),
        rule=_("期内开始、超过2小时仍未确认的告警，记其处理人"),
        misses=unacknowledged,     # (Scope) -> Iterable[Miss]
        weight=1,
    ))

`misses(scope)` returns, for the viewer's visible rows of the period and subtree, one `Miss` per holder with how
many times the duty was missed (grouped in the database; no loop over rows). A holder is a person (`PERSON`, the
user's id) or a unit (`UNIT`, a stable key such as "cases.unit:12" or "org.node:34" and its name). The 效能 board
(insights) sums the weighted misses per holder across every registered duty and gives cards by its documented
rules; it never reads a domain's tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .metrics import Scope

PERSON = "person"
UNIT = "unit"


@dataclass(frozen=True)
class Miss:
    holder_kind: str  # PERSON or UNIT
    holder_key: str  # "user:<id>" for a person; "<app>.<model>:<id>" for a unit
    holder_label: str
    count: int
    #: The holder's place in the org tree (a node path), so a leader's board can keep to their subtree.
    path: str = ""


@dataclass(frozen=True)
class Duty:
    code: str
    domain: str
    label: Any
    rule: Any
    misses: Callable[[Scope], Iterable[Miss]]
    #: How much one miss weighs towards a card (an overdue case weighs more than a late acknowledgement).
    weight: int = 1


_registry: dict[str, Duty] = {}


def register(duty: Duty) -> Duty:
    if "." not in duty.code or duty.code.split(".", 1)[0] != duty.domain:
        raise LookupError(f"duty {duty.code!r} must start with its domain {duty.domain!r}")
    _registry[duty.code] = duty
    return duty


def all_duties() -> list[Duty]:
    return sorted(_registry.values(), key=lambda d: d.code)
