"""Every page answers for the officer; bad input gets a form error, not a 500; scoping and capabilities hold."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from minsheng.core import sms
from minsheng.enterprise import actions
from minsheng.enterprise.choices import EventKind, NeedKind, RaisedVia, SigningKind, Stage
from minsheng.enterprise.models import Enterprise, Problem, Project

from .test_ledger import handle, visit_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(ew):
    project = actions.do_submit_lead(
        actor=ew.officer,
        name="牛肉深加工",
        investor="某食品集团",
        industry=ew.industry,
        node=ew.w.community_a,
        planned_amount=20000,
    )
    project = actions.do_advance(project, actor=ew.officer, to=Stage.TALKS)
    actions.do_record_signing(
        project, actor=ew.officer, kind=SigningKind.FIRST, amount=15000, signed_on=dt.date.today()
    )
    problem = visit_problem(ew)
    plan = actions.do_create_plan(
        ew.ent_a,
        actor=ew.officer,
        year=2026,
        summary="初创企业，缺少流动资金",
        needs=[(NeedKind.FUNDING, "需要贷款")],
        actions=[{"title": "对接银行", "owner": ew.officer, "due": dt.date(2026, 6, 30), "need": 0}],
    )
    bank = actions.do_add_bank(actor=ew.officer, name="农商银行")
    policy = actions.do_add_policy(
        actor=ew.officer,
        title="小微企业贷款贴息",
        issuer="县财政局",
        issued_on=dt.date(2026, 1, 1),
        summary="贴息50%",
    )
    event = actions.do_record_event(
        actor=ew.officer,
        kind=EventKind.MATCHMAKING,
        title="政银企对接会",
        held_on=dt.date.today(),
        node=ew.w.street,
        enterprises=[ew.ent_a, ew.ent_b],
        banks=[bank],
    )
    return {
        "project": project,
        "problem": problem,
        "plan": plan,
        "policy": policy,
        "event": event,
        "bank": bank,
    }


def test_officer_sees_every_page(ew, filled, client_for):
    c = client_for(ew.officer)
    urls = [
        reverse("enterprise:home"),
        reverse("enterprise:list"),
        reverse("enterprise:list") + "?q=yihe&size=small",
        reverse("enterprise:detail", args=[ew.ent_a.pk]),
        reverse("enterprise:create"),
        reverse("enterprise:edit", args=[ew.ent_a.pk]),
        reverse("enterprise:board"),
        reverse("enterprise:projects") + "?stage=signed",
        reverse("enterprise:project", args=[filled["project"].pk]),
        reverse("enterprise:lead_new"),
        reverse("enterprise:trips"),
        reverse("enterprise:trip_new"),
        reverse("enterprise:ledger"),
        reverse("enterprise:ledger") + "?state=open",
        reverse("enterprise:visit_new", args=[ew.ent_a.pk]),
        reverse("enterprise:problem_new", args=[ew.ent_a.pk]),
        reverse("enterprise:problem_confirm", args=[filled["problem"].pk]),
        reverse("enterprise:plans"),
        reverse("enterprise:plan", args=[filled["plan"].pk]),
        reverse("enterprise:plan_new", args=[ew.ent_b.pk]),
        reverse("enterprise:events"),
        reverse("enterprise:event", args=[filled["event"].pk]),
        reverse("enterprise:event_new"),
        reverse("enterprise:policies"),
        reverse("enterprise:policy", args=[filled["policy"].pk]),
        reverse("enterprise:policy_new"),
        reverse("enterprise:io"),
        reverse("enterprise:io_import", args=["enterprises"]),
    ]
    for url in urls:
        assert c.get(url).status_code == 200, url
    for slug in ("enterprises", "enterprise-problems", "investment-projects"):
        response = c.get(reverse("enterprise:io_export", args=[slug]))
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert c.get(reverse("enterprise:io_template", args=["enterprises"])).status_code == 200


def test_contacts_are_masked_on_the_page(ew, client_for):
    body = client_for(ew.officer).get(reverse("enterprise:detail", args=[ew.ent_a.pk])).content.decode()
    assert "13900000001" not in body and "139****0001" in body


def test_an_invalid_credit_code_is_a_chinese_form_error(ew, client_for):
    response = client_for(ew.officer).post(
        reverse("enterprise:create"),
        {
            "credit_code": "91370724MA0000001A",
            "name": "新企业",
            "industry": ew.industry.pk,
            "size": "small",
            "node": ew.w.community_a.pk,
        },
    )
    assert response.status_code == 400
    assert "校验位错误" in response.content.decode()
    assert not Enterprise.objects.filter(name="新企业").exists()


def test_a_skipped_stage_is_refused_with_a_message(ew, filled, client_for):
    project = actions.do_submit_lead(
        actor=ew.officer,
        name="新线索",
        investor="甲",
        industry=ew.industry,
        node=ew.w.community_a,
        planned_amount=100,
    )
    response = client_for(ew.officer).post(
        reverse("enterprise:project_action", args=[project.pk, "advance"]), {"to": "landing"}
    )
    assert response.status_code == 409
    assert "不能从“线索”跳到“落地推进”" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.LEAD


def test_close_without_evidence_is_refused_on_the_page(ew, filled, client_for):
    problem = handle(ew, filled["problem"])
    response = client_for(ew.officer).post(
        reverse("enterprise:problem_confirm", args=[problem.pk]),
        {"solved": "1", "satisfaction": "satisfied", "note": "电话确认"},
    )
    assert response.status_code == 400
    assert "确认凭证" in response.content.decode()
    problem.refresh_from_db()
    assert problem.closed_at is None


def test_any_staff_member_submits_a_lead_from_the_page(ew, client_for):
    response = client_for(ew.w.grid_a).post(
        reverse("enterprise:lead_new"),
        {
            "name": "网格员发现的线索",
            "investor": "返乡创业者",
            "industry": ew.industry.pk,
            "node": ew.w.community_a.pk,
            "planned_amount": "800",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(name="网格员发现的线索")
    assert project.submitted_by == ew.w.grid_a and project.owner == ew.officer


def test_pages_need_the_capability_and_rows_are_scoped(ew, filled, client_for):
    grid = client_for(ew.w.grid_a)
    assert grid.get(reverse("enterprise:list")).status_code == 403
    other = client_for(ew.officer_b)
    assert other.get(reverse("enterprise:detail", args=[ew.ent_a.pk])).status_code == 404
    assert other.get(reverse("enterprise:detail", args=[ew.ent_b.pk])).status_code == 200
    assert other.get(reverse("enterprise:project", args=[filled["project"].pk])).status_code == 404
    leader = client_for(ew.leader)
    assert leader.get(reverse("enterprise:board")).status_code == 200
    assert leader.get(reverse("enterprise:create")).status_code == 403
    assert client_for(ew.w.resident).get(reverse("enterprise:home")).status_code == 403


def test_outcomes_keep_intent_credit_and_loan_apart(ew, filled, client_for):
    c = client_for(ew.officer)
    url = reverse("enterprise:event_outcome", args=[filled["event"].pk])
    ok = c.post(
        url,
        {
            "enterprise": ew.ent_a.pk,
            "bank": filled["bank"].pk,
            "intent_amount": "500",
            "credit_amount": "300",
            "loan_amount": "100",
        },
    )
    assert ok.status_code == 302
    bad = c.post(
        url,
        {"enterprise": ew.ent_a.pk, "bank": filled["bank"].pk, "credit_amount": "100", "loan_amount": "300"},
    )
    assert bad.status_code == 400
    outcome = filled["event"].outcomes.get()
    assert (outcome.intent_amount, outcome.credit_amount, outcome.loan_amount) == (500, 300, 100)


# -- the enterprise H5 -------------------------------------------------------------------------------------------


def _sign_in(client, phone, settings):
    settings.MINSHENG_SMS_BACKEND = "minsheng.core.sms.LocmemBackend"
    sms.outbox.clear()
    response = client.post(reverse("enterprise_h5:login"), {"step": "phone", "phone": phone})
    assert response.status_code == 200
    if not sms.outbox:
        return None
    code = re.search(r"(\d{6})", sms.outbox[-1][1]).group(1)
    return client.post(reverse("enterprise_h5:login"), {"step": "code", "phone": phone, "code": code})


def test_h5_contact_signs_in_submits_and_confirms(ew, client, settings):
    assert client.get(reverse("enterprise_h5:home")).status_code == 302
    response = _sign_in(client, ew.contact_a.phone, settings)
    assert response.status_code == 302
    home = client.get(reverse("enterprise_h5:home")).content.decode()
    assert ew.ent_a.name in home and ew.ent_b.name not in home
    response = client.post(
        reverse("enterprise_h5:submit"), {"title": "厂区门口道路积水", "description": "下雨后积水严重"}
    )
    assert response.status_code == 302
    problem = Problem.objects.get(raised_via=RaisedVia.H5)
    assert problem.enterprise == ew.ent_a and problem.raised_by_contact == ew.contact_a
    # handled on the engine, then confirmed on the H5
    from minsheng.cases import actions as case_actions

    case_actions.do_accept(problem.case, actor=ew.w.admin)
    case_actions.do_dispatch(problem.case, actor=ew.w.admin, unit=ew.unit)
    handle(ew, problem)
    url = reverse("enterprise_h5:problem", args=[problem.pk])
    assert "问题解决了吗" in client.get(url).content.decode()
    assert client.post(url, {"solved": "0"}).status_code == 400  # not solved needs a reason
    assert client.post(url, {"solved": "1", "satisfaction": "satisfied", "note": "谢谢"}).status_code == 302
    problem.refresh_from_db()
    assert problem.closed_at is not None and problem.confirmed_by == "contact"


def test_h5_contact_sees_only_its_own_enterprise(ew, client, settings):
    other = visit_problem(ew)  # ent_a's problem
    _sign_in(client, ew.contact_b.phone, settings)
    assert client.get(reverse("enterprise_h5:problem", args=[other.pk])).status_code == 404
    assert ew.ent_a.name not in client.get(reverse("enterprise_h5:home")).content.decode()


def test_h5_unknown_phone_gets_no_code_and_the_same_answer(ew, client, settings):
    settings.MINSHENG_SMS_BACKEND = "minsheng.core.sms.LocmemBackend"
    sms.outbox.clear()
    response = client.post(reverse("enterprise_h5:login"), {"step": "phone", "phone": "13700000000"})
    assert response.status_code == 200 and "验证码已发送" in response.content.decode()
    assert sms.outbox == []
    bad = client.post(
        reverse("enterprise_h5:login"), {"step": "code", "phone": "13700000000", "code": "123456"}
    )
    assert bad.status_code == 400
    assert client.post(reverse("enterprise_h5:login"), {"step": "phone", "phone": "12"}).status_code == 400


def test_events_are_hosted_on_the_activities_engine(ew):
    from minsheng.activities import queries as event_queries
    from minsheng.activities.choices import EventStatus

    past = dt.date.today() - dt.timedelta(days=3)
    event = actions.do_record_event(
        actor=ew.officer,
        kind=EventKind.TRAINING,
        title="安全生产培训",
        held_on=past,
        node=ew.w.street,
        enterprises=[ew.ent_a, ew.ent_b],
    )
    (session,) = event_queries.events_for_host(event)
    assert event.activity_id == session.pk and session.kind.code == "training"
    assert session.status == EventStatus.CLOSED  # held: the sign-in sheet recorded, the session closed
    figures = event_queries.event_figures(session)
    assert figures["checked_in"] == 2
    assert {r.organisation for r in session.registrations.all()} == {ew.ent_a.name, ew.ent_b.name}


def test_every_staff_member_finds_the_lead_door_on_the_home_page(ew, client_for):
    body = client_for(ew.w.grid_a).get(reverse("core:home")).content.decode()
    assert reverse("enterprise:lead_new") in body
    officer = client_for(ew.officer).get(reverse("core:home")).content.decode()
    assert "待企业确认" in officer
    assert client_for(ew.w.resident).get(reverse("core:home")).status_code == 302  # residents go to their H5


def test_one_enterprise_ledger_exports_alone(ew, client_for):
    import io

    from openpyxl import load_workbook

    visit_problem(ew)
    actions.do_raise_problem(
        ew.ent_b, actor=ew.officer, title="龙泉问题", description="x", raised_via=RaisedVia.CADRE
    )
    url = reverse("enterprise:io_export", args=["enterprise-problems"])
    response = client_for(ew.officer).get(f"{url}?enterprise={ew.ent_a.pk}")
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert len(rows) == 2 and rows[1][1] == ew.ent_a.name


def test_edit_enterprise_and_add_a_contact_from_the_page(ew, client_for):
    c = client_for(ew.officer)
    data = {
        "credit_code": ew.ent_a.credit_code,
        "name": "颐和食品集团有限公司",
        "industry": ew.industry.pk,
        "size": "medium",
        "node": ew.w.community_a.pk,
        "cadre": ew.officer.pk,
    }
    assert c.post(reverse("enterprise:edit", args=[ew.ent_a.pk]), data).status_code == 302
    ew.ent_a.refresh_from_db()
    assert ew.ent_a.name == "颐和食品集团有限公司" and ew.ent_a.size == "medium"
    url = reverse("enterprise:contact_add", args=[ew.ent_a.pk])
    assert c.post(url, {"name": "刘会计", "phone": "13955556666", "h5_enabled": "on"}).status_code == 302
    assert ew.ent_a.contacts.filter(phone="13955556666").exists()
    c.post(url, {"name": "错号", "phone": "123"})
    assert not ew.ent_a.contacts.filter(name="错号").exists()
    assert (
        client_for(ew.officer_b).post(reverse("enterprise:edit", args=[ew.ent_a.pk]), data).status_code == 404
    )
