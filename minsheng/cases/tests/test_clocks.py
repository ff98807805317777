"""Every deadline on one clock: a case past its 受理时限 in 登记 (or its 签收时限 once dispatched) is yellow, then red,
is warned and escalated, and counts as 超期 in the lists, the metrics and the efficiency board."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from minsheng.cases import actions, deadlines, efficiency, metrics
from minsheng.cases.choices import Channel, DeadlineState
from minsheng.cases.models import Case, CaseEvent, Supervision
from minsheng.core import clock
from minsheng.core.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2025, 12, 8, 9, tzinfo=TZ)


def registered(cw, when=MONDAY, actor=None):
    with clock.at(when):
        return actions.do_register(
            actor=actor,
            kind="appeal",
            channel=Channel.SYSTEM,
            category=cw.cat_sewer,
            description="抽检不合格，需整改",
            node=cw.w.unit_a,
        )


def test_registered_case_turns_yellow_then_red_on_its_accept_limit(cw):
    case = registered(cw)
    assert case.accept_due > MONDAY
    assert deadlines.state_of(case, MONDAY + dt.timedelta(minutes=5)) == DeadlineState.GREEN
    mark = deadlines.clock_warn_at(case, deadlines.CLOCKS[0])
    assert deadlines.state_of(case, mark) == DeadlineState.YELLOW
    late = case.accept_due + dt.timedelta(days=120)
    assert deadlines.state_of(case, late) == DeadlineState.RED
    assert deadlines.governing(case, late).clock.name == "accept"
    assert Case.objects.filter(deadlines.overdue_q(late), pk=case.pk).exists()


def test_accept_clock_warns_and_escalates_once_to_the_desk(cw):
    case = registered(cw)
    mark = deadlines.clock_warn_at(case, deadlines.CLOCKS[0])
    with clock.at(mark + dt.timedelta(minutes=1)):
        assert actions.run_deadline_clock() == {"warned": 1, "overdue": 0}
        assert actions.run_deadline_clock() == {"warned": 0, "overdue": 0}
    with clock.at(case.accept_due + dt.timedelta(hours=1)):
        assert actions.run_deadline_clock() == {"warned": 0, "overdue": 1}
        assert actions.run_deadline_clock() == {"warned": 0, "overdue": 0}
    assert Supervision.objects.filter(case=case, kind=Supervision.Kind.ESCALATE).count() == 1
    event = CaseEvent.objects.get(case=case, verb="overdue")
    assert event.extra["clock"] == "accept"
    # nobody received it: the community desk that may 受理 hears of it
    assert Notification.objects.filter(recipient=cw.w.worker_a, level="urgent").exists()


def test_accepting_stops_the_accept_clock(cw):
    case = registered(cw)
    late = case.accept_due + dt.timedelta(hours=2)
    with clock.at(late):
        case = actions.do_accept(case, actor=cw.w.worker_a)
    assert deadlines.governing(case, late).clock.name == "finish"
    assert deadlines.state_of(case, late) == DeadlineState.GREEN


def test_sign_clock_runs_while_dispatched(cw):
    case = registered(cw, actor=cw.w.grid_a)
    with clock.at(MONDAY + dt.timedelta(minutes=10)):
        case = actions.do_accept(case, actor=cw.w.worker_a)
        case = actions.do_dispatch(case, actor=cw.w.worker_a, unit=cw.unit_a)
    late = case.sign_due + dt.timedelta(minutes=30)
    assert late < case.finish_due
    assert deadlines.state_of(case, late) == DeadlineState.RED
    assert deadlines.governing(case, late).clock.name == "sign"
    with clock.at(late):
        assert actions.run_deadline_clock()["overdue"] == 1
        case = actions.do_sign(case, actor=cw.w.grid_a)
    assert deadlines.state_of(case, late) == DeadlineState.GREEN


def test_unaccepted_overdue_counts_in_metrics_and_efficiency_board(cw):
    case = registered(cw)
    late = case.accept_due + dt.timedelta(days=30)
    qs = Case.objects.all()
    m = metrics.summary(qs, now=late)
    assert m.overdue_open == 1 and m.overdue == 1
    rows = efficiency.board(qs, by="lead_unit", now=late)
    row = next(r for r in rows if r.key is None)
    assert row.overdue == 1
    assert row.label == "未派遣（受理、派遣环节）"


def test_workbench_overdue_list_and_red_filter_show_it(cw, client, password):
    case = registered(cw)
    late = case.accept_due + dt.timedelta(days=3)
    client.login(username=cw.w.worker_a.username, password=password)
    with clock.at(late):
        page = client.get("/cases/overdue/")
        assert case.number in page.content.decode()
        red = client.get("/cases/", {"list": "all", "deadline": "red"})
        assert case.number in red.content.decode()
        detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert "受理时限" in detail and "badge-red" in detail


def test_the_last_twelve_months_is_not_this_year(rf):
    from minsheng.cases.views.workbench_reports import _quick_periods

    request = rf.get("/cases/reports/")
    spans = {p["label"]: p["query"] for p in _quick_periods(request, dt.date(2026, 12, 5))}
    assert spans["近十二个月"] != spans["今年"]
    assert "start=2025-12-06" in spans["近十二个月"] and "start=2026-01-01" in spans["今年"]


def test_auto_titles_stop_at_a_sentence_end():
    from minsheng.cases.actions import auto_title

    assert (
        auto_title("颐和家园2号楼楼道灯不亮。晚上老人上下楼很危险，请尽快维修") == "颐和家园2号楼楼道灯不亮"
    )
    assert auto_title("路面积水！") == "路面积水"
    long = "颐和家园东门外人行道路面塌陷，形成一个大坑，雨天积水严重影响居民出行安全需要尽快处理"
    assert auto_title(long) == "颐和家园东门外人行道路面塌陷，形成一个大坑"
    assert len(auto_title("无" * 80)) == 30


def test_recurring_places_are_paged(cw, client_for):
    from minsheng.cases.views import workbench_reports

    for i in range(3):
        for cat in ("050101", "010101"):
            from minsheng.cases.models import Category

            actions.do_register(
                actor=cw.w.grid_a,
                kind="appeal",
                channel=Channel.GRID_PATROL,
                category=Category.objects.get(code=cat),
                description=f"第{i}次反映",
                node=cw.w.building_a,
            )
    old, workbench_reports.RECURRING_PAGE = workbench_reports.RECURRING_PAGE, 1
    try:
        client = client_for(cw.w.worker_a)
        first = client.get("/cases/recurring/", {"days": 30, "min_count": 3})
        assert (
            len(first.context["grid_page"].object_list) == 1
            and first.context["grid_page"].paginator.count == 2
        )
        assert "gpage=2" in first.content.decode()
        second = client.get("/cases/recurring/", {"days": 30, "min_count": 3, "gpage": 2})
        assert second.context["grid_page"].number == 2
    finally:
        workbench_reports.RECURRING_PAGE = old


def test_the_ledger_export_tells_the_waiting_page_it_is_ready(cw, client_for):
    registered(cw)
    client = client_for(cw.w.admin)
    page = client.get("/cases/all/").content.decode()
    assert "data-export" in page and "data-export-status" in page
    response = client.get("/cases/export/", {"list": "all", "token": "abc123"})
    assert response.status_code == 200 and response.cookies["ledger_ready"].value == "abc123"
    assert "ledger_ready" not in client.get("/cases/export/", {"token": "<bad>"}).cookies
