"""Every transition of the closed loop, legal and illegal, with the people allowed to do it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.cases import actions, workflow
from minsheng.cases.choices import Channel, RequestKind, Satisfaction, Status
from minsheng.cases.models import Case, CaseEvent
from minsheng.core import clock
from minsheng.core.errors import IllegalTransition
from minsheng.core.models import CalendarOverride  # noqa: F401  (calendar overrides are part of the world)

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def register(cw, **kw):
    defaults = {
        "actor": cw.w.grid_a,
        "kind": "appeal",
        "channel": Channel.GRID_PATROL,
        "category": cw.cat_sewer,
        "description": "3号楼下水道堵塞，污水外溢",
        "node": cw.w.unit_a,
        "reporter_name": "高阿姨",
        "reporter_phone": "13912345678",
    }
    defaults.update(kw)
    return actions.do_register(**defaults)


def test_happy_path_from_register_to_archive(cw):
    w = cw.w
    with clock.at(dt.datetime(2025, 12, 8, 9, 0, tzinfo=TZ)):  # a Monday
        case = register(cw)
    assert case.number.startswith("CG-2025-")
    assert case.status == Status.REGISTERED
    assert case.grid == cw.grid  # derived from the picked node
    assert case.first_receiver == w.grid_a  # 首问负责
    with clock.at(dt.datetime(2025, 12, 8, 9, 30, tzinfo=TZ)):
        case = actions.do_accept(case, actor=w.worker_a)
    # ordinary: 5 working days → Monday 15 Dec end of office hours
    assert case.finish_due == dt.datetime(2025, 12, 15, 17, 30, tzinfo=TZ)
    case = actions.do_dispatch(case, actor=w.worker_a)  # routing: 属地 → 社区A, the grid's worker
    assert case.lead_unit == cw.unit_a and case.handler == w.grid_a
    case = actions.do_sign(case, actor=w.grid_a)
    assert case.status == Status.HANDLING
    case = actions.do_reply(case, actor=w.grid_a, note="已疏通")
    case = actions.do_verify(case, actor=w.worker_a, passed=True)
    assert case.status == Status.RESOLVED and case.resolved_at is not None
    case = actions.do_follow_up(case, actor=w.worker_a, resolved=True, satisfaction=Satisfaction.SATISFIED)
    assert case.status == Status.ARCHIVED
    verbs = list(case.events.values_list("verb", flat=True))
    assert verbs == ["register", "accept", "dispatch", "sign", "reply", "verify_pass", "follow_up"]
    last = case.events.last()
    assert (last.from_status, last.to_status, last.actor) == (Status.RESOLVED, Status.ARCHIVED, w.worker_a)


def test_illegal_transitions_raise_and_change_nothing(cw):
    case = register(cw)
    with pytest.raises(IllegalTransition):
        actions.do_sign(case, actor=cw.w.grid_a)
    with pytest.raises(IllegalTransition):
        actions.do_verify(case, actor=cw.w.worker_a, passed=True)
    case.refresh_from_db()
    assert case.status == Status.REGISTERED
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_people_outside_scope_or_role_are_refused(cw):
    case = register(cw)
    with pytest.raises(PermissionDenied):
        actions.do_accept(case, actor=cw.w.grid_b)  # another community
    with pytest.raises(PermissionDenied):
        actions.do_accept(case, actor=cw.w.grid_a)  # a grid worker does not accept
    case = actions.do_accept(case, actor=cw.w.worker_a)
    case = actions.do_dispatch(case, actor=cw.w.worker_a, unit=cw.unit_a, handler=cw.w.grid_a)
    with pytest.raises(PermissionDenied):
        actions.do_sign(case, actor=cw.cadre)  # not a member of the lead unit
    assert "sign" in workflow.available(case, cw.w.grid_a)
    assert "sign" not in workflow.available(case, cw.w.grid_b)


def test_return_redispatch_rework_and_redo(cw):
    w = cw.w
    case = actions.do_accept(register(cw), actor=w.worker_a)
    case = actions.do_dispatch(case, actor=w.worker_a, unit=cw.office)
    with pytest.raises(ValidationError):
        actions.do_return(case, actor=cw.cadre, reason="  ")
    case = actions.do_return(case, actor=cw.cadre, reason="属地问题，应由社区处理")
    assert case.status == Status.RETURNED and case.return_count == 1
    case = actions.do_dispatch(case, actor=w.worker_a, unit=cw.unit_a, handler=w.grid_a)
    case = actions.do_sign(case, actor=w.grid_a)
    case = actions.do_reply(case, actor=w.grid_a, note="已处理")
    case = actions.do_verify(case, actor=w.worker_a, passed=False, note="现场仍有积水")
    assert case.status == Status.HANDLING and case.rework_count == 1
    case = actions.do_reply(case, actor=w.grid_a, note="再次疏通")
    case = actions.do_verify(case, actor=w.worker_a, passed=True)
    case = actions.do_follow_up(case, actor=w.worker_a, resolved=False, satisfaction=Satisfaction.UNSATISFIED)
    assert case.status == Status.HANDLING and case.redo_count == 1


def test_extension_moves_the_deadline_and_shelving_pauses(cw):
    w = cw.w
    with clock.at(dt.datetime(2025, 12, 8, 9, 0, tzinfo=TZ)):
        case = actions.do_accept(register(cw), actor=w.worker_a)
        case = actions.do_dispatch(case, actor=w.worker_a, unit=cw.office, handler=cw.cadre)
        case = actions.do_sign(case, actor=cw.cadre)
        req = actions.do_request(
            case, actor=cw.cadre, kind=RequestKind.EXTENSION, days=3, reason="需协调供水公司"
        )
        with pytest.raises(IllegalTransition):
            actions.do_request(case, actor=cw.cadre, kind=RequestKind.EXTENSION, days=2, reason="again")
        actions.do_decide(req, actor=cw.leader, approve=True, note="同意")
    case.refresh_from_db()
    assert case.finish_due == dt.datetime(2025, 12, 18, 17, 30, tzinfo=TZ)
    assert case.extension_count == 1
    with pytest.raises(IllegalTransition):
        actions.do_decide(req, actor=cw.leader, approve=False)
    shelve = actions.do_request(case, actor=cw.cadre, kind=RequestKind.SHELVE, reason="需等到春季施工")
    with pytest.raises(PermissionDenied):
        actions.do_decide(shelve, actor=w.grid_a, approve=True)
    actions.do_decide(shelve, actor=cw.leader, approve=True)
    case.refresh_from_db()
    assert case.status == Status.SHELVED
    case = actions.do_resume(case, actor=cw.cadre)
    assert case.status == Status.HANDLING


def test_merge_links_both_ways(cw):
    first = actions.do_accept(register(cw), actor=cw.w.worker_a)
    second = register(cw, description="下水道又堵了", reporter_name="刘大爷")
    merged = actions.do_merge(second, into=first, actor=cw.w.worker_a)
    assert merged.status == Status.MERGED and merged.merged_into == first
    assert list(first.merged_cases.all()) == [merged]
    assert first.events.filter(verb="merged_in").exists()
    with pytest.raises(ValidationError):
        actions.do_merge(first, into=first, actor=cw.w.worker_a)


def test_reopen_within_the_window_only(cw):
    w = cw.w
    with clock.at(dt.datetime(2025, 12, 1, 9, 0, tzinfo=TZ)):
        case = actions.do_accept(register(cw), actor=w.worker_a)
        case = actions.do_dispatch(case, actor=w.worker_a, unit=cw.unit_a, handler=w.grid_a)
        case = actions.do_sign(case, actor=w.grid_a)
        case = actions.do_reply(case, actor=w.grid_a, note="已疏通")
        case = actions.do_verify(case, actor=w.worker_a, passed=True)
    with clock.at(dt.datetime(2025, 12, 30, 9, 0, tzinfo=TZ)), pytest.raises(IllegalTransition):
        actions.do_reopen(case, reason="又堵了", by_reporter=True)
    with clock.at(dt.datetime(2025, 12, 10, 9, 0, tzinfo=TZ)):
        case = actions.do_reopen(case, reason="又堵了", by_reporter=True)
    assert case.status == Status.ACCEPTED and case.reopen_count == 1


def test_key_case_leader_hears_every_step(cw):
    from minsheng.core.models import Notification

    w = cw.w
    case = actions.do_accept(register(cw), actor=w.worker_a)
    actions.do_set_key(case, actor=cw.leader, leader=cw.leader, plan="一个案子、一名领导、一个方案、一抓到底")
    before = Notification.objects.filter(recipient=cw.leader).count()
    case = actions.do_dispatch(case, actor=w.worker_a, unit=cw.unit_a, handler=w.grid_a)
    actions.do_sign(case, actor=w.grid_a)
    assert Notification.objects.filter(recipient=cw.leader).count() == before + 2


def test_bad_intake_gets_field_errors(cw):
    with pytest.raises(ValidationError) as err:
        actions.do_register(
            actor=cw.w.grid_a, kind="appeal", channel="carrier-pigeon", category=cw.cat_sewer, description=""
        )
    assert {"description", "channel", "node"} <= set(err.value.message_dict)
    assert Case.objects.count() == 0


def test_point_location_finds_grid_and_community(cw):
    case = register(cw, node=None, lat=36.505, lng=118.505)
    assert case.grid == cw.grid and case.node == cw.w.community_a


def test_recategorising_reroutes(cw):
    w = cw.w
    case = actions.do_accept(register(cw), actor=w.worker_a)
    case = actions.do_dispatch(case, actor=w.worker_a)
    assert case.lead_unit == cw.unit_a
    case = actions.do_recategorize(case, actor=w.worker_a, category=cw.cat_building)
    assert case.lead_unit == cw.office
    assert case.events.filter(verb="redispatch").exists()
