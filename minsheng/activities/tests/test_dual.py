"""双报到: units and members report, needs are claimed into projects, the annual evaluation comes from records."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.activities.actions import dual, volunteers
from minsheng.activities.choices import Grade, NeedStatus
from minsheng.activities.models import Evaluation
from minsheng.core.errors import IllegalTransition

pytestmark = pytest.mark.django_db


def test_unit_and_member_report_and_evaluation(aw):
    today = aw.now.date()
    unit = dual.do_report_unit(
        actor=aw.w.worker_a,
        node=aw.w.community_a,
        name="县税务局",
        party_org_name="县税务局机关党委",
        contact_name="刘科长",
        contact_phone="13700000001",
        agreement_no="GJ-2026-01",
        reported_on=today,
        resources=["办税政策宣讲", "会议室"],
    )
    assert unit.resources.count() == 2
    with pytest.raises(ValidationError):
        dual.do_report_unit(
            actor=aw.w.worker_a, node=aw.w.community_a, name="县税务局", contact_name="x", reported_on=today
        )
    with pytest.raises(PermissionDenied):
        dual.do_report_unit(
            actor=aw.w.grid_a, node=aw.w.community_a, name="另一单位", contact_name="x", reported_on=today
        )

    v = volunteers.do_register_volunteer(
        actor=aw.w.worker_a,
        node=aw.w.community_a,
        name="党员小赵",
        phone="13700000002",
        consent=True,
        unit=unit,
        is_party_member=True,
    )
    member = dual.do_report_member(
        actor=aw.w.worker_a, node=aw.w.community_a, name="党员小赵", unit=unit, reported_on=today, volunteer=v
    )
    volunteers.do_record_service(
        v, actor=aw.w.worker_a, content="防溺水宣传", served_on=today, hours="2", confirm=True
    )
    aw.event(unit=unit, kind="publicity", title="办税政策进社区")

    need = dual.do_add_need(actor=aw.w.worker_a, node=aw.w.community_a, title="老旧小区政策咨询")
    dual.do_claim_need(need, actor=aw.w.worker_a, unit=unit)
    with pytest.raises(IllegalTransition):
        dual.do_claim_need(need, actor=aw.w.worker_a, unit=unit)
    project = dual.do_create_project(
        actor=aw.w.worker_a,
        node=aw.w.community_a,
        title="政策明白人",
        units=[unit],
        need=need,
        start_on=today,
    )
    dual.do_set_project_status(project, actor=aw.w.worker_a, status="done")
    need.refresh_from_db()
    assert need.status == NeedStatus.DONE

    rows = dual.do_evaluate_year(aw.w.community_a, today.year, actor=aw.w.worker_a)
    by_unit = Evaluation.objects.get(unit=unit, year=today.year)
    by_member = Evaluation.objects.get(member=member, year=today.year)
    assert len(rows) == 2
    assert (by_unit.events_organised, by_unit.participations, by_unit.hours, by_unit.projects) == (
        1,
        1,
        Decimal("2.0"),
        1,
    )
    assert by_member.hours == Decimal("2.0") and by_member.participations == 1
    assert dual.suggested_grade(by_member) == Grade.BASIC
    dual.do_grade(by_unit, actor=aw.w.worker_a, grade=Grade.GOOD, comment="积极参与")
    dual.do_evaluate_year(aw.w.community_a, today.year, actor=aw.w.worker_a)  # recomputing keeps the grade
    assert Evaluation.objects.get(pk=by_unit.pk).grade == Grade.GOOD
    with pytest.raises(ValidationError):
        dual.do_grade(by_unit, actor=aw.w.worker_a, grade="bogus")
