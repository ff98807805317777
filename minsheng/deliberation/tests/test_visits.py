"""Visit and 联户 actions: targets inside the campaign's area, assignment, the visit log's rules, teams, plans."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.deliberation import actions
from minsheng.deliberation.choices import TargetStatus, VisitOutcome
from minsheng.org.models import ResidentTag

from .conftest import local

pytestmark = pytest.mark.django_db


def campaign(dw, node=None):
    w = dw.w
    return actions.do_create_campaign(
        actor=w.worker_a,
        title="连心大走访",
        node=node or w.community_a,
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2026, 10, 31),
    )


def test_campaign_needs_a_title_an_order_and_the_right(dw):
    w = dw.w
    with pytest.raises(ValidationError):
        actions.do_create_campaign(
            actor=w.worker_a,
            title="",
            node=w.community_a,
            starts_on=dt.date(2026, 10, 5),
            ends_on=dt.date(2026, 10, 1),
        )
    with pytest.raises(PermissionDenied):
        actions.do_create_campaign(
            actor=w.grid_a,
            title="x",
            node=w.community_a,
            starts_on=dt.date(2026, 10, 1),
            ends_on=dt.date(2026, 10, 2),
        )


def test_targets_by_node_and_tag_never_outside_the_area(dw):
    w = dw.w
    c = campaign(dw)
    with pytest.raises(ValidationError):
        actions.do_add_targets(c, actor=w.worker_a, node=w.estate_b)
    alone = ResidentTag.objects.get(code="alone")
    from minsheng.org.models import Resident

    Resident.objects.create(name="独居老人", node=w.unit_a, household=dw.households[1]).tags.add(alone)
    assert actions.do_add_targets(c, actor=w.worker_a, tag=alone) == 1
    assert actions.do_add_targets(c, actor=w.worker_a, node=w.building_a) == 3  # the other three
    assert actions.do_add_targets(c, actor=w.worker_a) == 0
    with pytest.raises(PermissionDenied):
        actions.do_add_targets(c, actor=w.grid_a)


@time_machine.travel(local(2026, 10, 12, 15), tick=False)
def test_visit_rules(dw):
    w = dw.w
    c = campaign(dw)
    actions.do_add_targets(c, actor=w.worker_a)
    with pytest.raises(ValidationError):
        actions.do_assign(c, actor=w.worker_a, visitor=None)
    assert actions.do_assign(c, actor=w.worker_a, visitor=w.grid_a, node=w.building_a) == 4
    t1, t2, t3, _t4 = c.targets.order_by("pk")
    with pytest.raises(PermissionDenied):
        actions.do_record_visit(t1, actor=w.worker_a, outcome=VisitOutcome.VISITED)
    with pytest.raises(ValidationError):
        actions.do_record_visit(t1, actor=w.grid_a, outcome="gone")
    with pytest.raises(ValidationError):
        actions.do_record_visit(t1, actor=w.grid_a, outcome=VisitOutcome.NOT_HOME, problems=[{"text": "x"}])
    photo = SimpleUploadedFile("door.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
    visit = actions.do_record_visit(t1, actor=w.grid_a, outcome=VisitOutcome.REFUSED, photos=[photo])
    assert visit.photos.count() == 1
    t1.refresh_from_db()
    assert t1.status == TargetStatus.REFUSED
    with pytest.raises(ValidationError):
        actions.do_record_visit(t1, actor=w.grid_a, outcome=VisitOutcome.VISITED)  # done already
    actions.do_record_visit(
        t2,
        actor=w.grid_a,
        outcome=VisitOutcome.VISITED,
        problems=[{"text": "暖气不热"}, {"text": "建议装快递柜", "kind": "suggestion"}],
    )
    items = t2.visits.get().items.order_by("pk")
    assert items[0].case.channel == "door_visit" and items[1].case is None
    with time_machine.travel(local(2026, 11, 2, 9), tick=False), pytest.raises(ValidationError):
        actions.do_record_visit(t3, actor=w.grid_a, outcome=VisitOutcome.VISITED)


def test_teams_and_contact_plans(dw):
    w = dw.w
    team = actions.do_create_team(
        actor=w.worker_a,
        name="颐和红色管家服务队",
        node=w.community_a,
        leader=w.grid_a,
        members=[w.grid_a, dw.property_mgr],
        buildings=[w.building_a],
    )
    assert set(team.members.all()) == {w.grid_a, dw.property_mgr}
    with pytest.raises(ValidationError):
        actions.do_create_team(actor=w.worker_a, name="x", node=w.community_a, buildings=[w.unit_b])
    with pytest.raises(PermissionDenied):
        actions.do_create_team(actor=w.grid_a, name="x", node=w.community_a)
    assert actions.do_set_contact_plan(dw.member, actor=w.worker_a, every_days=15).every_days == 15
    with pytest.raises(ValidationError):
        actions.do_set_contact_plan(dw.member, actor=w.worker_a, every_days=0)
    with pytest.raises(PermissionDenied):
        actions.do_set_contact_plan(dw.member, actor=w.grid_b, every_days=10)


def test_contacts_by_the_member_or_staff_only(dw):
    w = dw.w
    # the member's own account (grid_a in the fixture) records his contact
    actions.do_record_contact(
        dw.member, dw.households[0], actor=w.grid_a, method="phone", problems=[{"text": "家里水管漏水"}]
    )
    assert dw.member.linked_contacts.get().items.get().case.channel == "door_visit"
    with pytest.raises(PermissionDenied):
        actions.do_record_contact(dw.member, dw.households[0], actor=w.grid_b, method="phone")
    with pytest.raises(ValidationError):
        actions.do_record_contact(dw.member, dw.households[3], actor=w.worker_a, method="phone")
    with pytest.raises(ValidationError):
        actions.do_record_contact(dw.member, dw.households[0], actor=w.worker_a, method="carrier pigeon")
