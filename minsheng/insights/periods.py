"""Periods a leader reads figures over (本周/本月/本季/本年 or any dates) and the period before each, to compare."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from minsheng.core import clock, parsing

KINDS = {"week": _("本周"), "month": _("本月"), "quarter": _("本季度"), "year": _("本年")}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str = "custom"

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} — {self.end:%Y-%m-%d}"

    def previous(self) -> "Period":
        """The period just before, of the same kind (the month before, the year before) or the same length."""
        if self.kind == "month":
            end = self.start - dt.timedelta(days=1)
            return Period(end.replace(day=1), end, "month")
        if self.kind == "quarter":
            end = self.start - dt.timedelta(days=1)
            return Period(dt.date(end.year, end.month - 2, 1), end, "quarter")
        if self.kind == "year":
            return Period(dt.date(self.start.year - 1, 1, 1), dt.date(self.start.year - 1, 12, 31), "year")
        days = (self.end - self.start).days + 1
        return Period(self.start - dt.timedelta(days=days), self.start - dt.timedelta(days=1), self.kind)


def current(kind: str, today: dt.date | None = None) -> Period:
    """The calendar week/month/quarter/year holding today, up to today."""
    today = today or clock.today()
    if kind == "week":
        return Period(today - dt.timedelta(days=today.weekday()), today, "week")
    if kind == "quarter":
        return Period(dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1), today, "quarter")
    if kind == "year":
        return Period(dt.date(today.year, 1, 1), today, "year")
    return Period(today.replace(day=1), today, "month")


def whole(kind: str, day: dt.date) -> Period:
    """The whole calendar month or quarter holding `day` (for the scheduled reports)."""
    if kind == "quarter":
        first = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        last_month = first.month + 2
    else:
        first, last_month = day.replace(day=1), day.month
    nxt = dt.date(first.year + (last_month == 12), last_month % 12 + 1, 1)
    return Period(first, nxt - dt.timedelta(days=1), kind)


def from_request(params, default: str = "month") -> Period:
    """`period=week|month|quarter|year`, or `start`/`end` dates; anything unreadable falls back to the default."""
    start, end = params.get("start"), params.get("end")
    if start and end:
        try:  # inside the product's calendar (core.parsing): the period before 0001-01-01 does not exist
            s, e = parsing.parse_date(start), parsing.parse_date(end)
        except parsing.InvalidValue:
            s = e = None
        if s and e and s <= e:
            return Period(s, e)
    kind = params.get("period", default)
    return current(kind if kind in KINDS else default)
