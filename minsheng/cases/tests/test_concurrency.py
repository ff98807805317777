"""Two people acting on one case at once: exactly one wins, the other gets a clear refusal (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from minsheng.cases import actions
from minsheng.cases.choices import Channel, Status
from minsheng.cases.models import Case
from minsheng.core.errors import IllegalTransition
from minsheng.testing.fixtures import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_signers_one_winner(cw):
    require_postgres()
    case = actions.do_register(
        actor=cw.w.grid_a,
        kind="appeal",
        channel=Channel.GRID_PATROL,
        category=cw.cat_sewer,
        description="楼道灯坏了",
        node=cw.w.unit_a,
    )
    case = actions.do_accept(case, actor=cw.w.worker_a)
    case = actions.do_dispatch(case, actor=cw.w.worker_a, unit=cw.unit_a)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def sign(user):
        try:
            barrier.wait()
            actions.do_sign(Case.objects.get(pk=case.pk), actor=user)
            outcomes.append("ok")
        except IllegalTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(u,)) for u in (cw.w.grid_a, cw.w.worker_a)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    case.refresh_from_db()
    assert case.status == Status.HANDLING
    assert case.events.filter(verb="sign").count() == 1


def test_twenty_identical_dispatch_calls_one_dispatch_nineteen_409(cw):
    """The API's 派遣 carries the state it was made from: repeated or concurrent identical calls cannot turn into
    silent 改派 (they all succeeded, writing 19 改派 events)."""
    require_postgres()
    from rest_framework.test import APIClient

    case = actions.do_register(
        actor=cw.w.grid_a,
        kind="appeal",
        channel=Channel.GRID_PATROL,
        category=cw.cat_sewer,
        description="小区门口路灯不亮",
        node=cw.w.unit_a,
    )
    actions.do_accept(case, actor=cw.w.worker_a)
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def dispatch():
        try:
            client = APIClient()
            client.force_authenticate(cw.w.worker_a)
            barrier.wait()
            response = client.post(
                f"/api/v1/cases/{case.pk}/dispatch/", {"unit": cw.unit_a.pk}, format="json"
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] + [409] * 19
    assert case.events.filter(verb="dispatch").count() == 1
    assert not case.events.filter(verb="redispatch").exists()
