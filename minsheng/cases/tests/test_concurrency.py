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
