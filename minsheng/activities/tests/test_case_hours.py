"""A case dispatched to a volunteer team (上门服务) credits hours when it is closed and the resident's 回访 confirms
— through cases.signals.case_event, with nothing imported into cases."""

from decimal import Decimal

import pytest

from minsheng.activities.actions import points, volunteers
from minsheng.activities.choices import RecordSource, RecordStatus
from minsheng.activities.models import ServiceRecord
from minsheng.cases import actions as cases
from minsheng.cases.choices import Channel, Satisfaction, UnitKind
from minsheng.cases.models import Category, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(aw):
    leader = volunteers.do_register_volunteer(
        actor=aw.w.worker_a,
        node=aw.w.community_a,
        name="网格员志愿者",
        phone="13800000003",
        consent=True,
        user=aw.w.grid_a,
    )
    unit = Unit.objects.create(name="颐和网格志愿服务队", kind=UnitKind.EXTERNAL, node=aw.w.community_a)
    unit.members.set([aw.w.grid_a])
    return volunteers.do_create_team(
        actor=aw.w.worker_a,
        name="颐和网格志愿服务队",
        node=aw.w.community_a,
        leader=leader,
        case_unit=unit,
        visit_hours="1.5",
    )


def _replied_case(aw, team):
    w = aw.w
    case = cases.do_register(
        actor=w.grid_a,
        kind="appeal",
        channel=Channel.GRID_PATROL,
        category=Category.objects.get(code="050101"),
        description="独居老人家中水管漏水，需要上门帮忙",
        node=w.unit_a,
        reporter_name="高阿姨",
        reporter_phone="13912345678",
    )
    case = cases.do_accept(case, actor=w.worker_a)
    case = cases.do_dispatch(case, actor=w.worker_a, unit=team.case_unit, handler=w.grid_a)
    case = cases.do_sign(case, actor=w.grid_a)
    case = cases.do_reply(case, actor=w.grid_a, note="已上门更换水管接头")
    return cases.do_verify(case, actor=w.worker_a, passed=True)


def test_satisfied_follow_up_confirms_hours_and_points(aw, team):
    case = _replied_case(aw, team)
    record = ServiceRecord.objects.get(case=case)
    assert record.status == RecordStatus.PENDING and record.source == RecordSource.CASE
    assert record.hours == Decimal("1.5") and record.volunteer == team.leader
    cases.do_follow_up(case, actor=aw.w.worker_a, resolved=True, satisfaction=Satisfaction.SATISFIED)
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED and "回访" in record.confirmed_by_name
    assert points.balance_of(points.account_of(team.leader)) == 15


def test_unsatisfied_follow_up_rejects_then_redo_counts_again(aw, team):
    case = _replied_case(aw, team)
    case = cases.do_follow_up(
        case, actor=aw.w.worker_a, resolved=False, satisfaction=Satisfaction.UNSATISFIED
    )
    record = ServiceRecord.objects.get(case=case)
    assert record.status == RecordStatus.REJECTED
    assert points.balance_of(points.account_of(team.leader)) == 0
    case = cases.do_reply(case, actor=aw.w.grid_a, note="重新上门处理")
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING
    case = cases.do_verify(case, actor=aw.w.worker_a, passed=True)
    cases.do_follow_up(case, actor=aw.w.worker_a, resolved=True, satisfaction=Satisfaction.BASIC)
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED
    assert ServiceRecord.objects.filter(case=case).count() == 1


def test_cases_for_other_units_credit_nothing(aw, team):
    unit = Unit.objects.create(name="颐和社区居委会", kind=UnitKind.COMMUNITY, node=aw.w.community_a)
    unit.members.set([aw.w.grid_a])
    team.case_unit = None
    team.save(update_fields=["case_unit"])
    w = aw.w
    case = cases.do_register(
        actor=w.grid_a,
        kind="appeal",
        channel=Channel.GRID_PATROL,
        category=Category.objects.get(code="050101"),
        description="路灯不亮",
        node=w.unit_a,
    )
    case = cases.do_accept(case, actor=w.worker_a)
    case = cases.do_dispatch(case, actor=w.worker_a, unit=unit, handler=w.grid_a)
    case = cases.do_sign(case, actor=w.grid_a)
    cases.do_reply(case, actor=w.grid_a, note="已修复")
    assert not ServiceRecord.objects.exists()
