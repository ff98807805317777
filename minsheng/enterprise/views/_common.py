"""What every enterprise page shares: the action runner, the period of the figures."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.core import clock
from minsheng.core.errors import IllegalTransition
from minsheng.core.forms import apply_action_errors


def run(request, form, action, *args, **kwargs):
    """Call an action with a bound, valid form: its refusals become form errors (400) or a message (409)."""
    try:
        return action(*args, **kwargs), 200
    except (ValidationError, PermissionDenied) as exc:
        apply_action_errors(form, exc)
        return None, 400
    except IllegalTransition as exc:
        form.add_error(None, str(exc))
        return None, 409


def year_period(request) -> tuple[dt.date, dt.date, int | None]:
    """The figures' period: the last twelve months by default (what a work report says "过去一年" of), or a
    calendar year with ?year=."""
    today = clock.today()
    raw = request.GET.get("year") or ""
    if not raw.isdigit():
        return today - dt.timedelta(days=364), today, None
    year = min(max(int(raw), 2000), today.year)
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), today), year
