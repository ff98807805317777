"""A 不满意 the handling cannot change is recorded with its reason and archived (decision 0045); any other 不满意
sends the case back (重办)."""

import pytest
from django.core.exceptions import ValidationError

from minsheng.cases import actions, metrics
from minsheng.cases.choices import Channel, Satisfaction, Status
from minsheng.cases.models import Case

pytestmark = pytest.mark.django_db


def resolved_case(cw):
    w = cw.w
    case = actions.do_register(
        actor=w.grid_a,
        kind="appeal",
        channel=Channel.GRID_PATROL,
        category=cw.cat_sewer,
        description="颐和家园希望增加停车位。",
        node=w.building_a,
        reporter_phone="13912345678",
    )
    case = actions.do_dispatch(
        actions.do_accept(case, actor=w.worker_a), actor=w.worker_a, unit=cw.unit_a, handler=w.grid_a
    )
    case = actions.do_sign(case, actor=w.grid_a)
    case = actions.do_reply(case, actor=w.grid_a, note="已答复：小区内无新增车位空间")
    return actions.do_verify(case, actor=w.worker_a, passed=True)


def test_an_unsatisfied_verdict_without_redo_needs_a_reason_and_counts(cw):
    case = resolved_case(cw)
    with pytest.raises(ValidationError):
        actions.do_follow_up(case, actor=cw.w.worker_a, satisfaction=Satisfaction.UNSATISFIED, redo=False)
    case = actions.do_follow_up(
        case,
        actor=cw.w.worker_a,
        satisfaction=Satisfaction.UNSATISFIED,
        resolved=False,
        redo=False,
        comment="已解释小区规划无新增车位空间",
    )
    assert case.status == Status.ARCHIVED and case.redo_count == 0
    m = metrics.summary(Case.objects.all())
    assert (m.unsatisfied, m.satisfaction_rate) == (1, 0)


def test_an_unsatisfied_verdict_by_default_sends_the_case_back(cw):
    case = actions.do_follow_up(resolved_case(cw), actor=cw.w.worker_a, satisfaction=Satisfaction.UNSATISFIED)
    assert case.status == Status.HANDLING and case.redo_count == 1
