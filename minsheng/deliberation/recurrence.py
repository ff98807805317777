"""When a series meets: its rule dates, moved or skipped on the working-day calendar as the series says.

Kept apart from the actions because the agenda preview, the stamping action and the missed-occurrence figure all ask
the same question and must get the same answer.
"""

import calendar as month_calendar
import datetime as dt

from minsheng.core.calendar import WorkCalendar

from .choices import Frequency, HolidayPolicy


def rule_dates(series, start: dt.date, end: dt.date) -> list[dt.date]:
    """The dates the series' rule gives between start and end (both included), before any holiday moves them."""
    start = max(start, series.starts_on)
    if series.ends_on:
        end = min(end, series.ends_on)
    days: list[dt.date] = []
    if start > end:
        return days
    if series.frequency == Frequency.WEEKLY:
        day = start + dt.timedelta(days=(series.weekday - start.weekday()) % 7)
        while day <= end:
            days.append(day)
            day += dt.timedelta(days=7)
        return days
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        last = month_calendar.monthrange(year, month)[1]
        # The 31st in a 30-day month is its last day: a monthly meeting never silently drops a month.
        day = dt.date(year, month, min(series.day_of_month, last))
        if start <= day <= end:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def occurrences(
    series, start: dt.date, end: dt.date, cal: WorkCalendar | None = None
) -> list[tuple[dt.date, dt.date]]:
    """(rule date, the day it is held) for each occurrence; a skipped one is left out."""
    cal = cal or WorkCalendar()
    out = []
    for day in rule_dates(series, start, end):
        if series.holiday_policy == HolidayPolicy.KEEP or cal.is_workday(day):
            out.append((day, day))
        elif series.holiday_policy == HolidayPolicy.MOVE:
            out.append((day, cal.next_workday(day)))
    return out
