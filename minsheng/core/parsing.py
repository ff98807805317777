"""The one place where a date, a time or a whole number typed by a stranger becomes a value.

Every door (filters, query parameters, sensor payloads, Open311) parses through these functions, so a value the
database or Python's datetime cannot hold is refused as bad input (a 400, a counted rejection) instead of failing
deep inside a query (a 500): years outside `MIN_DATE`–`MAX_DATE` (a time zone of +14:00 turns 0001-01-01 into year
0 on conversion to UTC), integers beyond 64 bits, floats written as integers (`1e30`), Unix times past year 9999.
"""

import datetime as dt
import math
import re

from django.utils import timezone
from django.utils.dateparse import parse_date as _django_parse_date
from django.utils.dateparse import parse_datetime as _django_parse_datetime
from django.utils.translation import gettext as _

#: The calendar the product works in: residents' birth dates and archives reach back to 1900; plans to 2199.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)
INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
_INTEGER = re.compile(r"^[+-]?\d{1,19}$")


class InvalidValue(ValueError):
    """Bad input, with a message meant for the person who typed it."""


def _in_range(day: dt.date) -> None:
    if not MIN_DATE <= day <= MAX_DATE:
        raise InvalidValue(
            _("日期须在 %(min)s 至 %(max)s 之间") % {"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()}
        )


def parse_date(text: object) -> dt.date:
    """An ISO 8601 date (YYYY-MM-DD) inside the product's calendar."""
    if isinstance(text, dt.datetime):
        text = text.date()
    if isinstance(text, dt.date):
        _in_range(text)
        return text
    try:
        day = _django_parse_date(str(text).strip())
    except ValueError:  # well formed but impossible, such as 2026-02-30
        day = None
    if day is None:
        raise InvalidValue(_("日期格式应为 YYYY-MM-DD"))
    _in_range(day)
    return day


def parse_datetime(text: object, *, date_means_midnight: bool = True) -> dt.datetime:
    """An ISO 8601 time (a bare date means its midnight, local time); naive times are local. Always aware."""
    moment: dt.datetime | None
    if isinstance(text, dt.datetime):
        moment = text
    else:
        raw = str(text).strip()
        try:
            moment = _django_parse_datetime(raw)
        except ValueError:
            moment = None
        if moment is None and date_means_midnight:
            try:
                day = _django_parse_date(raw)
            except ValueError:
                day = None
            if day is not None:
                moment = dt.datetime.combine(day, dt.time.min)
        if moment is None:
            raise InvalidValue(_("时间格式应为 ISO 8601，例如 2026-01-05T09:00:00+08:00"))
    assert moment is not None
    _in_range(moment.date())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        _in_range(moment.astimezone(dt.UTC).date())
    except OverflowError:
        raise InvalidValue(_("时间超出范围")) from None
    return moment


def from_timestamp(seconds: object) -> dt.datetime:
    """Unix seconds as an aware UTC datetime; anything not a finite number inside the calendar is refused."""
    try:
        finite = not isinstance(seconds, bool) and isinstance(seconds, int | float) and math.isfinite(seconds)
    except OverflowError:  # an integer beyond any float
        finite = False
    if not finite or not isinstance(seconds, int | float):
        raise InvalidValue(_("时间须为有限的 Unix 秒数"))
    low = dt.datetime.combine(MIN_DATE, dt.time.min, tzinfo=dt.UTC).timestamp()
    high = dt.datetime.combine(MAX_DATE, dt.time.max, tzinfo=dt.UTC).timestamp()
    if not low <= seconds <= high:
        raise InvalidValue(
            _("时间超出范围（%(min)s 至 %(max)s）") % {"min": MIN_DATE.year, "max": MAX_DATE.year}
        )
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def parse_int(text: object, *, low: int = INT_MIN, high: int = INT_MAX) -> int:
    """A whole number written as digits (no `1e30`, no `3.0`) between `low` and `high` (64 bits by default)."""
    if isinstance(text, bool):
        raise InvalidValue(_("应为整数"))
    if isinstance(text, int):
        value = text
    else:
        raw = str(text).strip()
        if not _INTEGER.match(raw):
            raise InvalidValue(_("应为整数"))
        value = int(raw)
    if not low <= value <= high:
        raise InvalidValue(_("应为 %(low)s 至 %(high)s 之间的整数") % {"low": low, "high": high})
    return value


def is_id(value: object) -> bool:
    """An id as typed in a URL or a form: ASCII digits that fit 64 bits. `str.isdigit()` also accepts "²" and
    other digits that int() and the database refuse (a 500 where a 404 or a form error belongs)."""
    text = str(value) if value is not None else ""
    return text.isascii() and text.isdigit() and len(text) <= 18
