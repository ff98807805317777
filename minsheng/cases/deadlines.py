"""Time limits: which limit applies to a case, when it falls due, and how close to due it is.

Limits come from the TimeLimit table (category × urgency; the most specific category wins, then the default row)
and are counted on the working-day calendar in core. Yellow starts at 80 % of the limit, red when it is overdue.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from minsheng.core.calendar import WorkCalendar
from minsheng.core.tablecache import cached_table

from .choices import DeadlineState, LimitUnit
from .models import Category, TimeLimit

WARN_FRACTION = 0.8


@dataclass(frozen=True)
class Limit:
    accept_hours: float
    sign_hours: float
    finish_amount: float
    finish_unit: str


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


def state_of(case, now: dt.datetime) -> str:
    """Green / yellow / red while the clock runs (CLOCK_STATES); a reply decides it in 待核查; NONE otherwise."""
    from .choices import CLOCK_STATES, Status

    if case.finish_due is None:
        return DeadlineState.NONE
    if case.status == Status.REPLIED:
        return (
            DeadlineState.RED
            if case.replied_at and case.replied_at > case.finish_due
            else DeadlineState.GREEN
        )
    if case.status not in CLOCK_STATES:
        return DeadlineState.NONE
    if now > case.finish_due:
        return DeadlineState.RED
    if case.finish_warn_at and now >= case.finish_warn_at:
        return DeadlineState.YELLOW
    return DeadlineState.GREEN


def overdue_q(now: dt.datetime):
    """Open past the deadline: still with the handling side (CLOCK_STATES), or replied too late and awaiting 核查.
    The one definition the lists, the filters and the metrics share."""
    from django.db.models import F, Q

    from .choices import CLOCK_STATES, Status

    return Q(status__in=CLOCK_STATES, finish_due__lt=now) | Q(
        status=Status.REPLIED, replied_at__gt=F("finish_due")
    )
