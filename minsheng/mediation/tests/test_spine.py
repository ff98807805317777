"""The centre end to end through its actions: a visit routed to mediation, an agreement, a petition to 复查."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.cases.choices import Status
from minsheng.cases.models import Case
from minsheng.core import clock
from minsheng.core.calendar import TZ
from minsheng.core.errors import IllegalTransition
from minsheng.mediation import actions
from minsheng.mediation.choices import Acceptance, Outcome, PetitionStage, Route

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def parties(c):
    return [
        {"role": "applicant", "resident": c.resident_a},
        {"role": "respondent", "resident": c.resident_b},
    ]


def test_visit_to_agreement(centre):
    c = centre
    with clock.at(MONDAY):
        visit = actions.do_register_visit(
            actor=c.clerk, node=None, resident=c.resident_a, matter="楼上漏水，墙面发霉，多次协商未果"
        )
        assert visit.is_first and visit.receiver == c.clerk
        dispute = actions.do_route_visit(
            visit,
            actor=c.clerk,
            route=Route.DISPUTE,
            type="neighbour",
            source="applied",
            facts="楼上卫生间漏水导致楼下墙面发霉",
            parties=parties(c),
            mediators=[c.mediator],
        )
    assert dispute.case.kind.code == "dispute"
    dispute.case.refresh_from_db()
    assert dispute.case.status == Status.HANDLING
    assert dispute.case.source == dispute
    assert dispute.mediation_due.date() == dt.date(2026, 4, 2)
    with clock.at(MONDAY + dt.timedelta(days=3)):
        actions.do_record_session(
            dispute, actor=c.mediator, attendees="王秀兰、李建国", record="双方陈述，同意维修"
        )
        ids = [p.pk for p in dispute.parties.all()]
        with pytest.raises(ValidationError):
            actions.do_agree_written(
                dispute, actor=c.mediator, disputed_points="漏水", agreed_terms="维修", consents=ids[:1]
            )
        dispute.refresh_from_db()
        assert dispute.outcome == Outcome.PENDING and dispute.number == ""
        actions.do_agree_written(
            dispute,
            actor=c.mediator,
            disputed_points="楼上漏水",
            agreed_terms="李建国7日内修好并赔偿2000元",
            consents=ids,
            amount="2000",
            performance_by=dt.date(2026, 3, 12),
        )
    dispute.refresh_from_db()
    assert dispute.outcome == Outcome.WRITTEN
    assert dispute.number == "（2026）城关人调字第1号"
    assert dispute.judicial_due.date() == dt.date(
        2026, 4, 7
    )  # 4 Apr is a Saturday; 5 Apr 清明, 6 Apr holiday
    case = Case.objects.get(pk=dispute.case_id)
    assert case.status == Status.RESOLVED
    assert case.events.filter(verb="mediation_session").exists()


def test_repeat_visit_is_computed(centre):
    c = centre
    with clock.at(MONDAY):
        actions.do_register_visit(
            actor=c.clerk, node=None, resident=c.resident_a, matter="楼上漏水，墙面发霉"
        )
    with clock.at(MONDAY + dt.timedelta(days=20)):
        again = actions.do_register_visit(
            actor=c.clerk, node=None, resident=c.resident_a, matter="还是楼上漏水的问题，墙面发霉"
        )
        other = actions.do_register_visit(
            actor=c.clerk, node=None, resident=c.resident_a, matter="咨询低保申请的条件"
        )
    assert not again.is_first and again.repeat_of is not None
    assert other.is_first


def test_petition_to_review_and_final(centre):
    c = centre
    with clock.at(MONDAY):
        p = actions.do_register_petition(
            actor=c.clerk,
            form="letter",
            node=c.w.unit_a,
            petitioner="赵大爷",
            phone="13911112222",
            matter="小区加装电梯补贴未发放",
        )
        with pytest.raises(IllegalTransition):
            actions.do_reply_petition(p, actor=c.clerk, text="已答复")
        actions.do_accept_petition(p, actor=c.clerk, accept=True, notice_text="予以受理")
    p.refresh_from_db()
    assert p.acceptance == Acceptance.ACCEPTED
    with clock.at(MONDAY + dt.timedelta(days=10)):
        actions.do_reply_petition(p, actor=c.clerk, text="补贴将于本月发放")
    p.refresh_from_db()
    with clock.at(MONDAY + dt.timedelta(days=50)), pytest.raises(IllegalTransition):
        actions.do_request_review(p, actor=c.clerk, reason="不服")
    with clock.at(MONDAY + dt.timedelta(days=20)):
        review = actions.do_request_review(p, actor=c.clerk, reason="不服答复")
        assert review.stage == PetitionStage.REVIEW
        actions.do_accept_petition(review, actor=c.clerk, accept=True, notice_text="受理复查")
        actions.do_reply_petition(review, actor=c.clerk, text="维持原答复")
        review.refresh_from_db()
        rr = actions.do_request_review(review, actor=c.clerk, reason="申请复核")
        actions.do_accept_petition(rr, actor=c.clerk, accept=True, notice_text="受理复核")
        actions.do_reply_petition(rr, actor=c.clerk, text="维持")
        rr.refresh_from_db()
    assert rr.final
    p.refresh_from_db()
    assert p.final
    with clock.at(MONDAY + dt.timedelta(days=40)), pytest.raises(ValidationError):
        actions.do_register_petition(
            actor=c.clerk,
            form="visit",
            node=c.w.unit_a,
            petitioner="赵大爷",
            phone="13911112222",
            matter="小区加装电梯补贴未发放问题",
        )


def test_grid_worker_cannot_register_petition(centre):
    with pytest.raises(PermissionDenied):
        actions.do_register_petition(
            actor=centre.w.grid_a, form="letter", node=centre.w.unit_a, petitioner="某人", matter="某事"
        )
