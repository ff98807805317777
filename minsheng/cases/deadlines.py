"""Time limits: which limit applies to a case, when it falls due, and how close to due it is.

Limits come from the TimeLimit table (category × urgency; the most specific category wins, then the default row)
and are counted on the working-day calendar in core. Every deadline of a case (受理, 签收, 办结, and any a domain
registers) is a Clock: yellow at 80 % of its limit, red when it is past, one definition of 超期 for everything.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from minsheng.core.calendar import WorkCalendar
from minsheng.core.tablecache import cached_table

from .choices import CLOCK_STATES, DeadlineState, LimitUnit, Status
from .models import Category, TimeLimit

WARN_FRACTION = 0.8


@dataclass(frozen=True)
class Limit:
    accept_hours: float
    sign_hours: float
    finish_amount: float
    finish_unit: str


def short_unit(limit: "Limit") -> str:
    """The time the 受理 and 签收 limits count in: natural hours when the case's 办结 limit does (an emergency runs
    through nights and holidays, all of it), else working hours."""
    return LimitUnit.HOURS if limit.finish_unit == LimitUnit.HOURS else LimitUnit.WORKING_HOURS


FALLBACK = Limit(accept_hours=2, sign_hours=2, finish_amount=5, finish_unit=LimitUnit.WORKING_DAYS)


def limit_for(category: Category | None, urgency: str) -> Limit:
    """The TimeLimit row for the deepest ancestor-or-self category that has one, else the default row."""
    rows = _limits().get(urgency, {})
    path = category.path if category is not None else ""
    while path:
        if path in rows:
            return rows[path]
        path = path[: -Category.steplen]
    return rows.get("", FALLBACK)


def _limits() -> dict[str, dict[str, Limit]]:
    """{urgency: {category path or "": Limit}} — the whole (small) table, cached until a row changes."""

    def load():
        table: dict[str, dict[str, Limit]] = {}
        for row in TimeLimit.objects.select_related("category"):
            table.setdefault(row.urgency, {})[row.category.path if row.category_id else ""] = Limit(
                float(row.accept_hours), float(row.sign_hours), float(row.finish_amount), row.finish_unit
            )
        return table

    return cached_table("case-time-limits", TimeLimit, load)


def due_after(
    start: dt.datetime, amount: float | Decimal, unit: str, cal: WorkCalendar | None = None
) -> dt.datetime:
    cal = cal or WorkCalendar()
    amount = float(amount)
    if unit == LimitUnit.HOURS:
        return start + dt.timedelta(hours=amount)
    if unit == LimitUnit.WORKING_HOURS:
        return cal.add_working_hours(start, amount)
    if unit == LimitUnit.WORKING_DAYS:
        return cal.add_working_days(start, int(round(amount)))
    raise ValueError(f"unknown limit unit {unit!r}")


def warn_at(start: dt.datetime, due: dt.datetime, unit: str, cal: WorkCalendar | None = None) -> dt.datetime:
    """The moment 80 % of the limit has elapsed, measured in the limit's own kind of time."""
    if unit == LimitUnit.HOURS:
        return start + (due - start) * WARN_FRACTION
    cal = cal or WorkCalendar()
    total = cal.working_hours_between(start, due)
    return cal.add_working_hours(start, total * WARN_FRACTION)


@dataclass(frozen=True)
class Clock:
    """One deadline a case can run against: which field holds it, in which states it runs, and when it started.

    The 受理, 签收 and 办结 limits are three clocks on the same rules: yellow at 80 % of the limit (in the limit's own
    kind of time), red once it is past, a reminder at yellow and an escalation at red (run_deadline_clock), and the
    same 超期 in lists, filters and metrics (overdue_q). A domain that adds a deadline of its own registers a Clock.
    """

    name: str
    label: str
    due_field: str
    start_field: str
    statuses: frozenset
    unit: str = LimitUnit.WORKING_HOURS
    #: a stored 80 % mark (the 办结 clock keeps one because its unit varies); else computed from start and due
    warn_field: str = ""


CLOCKS: list[Clock] = []


def register_clock(clock: Clock) -> None:
    """Add a deadline (idempotent by name, so apps may call it from ready())."""
    CLOCKS[:] = [c for c in CLOCKS if c.name != clock.name] + [clock]


