"""Shape changes at the same moment (PostgreSQL): two system administrators putting a county above the same 街道
— one wins, the other is refused in words, not by a deadlock; a 小区 added while its 街道 moves lands on the 街道's
new path, not under the old one (docs/decisions/0073)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from minsheng.org import actions as org
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node
from minsheng.testing.fixtures import ensure_reference_data, require_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls):
    """Start the calls at one barrier, each in its own thread and connection; return what each returned/raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 — the test asserts which exception it was
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def streets():
    ensure_reference_data()
    cg = org.create_node(parent=None, kind=NodeKind.STREET, name="城关街道", code="370724001000")
    dc = org.create_node(parent=None, kind=NodeKind.STREET, name="东城街道", code="370724002000")
    community = org.create_node(parent=cg, kind=NodeKind.COMMUNITY, name="城关社区", code="370724001001")
    return cg, dc, community


def test_two_counties_above_the_same_streets_one_wins_the_other_is_refused():
    require_postgres()
    cg, dc, _community = streets()
    outcomes = run_together(
        lambda: org.create_county_above([cg, dc], name="临朐县"),
        lambda: org.create_county_above([cg, dc], name="临朐县（重复）"),
    )
    won = [o for o in outcomes if isinstance(o, Node)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(won) == 1 and len(refused) == 1, outcomes
    assert "只有顶层的街道/乡镇可以移入新县" in str(refused[0])
    assert list(Node.objects.filter(kind=NodeKind.COUNTY).values_list("name", flat=True)) == [won[0].name]
    assert Node.objects.get(pk=won[0].pk).numchild == 2
    assert set(Node.objects.filter(kind=NodeKind.STREET).values_list("depth", flat=True)) == {2}


def test_a_place_added_while_its_street_moves_follows_the_street():
    require_postgres()
    cg, dc, community = streets()
    county = org.create_county_above([cg, dc], name="临朐县")
    other = org.create_node(parent=None, kind=NodeKind.COUNTY, name="青州市")
    for round_ in range(4):  # the two orders of arrival both hold
        target = other if round_ % 2 == 0 else county
        outcomes = run_together(
            lambda t=target: org.move_street(Node.objects.get(pk=cg.pk), county=t),
            lambda r=round_: org.create_node(
                parent=Node.objects.get(pk=community.pk), kind=NodeKind.ESTATE, name=f"新小区{r}"
            ),
        )
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    community = Node.objects.get(pk=community.pk)
    estates = Node.objects.filter(kind=NodeKind.ESTATE).order_by("name")
    assert [e.name for e in estates] == [f"新小区{r}" for r in range(4)]
    for estate in estates:
        assert estate.path[: -Node.steplen] == community.path
        assert estate.full_name == f"临朐县 城关街道 城关社区 {estate.name}"
    assert community.numchild == 4
    assert Node.objects.get(pk=county.pk).numchild == 2 and Node.objects.get(pk=other.pk).numchild == 0
