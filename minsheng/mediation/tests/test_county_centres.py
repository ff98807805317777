"""In a county each 街道 runs its own 矛调中心: the engine unit a centre's cases go to belongs to that 街道."""

import pytest

from minsheng.mediation.actions.common import centre_unit
from minsheng.org import actions as org
from minsheng.org.choices import NodeKind
from minsheng.testing.fixtures import ensure_reference_data

pytestmark = pytest.mark.django_db


def test_each_street_of_a_county_has_its_own_centre_unit():
    ensure_reference_data()
    county = org.create_node(parent=None, kind=NodeKind.COUNTY, name="临朐县", code="370724000000")
    streets = [
        org.create_node(parent=county, kind=NodeKind.STREET, name=name, code=code, case_prefix=prefix)
        for name, code, prefix in (("城关街道", "370724001000", "CG"), ("东城街道", "370724002000", "DC"))
    ]
    communities = [
        org.create_node(parent=street, kind=NodeKind.COMMUNITY, name=f"{street.name[:2]}社区")
        for street in streets
    ]

    first, second = (centre_unit(community) for community in communities)

    assert first != second
    assert [first.node, second.node] == streets
    assert centre_unit(streets[0]) == first  # found again, not created twice