def _builtin_clocks() -> None:
    register_clock(
        Clock("accept", _("受理时限"), "accept_due", "reported_at", frozenset({Status.REGISTERED}))
    )
    register_clock(Clock("sign", _("签收时限"), "sign_due", "dispatched_at", frozenset({Status.DISPATCHED})))
    register_clock(
        Clock(
            "finish",
            _("办结时限"),
            "finish_due",
            "accepted_at",
            CLOCK_STATES,
            unit="",
            warn_field="finish_warn_at",
        )
    )


_builtin_clocks()


@dataclass(frozen=True)
class Running:
    clock: Clock
    due: dt.datetime
    state: str


def clock_warn_at(case, clock: Clock) -> dt.datetime | None:
    due = getattr(case, clock.due_field)
    if clock.warn_field:
        return getattr(case, clock.warn_field)
    start = getattr(case, clock.start_field)
    if due is None or start is None:
        return None
    unit = clock.unit
    if unit == LimitUnit.WORKING_HOURS and getattr(case, "urgency", None) is not None:
        unit = short_unit(limit_for(case.category if case.category_id else None, case.urgency))
    return warn_at(start, due, unit)


def running(case, now: dt.datetime) -> list[Running]:
    """The clocks that run for the case now, each with its state; the nearest deadline first."""
    out = []
    for clock in CLOCKS:
        due = getattr(case, clock.due_field, None)
        if due is None or case.status not in clock.statuses:
            continue
        if now > due:
            state = DeadlineState.RED
        else:
            warn = clock_warn_at(case, clock)
            state = DeadlineState.YELLOW if warn is not None and now >= warn else DeadlineState.GREEN
        out.append(Running(clock, due, state))
    out.sort(key=lambda r: r.due)
    return out


_SEVERITY = {DeadlineState.RED: 0, DeadlineState.YELLOW: 1, DeadlineState.GREEN: 2}


def governing(case, now: dt.datetime) -> Running | None:
    """The clock a badge speaks of: the worst state, the nearest deadline among equals."""
    clocks = running(case, now)
    return min(clocks, key=lambda r: (_SEVERITY[r.state], r.due)) if clocks else None


def state_of(case, now: dt.datetime) -> str:
    """Green / yellow / red of the worst running clock; a reply decides it in 待核查; NONE otherwise."""
    if case.status == Status.REPLIED:
        if case.finish_due is None:
            return DeadlineState.NONE
        return (
            DeadlineState.RED
            if case.replied_at and case.replied_at > case.finish_due
            else DeadlineState.GREEN
        )
    run = governing(case, now)
    return run.state if run else DeadlineState.NONE


def overdue_q(now: dt.datetime):
    """Past any running deadline (受理 in 登记, 签收 in 已派遣, 办结 while handled), or replied too late and awaiting
    核查. The one definition the lists, the filters, the metrics and the domain dashboards share."""
    q = Q(status=Status.REPLIED, replied_at__gt=F("finish_due"))
    for clock in CLOCKS:
        q |= Q(status__in=clock.statuses, **{f"{clock.due_field}__lt": now})
    return q


def finish_overdue_q(now: dt.datetime):
    """Past the 办结 deadline only (the case is 应办结 — due — from then on, whatever other clocks say)."""
    return Q(status__in=CLOCK_STATES, finish_due__lt=now) | Q(
        status=Status.REPLIED, replied_at__gt=F("finish_due")
    )


def yellow_q(now: dt.datetime, queryset=None):
    """Running and past the 80 % mark of some clock, none of them past due. Clocks without a stored mark are judged
    in Python over the few cases due within the next days."""
    from .models import Case

    q = Q(pk__in=[])
    stored = Q()
    for clock in CLOCKS:
        if clock.warn_field:
            stored |= Q(
                status__in=clock.statuses,
                **{f"{clock.due_field}__gte": now, f"{clock.warn_field}__lte": now},
            )
    q |= stored
    near = Q()
    for clock in CLOCKS:
        if not clock.warn_field:
            near |= Q(
                status__in=clock.statuses,
                **{f"{clock.due_field}__gte": now, f"{clock.due_field}__lte": now + dt.timedelta(days=7)},
            )
    base = queryset if queryset is not None else Case.objects.all()
    pks = [
        c.pk for c in base.filter(near).defer("node__geometry") if state_of(c, now) == DeadlineState.YELLOW
    ]
    return (q | Q(pk__in=pks)) & ~overdue_q(now)
