"""The registered figures: counts over the scope's period and subtree, "solved" = reached 办结 and never reopened,
visit coverage, missed occurrences, overdue 联户 contacts."""

import datetime as dt

import pytest
import time_machine

from minsheng.cases import actions as case_actions
from minsheng.cases.models import Unit
from minsheng.core import metrics
from minsheng.deliberation import actions
from minsheng.deliberation.choices import ItemKind, ParticipantRole, VisitOutcome

from .conftest import local

pytestmark = pytest.mark.django_db


def scope(dw, node=None):
    return metrics.Scope(viewer=dw.w.admin, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31), node=node)


def resolve(case, w):
    unit = Unit.objects.create(name="颐和社区居委会", kind="community", node=w.community_a)
    unit.members.add(w.worker_a)
    case = case_actions.do_accept(case, actor=w.worker_a)
    case = case_actions.do_dispatch(case, actor=w.worker_a, unit=unit, handler=w.worker_a)
    case = case_actions.do_sign(case, actor=w.worker_a)
    case = case_actions.do_reply(case, actor=w.worker_a, note="已修好")
    return case_actions.do_verify(case, actor=w.worker_a, passed=True)


def test_item_figures_and_attendance(dw):
    w = dw.w
    with time_machine.travel(local(2026, 10, 12, 9, 5), tick=False):
        m = actions.do_create_meeting(
            actor=w.worker_a,
            kind=dw.kind("open_day"),
            node=w.estate_a,
            title="开放日",
            place="物业中心",
            starts_at=local(2026, 10, 12, 9),
            ends_at=local(2026, 10, 12, 11),
        )
        actions.do_open(m, actor=w.worker_a)
        solved = actions.do_raise_item(m, actor=w.worker_a, kind=ItemKind.PROBLEM, text="路灯坏")
        reopened = actions.do_raise_item(m, actor=w.worker_a, kind=ItemKind.PROBLEM, text="门禁坏")
        actions.do_raise_item(m, actor=w.worker_a, kind=ItemKind.PROBLEM, text="积水")
        actions.do_raise_item(m, actor=w.worker_a, kind=ItemKind.SUGGESTION, text="多办活动")
        actions.do_sign_in(m, user=dw.property_mgr)
        actions.do_set_tally(m, actor=w.worker_a, counts={ParticipantRole.RESIDENT: 20})
        actions.do_close(m, actor=w.worker_a, minutes="纪要")
    with time_machine.travel(local(2026, 10, 14, 9), tick=False):
        resolve(solved.case, w)
        resolve_unit = Unit.objects.get()
        case = case_actions.do_accept(reopened.case, actor=w.worker_a)
        case = case_actions.do_dispatch(case, actor=w.worker_a, unit=resolve_unit, handler=w.worker_a)
        case = case_actions.do_sign(case, actor=w.worker_a)
        case = case_actions.do_reply(case, actor=w.worker_a, note="修好")
        case = case_actions.do_verify(case, actor=w.worker_a, passed=True)
        case_actions.do_reopen(case, actor=w.worker_a, reason="又坏了")
    with time_machine.travel(local(2026, 11, 1, 9), tick=False):
        s = scope(dw)
        assert metrics.value("deliberation.meetings_held", s) == 1
        assert metrics.value("deliberation.items_raised", s) == 4
        assert metrics.value("deliberation.items_cases", s) == 3
        assert metrics.value("deliberation.items_solved", s) == 1  # the reopened one is not solved
        assert metrics.as_number(metrics.value("deliberation.items_solved_rate", s)) == 25.0
        assert metrics.value("deliberation.attendance", s) == 21
        assert metrics.value("deliberation.items_raised", scope(dw, w.community_b)) == 0
        other = metrics.Scope(viewer=w.grid_b, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
        assert metrics.value("deliberation.items_raised", other) == 0  # out of the viewer's scope


def test_missed_occurrences(dw):
    w = dw.w
    with time_machine.travel(local(2026, 9, 20, 9), tick=False):
        actions.do_create_series(
            actor=w.worker_a,
            kind=dw.kind("monday"),
            node=w.community_a,
            title="周一议事日",
            place="中心",
            convenor=w.worker_a,
            frequency="weekly",
            weekday=0,
            start_time=dt.time(9),
            end_time=dt.time(10),
            starts_on=dt.date(2026, 9, 21),
            stamp_until=dt.date(2026, 10, 31),
        )
    with time_machine.travel(local(2026, 10, 20, 9), tick=False):
        # 10-05 moved to 10-08, 10-12 and 10-19 passed: three missed in October, the 26th still to come
        assert metrics.value("deliberation.meetings_missed", scope(dw)) == 3


def test_coverage_and_overdue_contacts(dw):
    w = dw.w
    with time_machine.travel(local(2026, 10, 5, 10), tick=False):
        campaign = actions.do_create_campaign(
            actor=w.worker_a,
            title="走访",
            node=w.community_a,
            starts_on=dt.date(2026, 10, 1),
            ends_on=dt.date(2026, 10, 31),
        )
        actions.do_add_targets(campaign, actor=w.worker_a)
        actions.do_assign(campaign, actor=w.worker_a, visitor=w.grid_a)
        targets = list(campaign.targets.order_by("pk"))
        actions.do_record_visit(targets[0], actor=w.grid_a, outcome=VisitOutcome.VISITED)
        actions.do_record_visit(targets[1], actor=w.grid_a, outcome=VisitOutcome.NOT_HOME)
        actions.do_record_contact(dw.member, dw.households[0], actor=w.grid_a, method="door")
    with time_machine.travel(local(2026, 10, 20, 10), tick=False):
        assert metrics.as_number(metrics.value("deliberation.visit_coverage", scope(dw))) == 25.0
        # three linked households: two never contacted, one contacted 15 days ago (within 30)
        assert metrics.value("deliberation.linked_overdue", scope(dw)) == 2
        actions.do_set_contact_plan(dw.member, actor=w.worker_a, every_days=10)
        assert metrics.value("deliberation.linked_overdue", scope(dw)) == 3
