"""The cases figures as registered in core.metrics, on the cases' hand-counted December, and the leaders' pages
over them."""

import datetime as dt

import pytest

from minsheng.cases.tests.test_metrics import EXPECTED_DECEMBER, EXPECTED_DECEMBER_RATES, NOW, tell_story
from minsheng.core import attention, clock, duties, metrics
from minsheng.core.metrics import Scope

DEC = (dt.date(2025, 12, 1), dt.date(2025, 12, 31))


@pytest.fixture
def story(cw):
    return tell_story(cw)


@pytest.mark.django_db
def test_registered_cases_figures_match_the_hand_count(story, cw):
    scope = Scope(cw.w.admin, *DEC)
    with clock.at(NOW):
        assert metrics.value("cases.reported", scope) == EXPECTED_DECEMBER["reported"]
        assert metrics.value("cases.resolved", scope) == 8
        # c9 past its 办结时限 and c14 past its 签收时限: every deadline runs on one clock (decision 0042)
        assert metrics.value("cases.overdue_open", scope) == 2
        assert metrics.value("cases.completion_rate", scope) == EXPECTED_DECEMBER_RATES["completion_rate"]
        assert metrics.value("cases.on_time_rate", scope) == EXPECTED_DECEMBER_RATES["on_time_rate"]
        assert metrics.value("cases.satisfaction_rate", scope) == EXPECTED_DECEMBER_RATES["satisfaction_rate"]
        # the rows behind a figure are the cases it counts
        assert metrics.get("cases.resolved").rows(scope).count() == 8
        assert metrics.get("cases.completion_rate").rows(scope).count() == EXPECTED_DECEMBER["due"]


@pytest.mark.django_db
def test_a_subtree_narrows_and_the_viewer_scopes(story, cw):
    with clock.at(NOW):
        other = metrics.value("cases.reported", Scope(cw.w.admin, *DEC, node=cw.w.community_b))
        assert (
            other
            == metrics.get("cases.reported").rows(Scope(cw.w.admin, *DEC, node=cw.w.community_b)).count()
        )
        assert metrics.value("cases.reported", Scope(cw.w.resident, *DEC)) == 0


@pytest.mark.django_db
def test_attention_and_duties_read_the_engine(story, cw):
    with clock.at(NOW):
        scope = Scope(cw.w.admin, *DEC)
        overdue = next(s for s in attention.sources() if s.code == "cases.overdue")
        assert overdue.count(scope) == 2  # c9, and c14 unsigned past its 签收时限
        misses = next(d for d in duties.all_duties() if d.code == "cases.overdue").misses(scope)
        # c2 (resolved late, 颐和社区居委会 / grid_a), c9 (open past due, 龙泉社区居委会 / grid_b) and c14
        # (dispatched to 颐和社区居委会, not signed for within its 签收时限, no handler yet)
        assert {(m.holder_kind, m.holder_label, m.count) for m in misses} == {
            (duties.UNIT, "颐和社区居委会", 2),
            (duties.UNIT, "龙泉社区居委会", 1),
            (duties.PERSON, str(cw.w.grid_a), 1),
            (duties.PERSON, str(cw.w.grid_b), 1),
        }


def test_every_domain_registered():
    codes = {m.code for m in metrics.all_metrics()}
    assert {"cases.reported", "agri.pass_rate", "iot.sensors", "deliberation.items_raised"} <= codes
    assert {s.code for s in attention.sources()} >= {
        "cases.overdue",
        "cases.supervised",
        "iot.critical_alarms",
        "agri.failed_samples",
        "deliberation.meetings_missed",
        "mediation.high_risk",
        "mediation.weekly_missed",
        "enterprise.stalled_projects",
    }
    assert "enterprise.problems_overdue" not in {
        s.code for s in attention.sources()
    }  # one row per case: 0071
    assert {d.code for d in duties.all_duties()} >= {
        "cases.overdue",
        "agri.stores_uninspected",
        "deliberation.meetings_missed",
        "mediation.weekly_missed",
        "enterprise.stage_overdue",
        "enterprise.problems_late",
    }


@pytest.mark.django_db
def test_by_node_agrees_with_compute_per_node(story, cw):
    from minsheng.org import actions as org_actions
    from minsheng.org.choices import NodeKind

    empty = org_actions.create_node(parent=cw.w.street, kind=NodeKind.COMMUNITY, name="空社区")
    nodes = [cw.w.community_a, cw.w.community_b, empty]
    with clock.at(NOW):
        for code in ("cases.completion_rate", "cases.satisfaction_rate", "cases.reported"):
            metric = metrics.get(code)
            grouped = metric.by_node(Scope(cw.w.admin, *DEC), nodes)
            assert grouped == {n.pk: metric.compute(Scope(cw.w.admin, *DEC, node=n)) for n in nodes}


@pytest.mark.django_db
def test_a_batch_runs_the_cases_summary_once_per_scope(story, cw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    scope = Scope(cw.w.admin, *DEC)
    codes = ("cases.reported", "cases.resolved", "cases.completion_rate", "cases.satisfaction_rate")
    with clock.at(NOW), metrics.batch(), CaptureQueriesContext(connection) as ctx:
        values = [metrics.value(code, scope) for code in codes]
    assert values[1] == 8
    assert len(ctx.captured_queries) <= 3  # one summary (plus the viewer's scope lookups)


@pytest.mark.django_db
def test_the_ranking_query_also_gives_the_whole(story, cw, django_assert_num_queries):
    """The cockpit ranks the 社区 first: their groups, added up, are the 街道's summary — the same figures as the
    summary's own query, the average handling time weighted by the cases behind each group's average."""
    from minsheng.cases import metrics as case_metrics
    from minsheng.org.models import Node

    scope = Scope(cw.w.admin, *DEC)
    with clock.at(NOW):
        alone = case_metrics._summary_of(scope)
        communities = list(Node.objects.filter(depth=cw.w.street.depth + 1).order_by("path"))
        assert len(communities) >= 2
        with metrics.batch():
            metrics.get("cases.reported").by_node(scope, communities)
            with django_assert_num_queries(0):
                added = metrics.shared(case_metrics._summary_of, scope)
    assert added == alone
    assert alone.reported == EXPECTED_DECEMBER["reported"] and alone.handling_hours is not None
