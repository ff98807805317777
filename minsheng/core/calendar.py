"""The working-day calendar: statutory holidays and 调休 makeup workdays, in Asia/Shanghai.

Sources, in order: an admin's CalendarOverride for the date; the `chinese_calendar` package (the State Council's
yearly holiday notices); for years neither covers, Monday–Friday. Deadlines counted in working hours use the office
periods in settings.MINSHENG_WORKING_PERIODS.
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import CalendarOverride
from .tablecache import cached_table

TZ = ZoneInfo("Asia/Shanghai")


def _overrides() -> dict[dt.date, bool]:
    return cached_table(
        "calendar-overrides",
        CalendarOverride,
        lambda: dict(CalendarOverride.objects.values_list("date", "is_workday")),
    )


@lru_cache(maxsize=4096)
def _library_says(day: dt.date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def is_covered(day: dt.date) -> bool:
    """Whether the holiday library knows this date's year (if not, an admin should add overrides)."""
    return _library_says(day) is not None


class WorkCalendar:
    """A calendar with the override table read once; use one per computation (cheap to create)."""

    def __init__(self) -> None:
        self.overrides = _overrides()
        self.periods = [
            (dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in settings.MINSHENG_WORKING_PERIODS
        ]

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        verdict = _library_says(day)
        if verdict is None:
            return day.weekday() < 5
        return verdict

    def holiday_name(self, day: dt.date) -> str | None:
        try:
            _, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return None
        return name

    def next_workday(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, moment: dt.datetime, days: int) -> dt.datetime:
        """`days` working days after `moment`: the same clock time on the Nth following workday.

        A moment on a rest day starts counting from the first workday (so Friday evening + 1 is Monday's end of
        day only if Monday is a workday). The deadline is the end of office hours on that day.
        """
        if days < 0:
            raise ValueError("days must be >= 0")
        local = timezone.localtime(moment, TZ)
        day = local.date()
        if not self.is_workday(day):
            day = self.next_workday(day)
            days -= 1 if days > 0 else 0
            if days == 0:
                return self._end_of_day(day)
        for _ in range(days):
            day = self.next_workday(day)
        return self._end_of_day(day)

    def _end_of_day(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.periods[-1][1], tzinfo=TZ)

    def add_working_hours(self, moment: dt.datetime, hours: float) -> dt.datetime:
        """Add office time: the clock runs only inside office periods on workdays."""
        if hours < 0:
            raise ValueError("hours must be >= 0")
        remaining = dt.timedelta(hours=hours)
        current = timezone.localtime(moment, TZ)
        while True:
            day = current.date()
            if self.is_workday(day):
                for start, end in self.periods:
                    p_start = dt.datetime.combine(day, start, tzinfo=TZ)
                    p_end = dt.datetime.combine(day, end, tzinfo=TZ)
                    if current >= p_end:
                        continue
                    begin = max(current, p_start)
                    available = p_end - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
                    current = p_end
            current = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)

    def working_hours_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Office hours elapsed between two moments (0 if end is before start)."""
        if end <= start:
            return 0.0
        a = timezone.localtime(start, TZ)
        b = timezone.localtime(end, TZ)
        total = dt.timedelta()
        day = a.date()
        while day <= b.date():
            if self.is_workday(day):
                for p0, p1 in self.periods:
                    s = max(a, dt.datetime.combine(day, p0, tzinfo=TZ))
                    e = min(b, dt.datetime.combine(day, p1, tzinfo=TZ))
                    if e > s:
                        total += e - s
            day += dt.timedelta(days=1)
        return total.total_seconds() / 3600


def add_working_days(moment: dt.datetime, days: int) -> dt.datetime:
    return WorkCalendar().add_working_days(moment, days)


def add_working_hours(moment: dt.datetime, hours: float) -> dt.datetime:
    return WorkCalendar().add_working_hours(moment, hours)


def is_workday(day: dt.date) -> bool:
    return WorkCalendar().is_workday(day)


# -- statutory holiday periods (a run of rest days holding a named holiday) ------------------------------------


#: chinese_calendar's holiday names in Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("元旦"),
    "Spring Festival": gettext_lazy("春节"),
    "Tomb-sweeping Day": gettext_lazy("清明节"),
    "Labour Day": gettext_lazy("劳动节"),
    "Dragon Boat Festival": gettext_lazy("端午节"),
    "National Day": gettext_lazy("国庆节"),
    "Mid-autumn Festival": gettext_lazy("中秋节"),
    "Anti-Fascist 70th Day": gettext_lazy("抗战胜利纪念日"),
}


@dataclass(frozen=True)
class HolidayPeriod:
    """A run of rest days holding at least one statutory holiday (国庆节 2026-10-01 … 10-07)."""

    name: str
    start: dt.date
    end: dt.date

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    @property
    def key(self) -> str:
        return f"{self.start:%Y%m%d}"


def holiday_periods(year: int, calendar: WorkCalendar | None = None) -> list[HolidayPeriod]:
    """The statutory holiday periods starting in `year`, from the working-day calendar (admins' overrides
    included). For a year the holiday library does not cover yet, only the rest days an admin entered with a name
    (元旦, 春节 …) make periods."""
    cal = calendar or WorkCalendar()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    day = first - dt.timedelta(days=10)
    # For a year the library does not know yet, an admin's rest-day overrides carry the holiday's name.
    named = dict(
        CalendarOverride.objects.filter(
            is_workday=False, date__gte=day, date__lte=last + dt.timedelta(days=10)
        )
        .exclude(name="")
        .values_list("date", "name")
    )
    periods, run, name = [], [], None
    while day <= last + dt.timedelta(days=10):
        if not cal.is_workday(day):
            run.append(day)
            label = (cal.holiday_name(day) if is_covered(day) else None) or named.get(day)
            if label and name is None:
                name = label
        else:
            if run and name and first <= run[0] <= last:
                periods.append(HolidayPeriod(str(HOLIDAY_NAMES.get(name, name)), run[0], run[-1]))
            run, name = [], None
        day += dt.timedelta(days=1)
    return periods


def holiday_period_of(day: dt.date) -> HolidayPeriod | None:
    for year in (day.year, day.year - 1):
        for period in holiday_periods(year):
            if period.start <= day <= period.end:
                return period
    return None
