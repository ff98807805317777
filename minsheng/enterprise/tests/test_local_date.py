"""The 街道's "today" is its own date (Asia/Shanghai), not UTC's: at 01:30 on 1 March in Beijing it is still 28 February
17:30 in UTC, and every date the enterprise pages and actions take as today must be 1 March."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from minsheng.core import clock
from minsheng.core.calendar import TZ
from minsheng.enterprise import actions
from minsheng.enterprise.choices import NeedKind

pytestmark = pytest.mark.django_db

#: 01:30 on Sunday 1 March 2026 in Beijing, given in UTC as timezone.now() gives it: 17:30 on Saturday 28 February.
BEFORE_DAWN = dt.datetime(2026, 2, 28, 17, 30, tzinfo=dt.UTC)
MARCH_1 = dt.date(2026, 3, 1)
FEB_28 = dt.date(2026, 2, 28)


def reviewed_plan(ew):
    plan = actions.do_create_plan(
        ew.ent_a,
        actor=ew.officer,
        year=2026,
        summary="初创企业，缺少流动资金",
        needs=[(NeedKind.FUNDING, "流动资金200万元")],
        actions=[
            {"title": "对接农商银行", "owner": ew.officer, "due": FEB_28},
            {"title": "指导办理许可", "owner": ew.officer, "due": MARCH_1},
        ],
    )
    return actions.do_review_plan(plan, actor=ew.leader, approve=True, opinion="同意")


def test_the_clock_gives_the_streets_date():
    assert BEFORE_DAWN.astimezone(TZ) == dt.datetime(2026, 3, 1, 1, 30, tzinfo=TZ)
    assert BEFORE_DAWN.date() == FEB_28
    with clock.at(BEFORE_DAWN):
        assert clock.today() == MARCH_1


def test_an_action_due_on_28_february_is_overdue_before_dawn_on_1_march(ew, client_for):
    plan = reviewed_plan(ew)
    with clock.at(BEFORE_DAWN):
        body = client_for(ew.officer).get(reverse("enterprise:plan", args=[plan.pk])).content.decode()
    rows = [row.split("</tr>")[0] for row in body.split("<tr><td>")[1:]]
    overdue = [row.split("</td>")[0] for row in rows if "逾期" in row]
    # the 28 February action is late, the one due today (1 March) is not
    assert overdue == ["对接农商银行"]


def test_progress_to_100_marks_the_action_done_on_the_streets_day(ew):
    plan = reviewed_plan(ew)
    first = plan.actions.get(title="对接农商银行")
    with clock.at(BEFORE_DAWN):
        done = actions.do_update_progress(first, actor=ew.officer, progress=100, note="完成")
    assert done.done_on == MARCH_1


def test_a_visit_made_today_is_not_in_the_future(ew):
    with clock.at(BEFORE_DAWN):
        visit = actions.do_record_visit(ew.ent_a, actor=ew.officer, visited_on=MARCH_1, findings="夜间走访")
        assert visit.visited_on == MARCH_1
        with pytest.raises(ValidationError) as exc:  # tomorrow still is
            actions.do_record_visit(
                ew.ent_a, actor=ew.officer, visited_on=dt.date(2026, 3, 2), findings="明天的走访"
            )
    assert "visited_on" in exc.value.message_dict


def test_forms_offer_the_streets_date(ew, client_for):
    with clock.at(BEFORE_DAWN):
        page = client_for(ew.officer).get(reverse("enterprise:visit_new", args=[ew.ent_a.pk]))
    # the date picker takes ISO dates only (a zh-hans "2026/03/01" would leave it empty)
    assert 'name="visited_on" value="2026-03-01"' in page.content.decode()


def test_a_lead_submitted_after_midnight_on_new_years_day_is_numbered_in_the_new_year(ew):
    with clock.at(dt.datetime(2025, 12, 31, 16, 30, tzinfo=dt.UTC)):  # 1 January 2026 00:30 in Beijing
        project = actions.do_submit_lead(
            actor=ew.officer,
            name="乳制品深加工项目",
            investor="某乳业集团",
            industry=ew.industry,
            node=ew.w.community_a,
            planned_amount="50000",
        )
    assert project.number == "ZS20260001"
