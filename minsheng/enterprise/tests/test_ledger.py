"""The problem ledger: a problem is a 企业诉求 case on the enterprise clock; 销号 only with the enterprise's word."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minsheng.cases import actions as case_actions
from minsheng.cases.choices import Channel, Satisfaction, Status
from minsheng.cases.models import Category
from minsheng.core.calendar import WorkCalendar
from minsheng.core.errors import IllegalTransition
from minsheng.enterprise import actions
from minsheng.enterprise.choices import LedgerState, RaisedVia
from minsheng.enterprise.models import Problem

from .conftest import MONDAY

pytestmark = pytest.mark.django_db


def visit_problem(ew, **kw):
    visit = actions.do_record_visit(
        ew.ent_a,
        actor=ew.officer,
        visited_on=MONDAY.date(),
        findings="组团走访，企业反映用地手续和用工问题",
        units=[ew.unit, ew.office],
        on_site_office=True,
    )
    fields = {
        "actor": ew.officer,
        "title": "厂房扩建用地手续",
        "description": "扩建厂房需办理用地手续，不清楚流程",
        "raised_via": RaisedVia.VISIT,
        "visit": visit,
        "unit": ew.unit,
    }
    fields.update(kw)
    return actions.do_raise_problem(ew.ent_a, **fields)


def handle(ew, problem):
    case = problem.case
    handler = ew.unit.members.get()
    case_actions.do_sign(case, actor=handler)
    case_actions.do_reply(case, actor=handler, note="已协调自然资源所办理")
    case_actions.do_verify(case, actor=ew.w.admin, passed=True)
    problem.refresh_from_db()
    return problem


def test_a_visit_problem_is_a_dispatched_enterprise_case_on_the_15_day_clock(ew):
    with time_machine.travel(MONDAY, tick=False):
        problem = visit_problem(ew)
    case = problem.case
    assert case.kind.code == "enterprise"
    assert case.channel == Channel.ENTERPRISE_VISIT
    assert case.source == problem
    assert case.status == Status.DISPATCHED and case.lead_unit == ew.unit
    assert case.category.code == "QY02"
    # 15 working days from Monday 2 March 2026 → the end of Monday 23 March
    assert timezone.localtime(case.finish_due) == MONDAY.replace(day=23, hour=17, minute=30)
    # 核实启动 within one working day (7.5 working hours)
    assert timezone.localtime(case.accept_due).date() == dt.date(2026, 3, 3)
    assert actions.ledger_state(problem) == LedgerState.OPEN


def test_consultations_answer_in_3_and_complex_problems_in_30_working_days(ew):
    with time_machine.travel(MONDAY, tick=False):
        consult = visit_problem(ew, category=Category.objects.get(code="QY01"))
        hard = visit_problem(ew, category=Category.objects.get(code="QY03"))
    cal = WorkCalendar()
    assert consult.case.finish_due == cal.add_working_days(MONDAY, 3)
    assert timezone.localtime(consult.case.finish_due).date() == dt.date(2026, 3, 5)
    assert hard.case.finish_due == cal.add_working_days(MONDAY, 30)  # across 清明 on the holiday calendar


def test_a_category_outside_enterprise_problems_is_refused(ew):
    with pytest.raises(ValidationError):
        visit_problem(ew, category=Category.objects.get(code="0101"))


def test_no_close_without_the_enterprise(ew):
    problem = visit_problem(ew)
    with pytest.raises(IllegalTransition):  # still being handled
        actions.do_confirm_close(problem, contact=ew.contact_a)
    problem = handle(ew, problem)
    assert actions.ledger_state(problem) == LedgerState.AWAITING
    with pytest.raises(ValidationError) as exc:  # the cadre without evidence
        actions.do_confirm_close(problem, actor=ew.officer, note="企业电话确认")
    assert "evidence" in exc.value.message_dict
    with pytest.raises(PermissionDenied):  # another enterprise's contact
        actions.do_confirm_close(problem, contact=ew.contact_b)
    with pytest.raises(PermissionDenied):  # nobody
        actions.do_confirm_close(problem)
    problem.refresh_from_db()
    assert problem.closed_at is None


def test_the_contact_confirms_on_h5_and_the_case_is_followed_up(ew):
    problem = handle(ew, visit_problem(ew))
    problem = actions.do_confirm_close(problem, contact=ew.contact_a, note="已办好")
    assert actions.ledger_state(problem) == LedgerState.CLOSED
    problem.case.refresh_from_db()
    assert problem.case.status == Status.ARCHIVED
    assert problem.case.satisfaction == Satisfaction.SATISFIED
    assert problem.case.followups.get().by_reporter
    with pytest.raises(IllegalTransition):
        actions.do_confirm_close(problem, contact=ew.contact_a)


def test_the_cadre_records_the_confirmation_with_evidence(ew):
    problem = handle(ew, visit_problem(ew))
    evidence = SimpleUploadedFile("确认单.jpg", b"\xff\xd8\xff" + b"0" * 100, content_type="image/jpeg")
    problem = actions.do_confirm_close(
        problem, actor=ew.officer, note="企业负责人签字确认", evidence=evidence
    )
    assert problem.confirmed_by == "cadre" and problem.evidence.name.endswith(".jpg")


def test_not_solved_sends_the_case_back(ew):
    problem = handle(ew, visit_problem(ew))
    actions.do_decline_close(problem, contact=ew.contact_a, reason="手续仍未办下来")
    problem.case.refresh_from_db()
    assert problem.case.status == Status.HANDLING and problem.case.redo_count == 1
    assert actions.ledger_state(problem) == LedgerState.OPEN


def test_contact_raises_a_problem_for_its_own_enterprise_only(ew):
    problem = actions.do_raise_problem(
        ew.ent_a, contact=ew.contact_a, title="电力增容", description="需要电力增容", raised_via=RaisedVia.H5
    )
    assert problem.case.channel == Channel.ONLINE and problem.case.status == Status.REGISTERED
    assert problem.case.reporter_phone == ew.contact_a.phone
    with pytest.raises(PermissionDenied):
        actions.do_raise_problem(
            ew.ent_b, contact=ew.contact_a, title="x", description="x", raised_via=RaisedVia.H5
        )


def test_the_ledger_is_scoped(ew):
    visit_problem(ew)
    assert Problem.objects.visible_to(ew.officer).count() == 1
    assert Problem.objects.visible_to(ew.officer_b).count() == 0
    with pytest.raises(PermissionDenied):
        visit_problem(ew, actor=ew.officer_b)
