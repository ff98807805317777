"""The investment pipeline: stages one at a time, the counting rules, the stage clock and 督办, permissions."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.core import clock
from minsheng.core.errors import IllegalTransition
from minsheng.enterprise import actions
from minsheng.enterprise.choices import Ageing, Milestone, SigningKind, Stage
from minsheng.enterprise.models import Project

from .conftest import MONDAY

pytestmark = pytest.mark.django_db


def lead(ew, actor=None, **kw):
    fields = {
        "name": "乳制品深加工项目",
        "investor": "某乳业集团",
        "industry": ew.industry,
        "node": ew.w.community_a,
        "planned_amount": "50000",
    }
    fields.update(kw)
    return actions.do_submit_lead(actor=actor or ew.officer, **fields)


def to_landing(ew, project, amount="30000"):
    project = actions.do_advance(project, actor=ew.officer, to=Stage.TALKS)
    actions.do_record_signing(
        project, actor=ew.officer, kind=SigningKind.FIRST, amount=amount, signed_on=clock.now().date()
    )
    project.refresh_from_db()
    return actions.do_advance(project, actor=ew.officer, to=Stage.LANDING)


def test_any_staff_member_submits_a_lead_and_is_credited_the_officer_owns_it(ew):
    with time_machine.travel(MONDAY, tick=False):
        project = lead(ew, actor=ew.w.grid_a)
    assert project.submitted_by == ew.w.grid_a
    assert project.owner == ew.officer  # the 企业服务专员 over the node answers it
    assert project.stage == Stage.LEAD
    assert project.number.startswith("ZS2026")
    # 线索: 3 working days (江门) → Thursday the 5th at the same hour
    assert project.stage_due.date() == dt.date(2026, 3, 5)
    assert project.events.get().verb == "submit"


def test_a_resident_cannot_submit_a_lead(ew):
    with pytest.raises(PermissionDenied):
        lead(ew, actor=ew.w.resident)


def test_bad_lead_input_is_a_field_error(ew):
    with pytest.raises(ValidationError) as exc:
        lead(ew, name="", planned_amount="-5")
    assert set(exc.value.message_dict) >= {"name", "planned_amount"}


def test_full_path_from_lead_to_operation(ew):
    with time_machine.travel(MONDAY, tick=False):
        project = lead(ew)
        project = to_landing(ew, project)
        actions.do_record_milestone(
            project, actor=ew.officer, milestone=Milestone.APPROVED, on=clock.now().date()
        )
        actions.do_record_milestone(
            project, actor=ew.officer, milestone=Milestone.LAND, on=clock.now().date()
        )
        actions.do_record_milestone(
            project, actor=ew.officer, milestone=Milestone.STARTED, on=clock.now().date()
        )
        actions.do_record_funds(project, actor=ew.officer, amount="12000", on=clock.now().date())
        project = actions.do_advance(project, actor=ew.officer, to=Stage.PRODUCTION)
        project = actions.do_advance(project, actor=ew.officer, to=Stage.OPERATING)
    project.refresh_from_db()
    assert project.stage == Stage.OPERATING
    assert project.signed_amount == Decimal("30000")
    assert project.funds_in_place == Decimal("12000")
    assert project.started_on == MONDAY.date()
    assert [e.to_stage for e in project.events.filter(verb__in=["advance", "sign"])] == [
        Stage.TALKS,
        Stage.SIGNED,
        Stage.LANDING,
        Stage.PRODUCTION,
        Stage.OPERATING,
    ]
    assert actions.ageing(project) == Ageing.NONE


@pytest.mark.parametrize("target", [Stage.SIGNED, Stage.LANDING, Stage.OPERATING])
def test_a_stage_cannot_be_skipped(ew, target):
    project = lead(ew)
    with pytest.raises(IllegalTransition):
        actions.do_advance(project, actor=ew.officer, to=target)
    project.refresh_from_db()
    assert project.stage == Stage.LEAD


def test_signing_straight_from_a_lead_is_refused(ew):
    project = lead(ew)
    with pytest.raises(IllegalTransition):
        actions.do_record_signing(
            project, actor=ew.officer, kind=SigningKind.FIRST, amount="100", signed_on=clock.now().date()
        )


def test_production_needs_the_start_of_construction(ew):
    project = to_landing(ew, lead(ew))
    with pytest.raises(IllegalTransition):
        actions.do_advance(project, actor=ew.officer, to=Stage.PRODUCTION)
    with pytest.raises(IllegalTransition):  # 开工 before 立项
        actions.do_record_milestone(
            project, actor=ew.officer, milestone=Milestone.STARTED, on=clock.now().date()
        )


def test_counting_rules_first_signing_only_increments_only(ew):
    today = clock.now().date()
    project = to_landing(ew, lead(ew), amount="20000")
    record = actions.do_record_signing
    assert (
        record(project, actor=ew.officer, kind=SigningKind.RESIGN, amount="20000", signed_on=today).counted
        == 0
    )
    assert (
        record(project, actor=ew.officer, kind=SigningKind.INCREASE, amount="5000", signed_on=today).counted
        == 5000
    )
    # 升格 to a 30,000 project: only the step up from the 25,000 already counted
    assert (
        record(project, actor=ew.officer, kind=SigningKind.UPGRADE, amount="30000", signed_on=today).counted
        == 5000
    )
    with pytest.raises(IllegalTransition):
        record(project, actor=ew.officer, kind=SigningKind.FIRST, amount="1", signed_on=today)
    project.refresh_from_db()
    assert project.signed_amount == Decimal("30000")
    new = record(
        project,
        actor=ew.officer,
        kind=SigningKind.NEW_INVESTOR,
        amount="8000",
        signed_on=today,
        investor="新投资方",
    )
    assert new.counted == 8000
    project.refresh_from_db()
    assert project.investor == "新投资方"
    assert project.signed_amount == Decimal("38000")


def test_the_first_signing_must_be_first(ew):
    project = actions.do_advance(lead(ew), actor=ew.officer, to=Stage.TALKS)
    with pytest.raises(ValidationError):
        actions.do_record_signing(
            project, actor=ew.officer, kind=SigningKind.INCREASE, amount="1", signed_on=clock.now().date()
        )


def test_lost_with_a_reason(ew):
    project = lead(ew)
    with pytest.raises(ValidationError):
        actions.do_lose(project, actor=ew.officer, reason=" ")
    project = actions.do_lose(project, actor=ew.officer, reason="投资方选择外省落地")
    assert project.stage == Stage.LOST and project.lost_from == Stage.LEAD
    with pytest.raises(IllegalTransition):
        actions.do_advance(project, actor=ew.officer, to=Stage.TALKS)


def test_stage_clock_turns_yellow_then_red_and_supervises_once(ew):
    with time_machine.travel(MONDAY, tick=False):
        project = lead(ew)
    # 3 working days: Mon 09:00 → the end of Thursday; yellow at 80 % of the working hours (Thu 10:06)
    assert project.stage_due == MONDAY.replace(day=5, hour=17, minute=30)
    assert actions.ageing(project, MONDAY + dt.timedelta(days=2, hours=6)) == Ageing.GREEN
    assert actions.ageing(project, MONDAY + dt.timedelta(days=3, hours=2)) == Ageing.YELLOW
    late = MONDAY + dt.timedelta(days=4)
    assert actions.ageing(project, late) == Ageing.RED
    assert actions.run_stage_clock(late) == {"supervised": 1}
    assert actions.run_stage_clock(late) == {"supervised": 0}
    project.refresh_from_db()
    assert project.is_supervised
    assert project.events.filter(verb="supervise", actor=None).count() == 1
    # moving on restarts the clock and lifts the 督办
    with time_machine.travel(late, tick=False):
        project = actions.do_advance(project, actor=ew.officer, to=Stage.TALKS)
    assert not project.is_supervised and actions.ageing(project, late) == Ageing.GREEN


def test_weekends_do_not_count(ew):
    friday = MONDAY + dt.timedelta(days=4)
    with time_machine.travel(friday, tick=False):
        project = lead(ew)
    assert project.stage_due.date() == dt.date(2026, 3, 11)  # Fri → Mon, Tue, Wed


def test_only_leaders_supervise_and_outsiders_cannot_move(ew):
    project = lead(ew)
    with pytest.raises(PermissionDenied):
        actions.do_supervise(project, actor=ew.officer, comment="快")
    actions.do_supervise(project, actor=ew.leader, comment="请加快研判")
    with pytest.raises(PermissionDenied):
        actions.do_advance(project, actor=ew.officer_b, to=Stage.TALKS)  # 社区B's officer, project in 社区A
    with pytest.raises(PermissionDenied):
        actions.do_advance(project, actor=ew.w.grid_a, to=Stage.TALKS)


def test_projects_are_scoped(ew):
    lead(ew)
    lead(ew, node=ew.w.community_b, name="龙泉项目")
    assert Project.objects.visible_to(ew.officer).count() == 2
    assert list(Project.objects.visible_to(ew.officer_b).values_list("name", flat=True)) == ["龙泉项目"]
    assert Project.objects.visible_to(ew.w.grid_a).count() == 0


def test_trip_links_leads(ew):
    project = lead(ew)
    trip = actions.do_record_trip(
        actor=ew.officer,
        destination="上海",
        start=dt.date(2026, 3, 2),
        end=dt.date(2026, 3, 4),
        projects=[project],
    )
    assert list(trip.projects.all()) == [project]
    with pytest.raises(ValidationError):
        actions.do_record_trip(
            actor=ew.officer, destination="北京", start=dt.date(2026, 3, 4), end=dt.date(2026, 3, 2)
        )


def test_leaving_a_stage_records_the_working_days_spent(ew):
    with time_machine.travel(MONDAY, tick=False):
        project = lead(ew)
    with time_machine.travel(MONDAY + dt.timedelta(days=8), tick=False):  # the next Tuesday
        actions.do_advance(project, actor=ew.officer, to=Stage.TALKS)
    event = project.events.get(verb="advance")
    assert event.days_in_stage == 6


def test_a_project_links_to_the_enterprise_that_carries_it(ew):
    project = lead(ew, enterprise=ew.ent_a)
    assert project.enterprise == ew.ent_a
    project = actions.do_link_enterprise(project, actor=ew.officer, enterprise=ew.ent_b)
    assert project.enterprise == ew.ent_b and project.events.filter(verb="enterprise").exists()
    with pytest.raises(PermissionDenied):
        actions.do_link_enterprise(project, actor=ew.officer_b, enterprise=ew.ent_b)
    owner = actions.do_set_owner(project, actor=ew.officer, owner=ew.officer)
    assert owner.owner == ew.officer
    with pytest.raises(ValidationError):
        actions.do_set_owner(project, actor=ew.officer, owner=ew.w.grid_a)
