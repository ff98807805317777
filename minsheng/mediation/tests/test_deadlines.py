"""Each statutory clock with time-machine: 告知 15, 办理 60 (+30), 复查/复核 request 30 and answer 30, mediation one
month, 司法确认 30 days, 履行回访 — computed on the core calendar and reminded by an idempotent periodic job."""

import datetime as dt

import pytest
import time_machine

from minsheng.core.calendar import TZ
from minsheng.core.errors import IllegalTransition
from minsheng.core.models import Notification
from minsheng.mediation import actions
from minsheng.mediation.actions import clocks
from minsheng.mediation.models import Reminder

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)  # a Monday


def at(day_offset: int, hour: int = 10):
    return time_machine.travel(START + dt.timedelta(days=day_offset, hours=hour - 9), tick=False)


def register(c):
    return actions.do_register_petition(
        actor=c.clerk,
        form="letter",
        node=c.w.unit_a,
        petitioner="赵大爷",
        phone="13911112222",
        matter="补贴未发放",
    )


def test_notice_15_days_then_reminded_once(centre):
    with at(0):
        p = register(centre)
    assert p.notice_due.date() == dt.date(2026, 3, 17)
    with at(13):
        assert clocks.run()["reminded"] == 1
        assert clocks.run() == {"reminded": 0, "overdue": 0}  # idempotent
    with at(16):
        assert clocks.run()["overdue"] == 1
        assert clocks.run()["overdue"] == 0
    assert Reminder.objects.count() == 2
    assert Notification.objects.filter(title__contains="已超期").exists()


def test_handle_60_days_and_one_extension_of_30(centre):
    with at(0):
        p = register(centre)
        actions.do_accept_petition(p, actor=centre.clerk, accept=True, notice_text="受理")
    p.refresh_from_db()
    assert p.handle_due.date() == dt.date(
        2026, 5, 6
    )  # 1 May + 60 natural days → 5 May is 劳动节 holiday → 6 May
    with at(50):
        actions.do_extend_petition(p, actor=centre.leader, reason="需多部门会商")
    p.refresh_from_db()
    assert p.handle_due.date() == dt.date(2026, 6, 5)
    p.case.refresh_from_db()
    assert p.case.extension_count == 1 and p.case.finish_due >= p.handle_due
    with at(51), pytest.raises(IllegalTransition):
        actions.do_extend_petition(p, actor=centre.leader, reason="再延")
    with at(70):
        assert clocks.run()["overdue"] == 0
    with at(96):
        assert clocks.run()["overdue"] == 1


def test_review_window_30_days_and_answer_30(centre):
    with at(0):
        p = register(centre)
        actions.do_accept_petition(p, actor=centre.clerk, accept=True, notice_text="受理")
    with at(10):
        actions.do_reply_petition(p, actor=centre.clerk, text="答复")
    p.refresh_from_db()
    assert p.request_due.date() == dt.date(2026, 4, 13)  # 12 Mar + 30 = 11 Apr (Saturday) → Monday 13 Apr
    with at(43), pytest.raises(IllegalTransition):
        actions.do_request_review(p, actor=centre.clerk, reason="不服")
    with at(40):
        review = actions.do_request_review(p, actor=centre.clerk, reason="不服")
        actions.do_accept_petition(review, actor=centre.clerk, accept=True, notice_text="受理复查")
    review.refresh_from_db()
    assert (review.handle_due.date() - dt.date(2026, 4, 11)).days in (30, 31, 32)


def test_mediation_month_judicial_30_and_performance_visit(centre):
    c = centre
    with at(0):
        d = actions.do_open_dispute(
            actor=c.clerk,
            node=c.w.unit_a,
            type="neighbour",
            source="applied",
            facts="漏水",
            parties=[
                {"role": "applicant", "resident": c.resident_a},
                {"role": "respondent", "resident": c.resident_b},
            ],
            mediators=[c.mediator],
        )
    assert d.mediation_due.date() == dt.date(2026, 4, 2)
    with at(30):
        assert clocks.run()["reminded"] == 1
    with at(32):
        assert clocks.run()["overdue"] == 1
        ids = [p.pk for p in d.parties.all()]
        actions.do_agree_written(
            d, actor=c.mediator, disputed_points="漏水", agreed_terms="修复", consents=ids
        )
    d.refresh_from_db()
    assert d.judicial_due.date() == dt.date(2026, 5, 6)  # 3 Apr + 30 = 3 May, 劳动节 → 6 May
    assert d.performance_due.date() == dt.date(2026, 5, 6)
    with at(64):
        counts = clocks.run()
        assert counts["reminded"] == 2  # 司法确认 and 履行回访 both near
    with at(70), pytest.raises(IllegalTransition):
        actions.do_record_judicial(d, actor=c.mediator, applied_on=dt.date(2026, 5, 11))
    with at(64):
        actions.do_record_judicial(d, actor=c.mediator, applied_on=dt.date(2026, 5, 4))
        actions.do_follow_up_performance(d, actor=c.mediator, performance="full", satisfaction="satisfied")
    with at(70):
        assert clocks.run() == {"reminded": 0, "overdue": 0}


def test_engine_clock_never_runs_ahead_of_the_statutory_one(centre):
    from minsheng.cases.actions import run_deadline_clock
    from minsheng.cases.models import Case

    with at(0):
        p = register(centre)
        actions.do_accept_petition(p, actor=centre.clerk, accept=True, notice_text="受理")
        d = actions.do_open_dispute(
            actor=centre.clerk,
            node=centre.w.unit_a,
            type="family",
            source="applied",
            facts="赡养",
            parties=[{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}],
        )
    p.refresh_from_db()
    petition_case = Case.objects.get(pk=p.case_id)
    dispute_case = Case.objects.get(pk=d.case_id)
    assert petition_case.category.code == "M2" and dispute_case.category.code == "M1"
    assert petition_case.finish_due >= p.handle_due
    assert dispute_case.finish_due >= d.mediation_due
    with at(30):
        assert run_deadline_clock()["overdue"] == 0


def test_the_engine_does_not_call_a_petition_late_before_its_statutory_notice_day(centre):
    """The engine's 受理 clock counts towards 超期 too: a petition waiting for its 告知 (15 natural days) is on time
    in the case lists until that day, even across a weekend."""
    from minsheng.cases.deadlines import overdue_q
    from minsheng.cases.models import Case
    from minsheng.core import clock

    with at(0):
        p = register(centre)
    for day in (1, 5, 12, 14):
        with at(day):
            assert not Case.objects.filter(overdue_q(clock.now()), pk=p.case_id).exists(), day
