"""Two people recording the same first signing, or confirming the same 销号, at once: one wins, the other is told
(PostgreSQL, where the row locks are real)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from minsheng.core.errors import IllegalTransition
from minsheng.enterprise import actions
from minsheng.enterprise.choices import SigningKind, Stage
from minsheng.enterprise.models import Problem, Project
from minsheng.testing.fixtures import require_postgres

from .test_ledger import handle, visit_problem

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(work, *args) -> list[str]:
    barrier = threading.Barrier(len(args))
    outcomes: list[str] = []

    def run(arg):
        try:
            barrier.wait()
            work(arg)
            outcomes.append("ok")
        except IllegalTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_the_first_signing_counts_once(ew):
    require_postgres()
    project = actions.do_submit_lead(
        actor=ew.officer,
        name="甲",
        investor="乙",
        industry=ew.industry,
        node=ew.w.community_a,
        planned_amount=100,
    )
    actions.do_advance(project, actor=ew.officer, to=Stage.TALKS)

    def sign(user):
        actions.do_record_signing(
            Project.objects.get(pk=project.pk),
            actor=user,
            kind=SigningKind.FIRST,
            amount=100,
            signed_on=dt.date.today(),
        )

    assert race(sign, ew.officer, ew.w.admin) == ["ok", "refused"]
    project.refresh_from_db()
    assert project.signed_amount == Decimal("100") and project.signings.count() == 1


def test_one_confirmation_closes_the_item(ew):
    require_postgres()
    problem = handle(ew, visit_problem(ew))

    def confirm(contact):
        actions.do_confirm_close(Problem.objects.get(pk=problem.pk), contact=contact, note="好")

    assert race(confirm, ew.contact_a, ew.contact_a) == ["ok", "refused"]
    problem.refresh_from_db()
    assert problem.case.followups.count() == 1
