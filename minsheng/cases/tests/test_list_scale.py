"""What keeps the workbench fast at a million cases (decision 0066): how scope and counts reach the database."""

from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from minsheng.cases import actions
from minsheng.cases.models import ApprovalRequest, Case, CaseEvent, in_subtrees
from minsheng.core.pagination import capped_count

from .test_workbench import in_community_b, register


def test_cases_in_a_subtree_are_matched_by_an_array_of_place_ids_on_postgresql(cw):
    a, b = register(cw), in_community_b(cw)
    here = Case.objects.filter(in_subtrees([cw.w.community_a.path]))
    assert list(here) == [a]
    assert set(Case.objects.filter(in_subtrees([cw.w.street.path]))) == {a, b}
    sql = str(here.query)
    assert ("= ANY(ARRAY(SELECT" in sql) if connection.vendor == "postgresql" else (" IN (SELECT" in sql)
    # The same inside visible_to's OR (reported by the user, given to a unit …): the worker sees his own only.
    assert list(Case.objects.visible_to(cw.w.worker_a)) == [a]
    assert set(Case.objects.visible_to(cw.leader)) == {a, b}


def test_a_capped_count_counts_keys_without_the_rows_annotations_or_order(cw):
    for i in range(3):
        register(cw, description=f"第{i}处下水道堵塞")
    rows = Case.objects.annotate(touched=Exists(CaseEvent.objects.filter(case=OuterRef("pk")))).order_by(
        "-reported_at"
    )
    with CaptureQueriesContext(connection) as ctx:
        assert capped_count(rows) == 3
        assert capped_count(rows, cap=2) == "2+"
    sql = ctx.captured_queries[0]["sql"]
    assert "EXISTS" not in sql and "ORDER BY" not in sql
    # Groups are counted as groups.
    assert capped_count(Case.objects.values("status").annotate(n=Count("pk"))) == 1


def test_todo_finds_a_case_waiting_for_approval_through_the_pending_requests(cw, client_for):
    w = cw.w
    case = register(cw)
    actions.do_accept(case, actor=w.worker_a)
    actions.do_dispatch(case, actor=w.worker_a, unit=cw.unit_a)
    actions.do_sign(case, actor=w.grid_a)  # the grid worker handles it; the unit's leader decides requests

    def todo():
        return {row["case"].number for row in client_for(w.worker_a).get("/cases/").context["rows"]}

    assert case.number not in todo()
    actions.do_request(case, actor=w.grid_a, kind="extension", reason="需要协调物业，申请延期", days=3)
    assert ApprovalRequest.objects.filter(case=case, status="pending").exists()
    assert case.number in todo()
