"""Time limits: which limit applies to a case, when it falls due, and how close to due it is.

Limits come from the TimeLimit table (category × urgency; the most specific category wins, then the default row)
and are counted on the working-day calendar in core. Yellow starts at 80 % of the limit, red when it is overdue.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from minsheng.core.calendar import WorkCalendar

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
    rows = {
        (row.category.path if row.category_id else ""): row
        for row in TimeLimit.objects.filter(urgency=urgency).select_related("category")
    }
    path = category.path if category is not None else ""
    while path:
        if path in rows:
            return _as_limit(rows[path])
        path = path[: -Category.steplen]
    if "" in rows:
        return _as_limit(rows[""])
    return FALLBACK


def _as_limit(row: TimeLimit) -> Limit:
    return Limit(float(row.accept_hours), float(row.sign_hours), float(row.finish_amount), row.finish_unit)


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
    """Green / yellow / red for an open case with a finish deadline; NONE otherwise."""
    from .choices import OPEN_STATES, Status

    if case.status not in OPEN_STATES or case.finish_due is None or case.status == Status.SHELVED:
        return DeadlineState.NONE
    if now > case.finish_due:
        return DeadlineState.RED
    if case.finish_warn_at and now >= case.finish_warn_at:
        return DeadlineState.YELLOW
    return DeadlineState.GREEN
