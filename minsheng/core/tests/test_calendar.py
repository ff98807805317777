"""The working-day calendar on real 2025–2026 holidays and 调休 makeup workdays (State Council notices)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from minsheng.core.calendar import WorkCalendar, is_covered
from minsheng.core.models import CalendarOverride

TZ = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def test_2025_national_day_golden_week_and_makeup_days():
    cal = WorkCalendar()
    # 国务院办公厅 2025 notice: 10月1日至8日放假调休, 9月28日(周日)、10月11日(周六)上班.
    assert not cal.is_workday(dt.date(2025, 10, 1))
    assert not cal.is_workday(dt.date(2025, 10, 8))
    assert cal.is_workday(dt.date(2025, 9, 28))  # a Sunday, worked
    assert cal.is_workday(dt.date(2025, 10, 11))  # a Saturday, worked
    # Tuesday 30 Sep 10:00 + 1 working day → the next workday is Thursday 9 Oct, end of office hours.
    assert cal.add_working_days(at(2025, 9, 30, 10), 1) == at(2025, 10, 9, 17, 30)


def test_2026_spring_festival():
    cal = WorkCalendar()
    # 2026 notice: 春节 2月15日至23日放假调休, 2月14日(周六)、2月28日(周六)上班.
    assert cal.is_workday(dt.date(2026, 2, 14))
    assert not cal.is_workday(dt.date(2026, 2, 16))
    assert not cal.is_workday(dt.date(2026, 2, 23))
    assert cal.is_workday(dt.date(2026, 2, 28))
    # Friday 13 Feb + 2 working days: Sat 14 (makeup) is one, the next is Tue 24 Feb.
    assert cal.add_working_days(at(2026, 2, 13, 9), 2) == at(2026, 2, 24, 17, 30)


def test_working_hours_skip_lunch_nights_and_holidays():
    cal = WorkCalendar()
    # Thursday 2025-12-11 11:00 + 2 working hours: 1 h until 12:00, lunch, 1 h from 13:30 → 14:30.
    assert cal.add_working_hours(at(2025, 12, 11, 11, 0), 2) == at(2025, 12, 11, 14, 30)
    # Friday 17:00 + 1 h: 0.5 h Friday, then Monday 08:30 + 0.5 h.
    assert cal.add_working_hours(at(2025, 12, 12, 17, 0), 1) == at(2025, 12, 15, 9, 0)
    # Reported at night during 国庆 2025 → the clock starts on Thursday 9 Oct.
    assert cal.add_working_hours(at(2025, 10, 3, 22, 0), 2) == at(2025, 10, 9, 10, 30)
    assert cal.working_hours_between(at(2025, 12, 11, 11, 0), at(2025, 12, 11, 14, 30)) == pytest.approx(2.0)


def test_a_rest_day_counts_from_the_first_workday():
    cal = WorkCalendar()
    # Saturday 2025-12-13 + 1 working day → Monday 15 Dec, end of day.
    assert cal.add_working_days(at(2025, 12, 13, 10), 1) == at(2025, 12, 15, 17, 30)


def test_admin_override_wins_and_uncovered_years_fall_back_to_weekdays():
    cal = WorkCalendar()
    far = dt.date(2031, 1, 1)  # a Wednesday, beyond the library's tables
    assert not is_covered(far)
    assert cal.is_workday(far)
    CalendarOverride.objects.create(date=far, is_workday=False, name="元旦")
    assert not WorkCalendar().is_workday(far)
