"""A deployment that grows into a county: an existing 街道 goes under a new or an existing county with everything
below it, and every scope keyed on the tree's paths still holds (docs/decisions/0067)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.accounts import actions as accounts
from minsheng.accounts.choices import Cap, Role
from minsheng.accounts.models import User
from minsheng.cases import actions as cases
from minsheng.cases.choices import Channel, UnitKind
from minsheng.cases.models import Case, Category, Unit
from minsheng.core.models import Notification, WebhookEndpoint
from minsheng.core.notifications import endpoints_for
from minsheng.org import actions as org
from minsheng.org.choices import NodeKind
from minsheng.org.levels import street_depth
from minsheng.org.models import Grid, Node
from minsheng.testing.fixtures import ensure_reference_data

pytestmark = pytest.mark.django_db


def person(username, role, node):
    user = accounts.create_user(username=username, display_name=username, password=None)
    accounts.grant_membership(user=user, role=role, node=node)
    return user


def build_street(name, code, prefix=""):
    street = org.create_node(parent=None, kind=NodeKind.STREET, name=name, code=code, case_prefix=prefix)
    community = org.create_node(
        parent=street, kind=NodeKind.COMMUNITY, name=f"{name[:2]}社区", code=code[:9] + "001"
    )
    estate = org.create_node(parent=community, kind=NodeKind.ESTATE, name=f"{name[:2]}小区")
    building = org.create_node(parent=estate, kind=NodeKind.BUILDING, name="1号楼")
    admin = person(f"admin_{code[6:9]}", Role.STREET_ADMIN, street)
    worker = person(f"worker_{code[6:9]}", Role.COMMUNITY_WORKER, community)
    grid = org.create_grid(community=community, name=f"{name[:2]}网格", nodes=[estate], worker=worker)
    unit = Unit.objects.create(name=f"{name}办事处", kind=UnitKind.STREET_OFFICE, node=street, leader=admin)
    unit.members.set([admin])
    return SimpleNamespace(
        node=street, community=community, building=building, admin=admin, worker=worker, grid=grid
    )


def fresh(user):
    return User.objects.get(pk=user.pk)  # as the next request loads him (memberships are cached per object)


def register(actor, node):
    return cases.do_register(
        actor=fresh(actor),
        kind="appeal",
        channel=Channel.ONLINE,
        category=Category.objects.get(code="050101"),
        description="下水道堵塞，污水外溢",
        node=Node.objects.get(pk=node.pk),
    )


def visible_cases(user):
    return set(Case.objects.visible_to(fresh(user), Cap.CASES_VIEW).values_list("pk", flat=True))


def visible_grids(user):
    return set(Grid.objects.visible_to(fresh(user), Cap.ORG_VIEW).values_list("pk", flat=True))


@pytest.fixture
def two_streets():
    ensure_reference_data()
    cg = build_street("城关街道", "370724001000")  # no prefix of its own: numbers CG-… from the setting
    dc = build_street("东城街道", "370724002000", prefix="DC")
    cg.cases = {register(cg.worker, cg.building).pk for _ in range(2)}
    dc.cases = {register(dc.worker, dc.building).pk}
    return SimpleNamespace(cg=cg, dc=dc)


def test_a_new_county_above_the_streets_keeps_every_scope(two_streets, settings):
    cg, dc = two_streets.cg, two_streets.dc
    year = Case.objects.get(pk=min(cg.cases)).reported_at.year
    assert Case.objects.get(pk=max(cg.cases)).number == f"{settings.MINSHENG_CASE_PREFIX}-{year}-000002"
    Notification.objects.create(recipient=cg.admin, title="超期", node_path=cg.building.path)
    hook = WebhookEndpoint.objects.create(
        name="城关群", url="https://example.org/h", node_path=cg.community.path
    )
    grids_before = visible_grids(cg.admin)

    county = org.create_county_above([cg.node, dc.node], name="临朐县", code="370724000000", case_prefix="LQ")

    cg.node.refresh_from_db()
    cg.building.refresh_from_db()
    assert county.depth == 1 and county.numchild == 2
    assert cg.node.depth == 2 and cg.node.path.startswith(county.path)
    assert cg.building.depth == 5 and cg.building.path.startswith(cg.node.path)
    assert cg.building.full_name == "临朐县 城关街道 城关社区 城关小区 1号楼"
    assert street_depth() == 2
    # A 街道 user sees exactly his own, the county's user both.
    assert visible_cases(cg.admin) == cg.cases and visible_cases(dc.admin) == dc.cases
    assert visible_cases(cg.worker) == cg.cases
    boss = person("county_admin", Role.COUNTY_ADMIN, county)
    assert visible_cases(boss) == cg.cases | dc.cases
    assert visible_grids(cg.admin) == grids_before == {cg.grid.pk}
    assert visible_grids(boss) == {cg.grid.pk, dc.grid.pk}
    cg.grid.refresh_from_db()
    assert cg.grid.responsible() == (cg.worker, Node.objects.get(pk=cg.community.pk))
    # Each 街道 goes on with its own sequence, though the county has a prefix of its own.
    cg.node.refresh_from_db()
    assert cg.node.case_prefix == settings.MINSHENG_CASE_PREFIX
    assert register(cg.worker, cg.building).number == f"{settings.MINSHENG_CASE_PREFIX}-{year}-000003"
    assert register(dc.worker, dc.building).number == f"DC-{year}-000002"
    # Stored scopes follow the move.
    assert Notification.objects.get(recipient=cg.admin).node_path == cg.building.path
    hook.refresh_from_db()
    assert hook.node_path.startswith(county.path)
    assert endpoints_for("urgent", cg.building.path) == [hook]
    assert endpoints_for("urgent", Node.objects.get(pk=dc.building.pk).path) == []


def test_a_street_moves_under_an_existing_county_and_between_counties(two_streets):
    cg, dc = two_streets.cg, two_streets.dc
    # Not one 街道 alone while another stays at the top: the 街道 sit at one depth.
    with pytest.raises(ValidationError, match="东城街道"):
        org.create_county_above([cg.node], name="临朐县")
    assert not Node.objects.filter(kind=NodeKind.COUNTY).exists()
    assert Node.objects.get(pk=cg.node.pk).depth == 1

    linqu = org.create_county_above([cg.node, dc.node], name="临朐县")
    other = org.create_node(parent=None, kind=NodeKind.COUNTY, name="青州市")
    linqu_boss = person("linqu", Role.COUNTY_LEADER, linqu)
    other_boss = person("qingzhou", Role.COUNTY_LEADER, other)
    assert visible_cases(other_boss) == set()

    moved = org.move_street(dc.node, county=other)
    assert moved.path.startswith(Node.objects.get(pk=other.pk).path)
    assert moved.full_name == "青州市 东城街道"
    assert Node.objects.get(pk=dc.building.pk).full_name == "青州市 东城街道 东城社区 东城小区 1号楼"
    assert visible_cases(linqu_boss) == cg.cases
    assert visible_cases(other_boss) == dc.cases
    assert visible_cases(dc.admin) == dc.cases and visible_cases(cg.admin) == cg.cases
    assert Node.objects.get(pk=linqu.pk).numchild == 1 and Node.objects.get(pk=other.pk).numchild == 1
    with pytest.raises(ValidationError):
        org.move_street(dc.node, county=other)  # already there


def test_only_a_system_administrator_moves_streets_and_only_streets_under_counties(two_streets):
    cg, dc = two_streets.cg, two_streets.dc
    with pytest.raises(PermissionDenied):
        org.create_county_above([cg.node, dc.node], name="临朐县", actor=cg.admin)
    county = org.create_county_above([cg.node, dc.node], name="临朐县")
    boss = person("county_admin", Role.COUNTY_ADMIN, county)
    other = org.create_node(parent=None, kind=NodeKind.COUNTY, name="青州市")
    with pytest.raises(PermissionDenied):
        org.move_street(cg.node, county=other, actor=boss)
    with pytest.raises(ValidationError):
        org.move_street(cg.community, county=other)
    with pytest.raises(ValidationError):
        org.move_street(cg.node, county=dc.node)
    with pytest.raises(ValidationError):
        org.create_county_above([cg.community], name="昌乐县")
    root = User.objects.create(username="root", is_superuser=True)
    assert org.move_street(cg.node, county=other, actor=root).depth == 2
