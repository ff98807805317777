"""The cockpit in a county: the county's leader compares its 街道, a 街道's leader his 社区/村 (decision 0039)."""

import pytest
from django.urls import reverse

from minsheng.accounts import actions as accounts
from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.insights import queries
from minsheng.org import actions as org
from minsheng.org.choices import NodeKind

pytestmark = pytest.mark.django_db


def leader(username, role, node, password):
    user = accounts.create_user(username=username, display_name=username, password=password)
    accounts.grant_membership(user=user, role=role, node=node)
    return User.objects.get(pk=user.pk)


def test_each_leader_ranks_the_level_below_his_own(client, password):
    county = org.create_node(parent=None, kind=NodeKind.COUNTY, name="临朐县")
    streets = [org.create_node(parent=county, kind=NodeKind.STREET, name=n) for n in ("城关街道", "东城街道")]
    for street in streets:
        for n in ("东社区", "西社区"):
            org.create_node(parent=street, kind=NodeKind.COMMUNITY, name=f"{street.name[:2]}{n}")
    boss = leader("county_leader", Role.COUNTY_LEADER, county, password)
    chief = leader("street_leader", Role.STREET_LEADER, streets[0], password)

    assert [n.name for n in queries.communities(boss)] == ["城关街道", "东城街道"]
    assert [n.name for n in queries.communities(chief)] == ["城关东社区", "城关西社区"]

    client.login(username="street_leader", password=password)
    page = client.get(reverse("insights:cockpit"))
    assert page.status_code == 200
    names = [row["node"].name for row in page.context["ranking"]]
    assert sorted(names) == ["城关东社区", "城关西社区"]
    assert {n.name for n in page.context["nodes"]} == {"城关街道", "城关东社区", "城关西社区"}
