"""Plumbing shared by the centre's actions: rights, statutory clocks on the core calendar, the engine's steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils import timezone

from minsheng.cases import actions as engine
from minsheng.cases import workflow
from minsheng.cases.choices import Status
from minsheng.cases.models import Category, Unit
from minsheng.core import clock
from minsheng.core.calendar import TZ, WorkCalendar

from .. import conf

if TYPE_CHECKING:
    from django.db import models

    from minsheng.accounts.models import User
    from minsheng.cases.models import Case
    from minsheng.org.models import Node


def clean_text(value: object, limit: int) -> str:
    return str(value or "").strip()[:limit]


def natural_due(start: dt.datetime, days: int) -> dt.datetime:
    """The end of the Nth natural day after `start` (信访 and 司法确认 count natural days). When the last day is a
    rest day and the installation says so (the default), the deadline moves to the next working day's end."""
    day = timezone.localtime(start, TZ).date() + dt.timedelta(days=days)
    if conf.get("roll_past_rest_days"):
        calendar = WorkCalendar()
        if not calendar.is_workday(day):
            day = calendar.next_workday(day)
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=TZ)


def months_due(start: dt.datetime, months: int) -> dt.datetime:
    """The same day `months` later (the last day of a shorter month), end of day, rolled like natural_due."""
    local = timezone.localtime(start, TZ).date()
    month = local.month - 1 + months
    year = local.year + month // 12
    month = month % 12 + 1
    import calendar as pycal

    day = min(local.day, pycal.monthrange(year, month)[1])
    target = dt.date(year, month, day)
    return natural_due(dt.datetime.combine(target, dt.time(12), tzinfo=TZ), 0)


def centre_unit(node: Node) -> Unit:
    """The centre's unit in the engine for the node's 街道, created under that 街道 on first use (in a county each
    街道 has its own centre)."""
    from minsheng.org.levels import street_path
    from minsheng.org.models import Node

    name = conf.get("centre_unit")
    street = Node.objects.filter(path=street_path(node.path)).first() or node
    own_name = f"{street.name}{name}"  # unit names are unique across the deployment
    unit = Unit.objects.filter(name__in=[name, own_name], node=street).first()
    if unit is None:
        taken = Unit.objects.filter(name=name).exists()
        unit = Unit.objects.create(name=own_name if taken else name, kind="street_office", node=street)
    return unit


def category_for(code_prefixes: list[str]) -> Category:
    for code in code_prefixes:
        found = Category.objects.filter(code=code, is_active=True).first()
        if found is not None:
            return found
    fallback = Category.objects.filter(is_active=True).order_by("path").first()
    assert fallback is not None, "the engine's data migration loads the categories"
    return fallback


def as_actor(actor: User | None, case: Case, verb: str) -> User | None:
    """The actor when the engine lets them take the step, else the system: the centre's staff move the engine's
    case as part of their own step (accepting a petition accepts its case) even where the engine's table would
    want another role."""
    if actor is not None and workflow.allowed(case, verb, actor):
        return actor
    return None


def start_handling(case: Case, *, actor: User | None, handler: User | None = None, note: str = "") -> Case:
    """受理 → 派遣 to the centre → 签收: the engine's case is in 办理中, held by the centre (and the lead
    mediator or handler)."""
    unit = centre_unit(case.node)
    if handler is not None:
        unit.members.add(handler)
    case = engine.do_accept(case, actor=as_actor(actor, case, "accept"), note=note)
    case = engine.do_dispatch(case, actor=as_actor(actor, case, "dispatch"), unit=unit, handler=handler)
    return engine.do_sign(case, actor=as_actor(handler, case, "sign"))


def finish_case(case: Case, *, actor: User | None, note: str) -> Case:
    """办结 of the engine's case when the centre's matter ends (agreement, failure, refusal, reply)."""
    case.refresh_from_db()
    if case.status == Status.HANDLING:
        case = engine.do_reply(case, actor=as_actor(actor, case, "reply"), note=note)
    if case.status == Status.REPLIED:
        case = engine.do_verify(case, actor=None, passed=True, note=note)
    return case


def notify(
    users: Iterable[User | None],
    *,
    title: str,
    link: str,
    source: models.Model | None = None,
    level: str = "info",
    key: str | None = None,
) -> None:
    from minsheng.core import notifications

    recipients = {u for u in users if u is not None and getattr(u, "is_active", False)}
    if recipients:
        notifications.notify(
            recipients, title=title, link=link, level=level, kind="mediation", source=source, dedupe_key=key
        )


def now() -> dt.datetime:
    return clock.now()
