"""The demo history: appeals replayed through the real actions, so every path of the loop appears in it.

A short window (30 days) keeps the test quick; `minsheng demo` replays two years. The org demo and the history are
loaded once for the module inside a transaction rolled back at the end.
"""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.db.models import Count, F

from minsheng.cases import demo, metrics
from minsheng.cases.choices import DONE_STATES, Status
from minsheng.cases.models import Case, CaseEvent, Supervision
from minsheng.core import clock
from minsheng.org import demo as org_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        org_demo.load(io.StringIO())
        demo.DAYS, days = 30, demo.DAYS
        out = io.StringIO()
        try:
            demo.load(out)
        finally:
            demo.DAYS = days
        yield SimpleNamespace(out=out.getvalue())
        transaction.set_rollback(True)


def test_every_path_of_the_loop_appears(history):
    verbs = set(CaseEvent.objects.values_list("verb", flat=True))
    for verb in (
        "register", "accept", "reject", "merge", "dispatch", "return", "sign", "request_extension",
        "extension_approved", "reply", "verify_fail", "verify_pass", "follow_up", "follow_up_unreachable", "redo",
        "reopen", "set_key", "supervise", "deadline_warning", "overdue",
    ):  # fmt: skip
        assert verb in verbs, verb
    assert Case.objects.filter(status__in=DONE_STATES).exists()
    assert Case.objects.filter(status__in=[Status.DISPATCHED, Status.HANDLING]).exists()  # work in hand today
    assert Supervision.objects.filter(kind=Supervision.Kind.ESCALATE).exists()
    assert "已回放 30 天的演示诉求" in history.out


def test_events_follow_the_clock_of_each_case(history):
    # The replay ran each step at its own moment: nothing happened to a case before it was reported.
    assert not CaseEvent.objects.filter(created_at__lt=F("case__reported_at")).exists()
    registered = CaseEvent.objects.filter(verb="register").values_list("case__reported_at", "created_at")
    assert all(reported == created for reported, created in registered)


def test_the_figures_are_the_engines_own(history):
    summary = metrics.summary(Case.objects.all())
    assert summary.accepted > 500
    assert 0.75 < float(summary.on_time_rate) < 1
    assert 0.8 < float(summary.satisfaction_rate) <= 1
    assert summary.merged > 0


def test_a_second_load_adds_nothing(history):
    before = Case.objects.count()
    demo.load(io.StringIO())
    assert Case.objects.count() == before


def test_load_is_spread_over_the_window(history):
    days = Case.objects.values("reported_at__date").annotate(n=Count("pk"))
    assert len(days) >= 28
    assert max(row["reported_at__date"] for row in days) >= (clock.now() - dt.timedelta(days=2)).date()


def test_texts_fit_their_category_and_villages_have_no_lifts(history):
    """An official reading the demo finds 路面积水 filed as 路面积水, and no 电梯困人 in a village."""
    import re

    from minsheng.org.choices import NodeKind

    checked = 0
    rows = Case.objects.filter(kind__code="appeal").values_list("description", "category__name")[:400]
    for text, leaf in rows:
        patterns = [re.escape(t).replace(re.escape("{place}"), ".*") for t in demo.LEAF_TEXTS[leaf]]
        assert any(re.fullmatch(p, text) for p in patterns), (text, leaf)
        checked += 1
    assert checked > 100
    in_villages = Case.objects.filter(node__path__in=[], kind__code="appeal")
    villages = [n.path for n in demo.Node.objects.filter(kind=NodeKind.VILLAGE)]
    for path in villages:
        in_villages = in_villages | Case.objects.filter(node__path__startswith=path, kind__code="appeal")
    assert in_villages.exists()
    assert not in_villages.filter(category__path__startswith=_path_of("06")).exists()
    assert not in_villages.filter(category__path__startswith=_path_of("08")).exists()


def _path_of(code):
    from minsheng.cases.models import Category

    return Category.objects.get(code=code).path


def test_outcomes_are_believable_not_perfect(history):
    m = metrics.summary(Case.objects.all())
    assert 0.90 <= m.satisfaction_rate <= 0.985  # a few stay 不满意, as in life
    assert m.first_time_rate >= 0.92  # the article: 96.3 %


def test_the_efficiency_board_singles_out_a_few_not_everyone(history):
    from minsheng.cases import efficiency
    from minsheng.cases.efficiency import Card

    rows = efficiency.board(Case.objects.all(), by="lead_unit")
    carded = [r for r in rows if r.card != Card.NONE]
    assert rows and len(carded) <= len(rows) // 3, [(r.label, r.reasons) for r in carded]
