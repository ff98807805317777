"""`minsheng demo --streets N` builds a county; the default stays one 街道.

`--only ops` leaves the full demo 街道 out (its build is the org app's demo test's business and takes long): the
county then holds the N − 1 generated 街道.
"""

import io

import pytest
from django.core.management import call_command

from minsheng.accounts.models import User
from minsheng.cases.models import Case
from minsheng.org.choices import NodeKind
from minsheng.org.demo import COUNTY_NAME
from minsheng.org.models import Node
from minsheng.testing.fixtures import ensure_reference_data

pytestmark = pytest.mark.django_db


def test_a_county_of_streets_each_numbering_its_own_cases():
    ensure_reference_data()
    out = io.StringIO()
    call_command("demo", "--only", "ops", "--streets", "3", "--cases-per-street", "12", stdout=out)
    county = Node.objects.get(kind=NodeKind.COUNTY, name=COUNTY_NAME)
    streets = list(Node.objects.filter(kind=NodeKind.STREET).order_by("path"))
    assert [s.name for s in streets] == ["东城街道（演示数据）", "冶源街道（演示数据）"]
    assert all(s.path.startswith(county.path) and s.depth == 2 for s in streets)
    for street, prefix in zip(streets, ("DC", "YY"), strict=True):
        numbers = list(
            Case.objects.filter(node__path__startswith=street.path).values_list("number", flat=True)
        )
        assert len(numbers) == 12 and all(n.startswith(f"{prefix}-") for n in numbers)
    leader = User.objects.get(username="county_leader")
    assert Case.objects.visible_to(leader).count() == 24
    admin_dc = User.objects.get(username="admin_dc")
    assert Case.objects.visible_to(admin_dc).count() == 12
    assert "县级领导" in out.getvalue() and "admin_dc" in out.getvalue()
    # A second run adds nothing.
    call_command("demo", "--only", "ops", "--streets", "3", stdout=io.StringIO())
    assert Case.objects.count() == 24 and Node.objects.filter(kind=NodeKind.STREET).count() == 2


def test_without_streets_no_county_is_made():
    call_command("demo", "--only", "ops", stdout=io.StringIO())
    assert not Node.objects.filter(kind=NodeKind.COUNTY).exists()
