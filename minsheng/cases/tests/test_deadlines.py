"""Time limits on the working-day calendar, the yellow/red states, and the idempotent deadline clock."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from minsheng.cases import actions, deadlines
from minsheng.cases.choices import Channel, DeadlineState, Urgency
from minsheng.cases.models import Supervision
from minsheng.core import clock
from minsheng.core.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def accepted(cw, when, *, signed=False, **kw):
    """Registered, accepted and dispatched at `when`; `signed` also signs it then, so only the 办结 clock runs."""
    with clock.at(when):
        case = actions.do_register(
            actor=cw.w.grid_a,
            kind="appeal",
            channel=Channel.GRID_PATROL,
            category=kw.pop("category", cw.cat_sewer),
            description="问题描述",
            node=cw.w.unit_a,
            **kw,
        )
        case = actions.do_accept(case, actor=cw.w.worker_a)
        case = actions.do_dispatch(case, actor=cw.w.worker_a, unit=cw.unit_a, handler=cw.w.grid_a)
        return actions.do_sign(case, actor=cw.w.grid_a) if signed else case


def test_ordinary_case_spans_the_2025_national_day_holiday(cw):
    # Accepted Tuesday 30 Sep 2025 10:00; 1–8 Oct are holidays, 11 Oct (Saturday) is a makeup workday.
    case = accepted(cw, dt.datetime(2025, 9, 30, 10, tzinfo=TZ))
    # 5 working days: 9, 10, 11 (Sat, worked), 13, 14 Oct → due Tuesday 14 Oct 17:30.
    assert case.finish_due == dt.datetime(2025, 10, 14, 17, 30, tzinfo=TZ)


def test_consultation_is_one_working_day_and_emergency_two_natural_hours(cw):
    consult = accepted(cw, dt.datetime(2026, 2, 13, 9, tzinfo=TZ), category=cw.cat_consult)
    # Friday 13 Feb 2026 + 1 working day → Saturday 14 Feb, a makeup workday for the Spring Festival.
    assert consult.finish_due == dt.datetime(2026, 2, 14, 17, 30, tzinfo=TZ)
    urgent = accepted(cw, dt.datetime(2026, 2, 16, 23, tzinfo=TZ), urgency=Urgency.EMERGENCY)
    assert urgent.finish_due == dt.datetime(2026, 2, 17, 1, tzinfo=TZ)  # nights and holidays count


def test_yellow_at_eighty_percent_then_red(cw):
    case = accepted(cw, dt.datetime(2025, 12, 8, 8, 30, tzinfo=TZ), signed=True)  # due Monday 15 Dec 17:30
    assert deadlines.state_of(case, dt.datetime(2025, 12, 9, 9, tzinfo=TZ)) == DeadlineState.GREEN
    assert case.finish_warn_at is not None
    assert deadlines.state_of(case, case.finish_warn_at) == DeadlineState.YELLOW
    assert deadlines.state_of(case, dt.datetime(2025, 12, 15, 18, tzinfo=TZ)) == DeadlineState.RED


def test_clock_warns_then_escalates_once(cw):
    case = accepted(cw, dt.datetime(2025, 12, 8, 8, 30, tzinfo=TZ), signed=True)
    with clock.at(case.finish_warn_at + dt.timedelta(minutes=1)):
        assert actions.run_deadline_clock() == {"warned": 1, "overdue": 0}
        assert actions.run_deadline_clock() == {"warned": 0, "overdue": 0}
    overdue_time = case.finish_due + dt.timedelta(hours=1)
    with clock.at(overdue_time):
        assert actions.run_deadline_clock() == {"warned": 0, "overdue": 1}
        assert actions.run_deadline_clock() == {"warned": 0, "overdue": 0}
    case.refresh_from_db()
    assert case.overdue_at == overdue_time
    assert Supervision.objects.filter(case=case, kind=Supervision.Kind.ESCALATE).count() == 1
    # escalation reaches the unit's leader (社区A worker leads unit A)
    assert Notification.objects.filter(recipient=cw.w.worker_a, level="urgent").count() == 1


def test_resolution_on_time_is_fixed_at_verification(cw):
    case = accepted(cw, dt.datetime(2025, 12, 8, 8, 30, tzinfo=TZ))
    with clock.at(dt.datetime(2025, 12, 16, 9, tzinfo=TZ)):  # a day late
        case = actions.do_sign(case, actor=cw.w.grid_a)
        case = actions.do_reply(case, actor=cw.w.grid_a, note="已处理")
        case = actions.do_verify(case, actor=cw.w.worker_a, passed=True)
    assert case.resolved_on_time is False
