"""A county deployment adopted by its city: counties go under a new or an existing city with their 街道 and
everything below, and every scope keyed on the tree's paths still holds (docs/decisions/0072)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.cases.models import Case
from minsheng.core.models import Notification, WebhookEndpoint
from minsheng.core.notifications import endpoints_for
from minsheng.org import actions as org
from minsheng.org import reshaping
from minsheng.org.choices import NodeKind
from minsheng.org.levels import street_depth
from minsheng.org.models import Household, Node
from minsheng.testing.fixtures import ensure_reference_data

from .test_county_move import build_street, person, register, visible_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_counties():
    """临朐县 (no prefix of its own) with 城关街道 (none either: numbers with the deployment's) and 东城街道 (DC);
    青州市 with 王坟镇 (WZ). Cases: 2 in 城关, 1 in 东城, 1 in 王坟."""
    ensure_reference_data()
    cg = build_street("城关街道", "370724001000")
    dc = build_street("东城街道", "370724002000", prefix="DC")
    wz = build_street("王坟镇", "370781101000", prefix="WZ")
    cg.cases = {register(cg.worker, cg.building).pk for _ in range(2)}
    dc.cases = {register(dc.worker, dc.building).pk}
    wz.cases = {register(wz.worker, wz.building).pk}
    linqu = org.create_county_above([cg.node, dc.node, wz.node], name="临朐县", code="370724000000")
    qingzhou = org.create_node(parent=None, kind=NodeKind.COUNTY, name="青州市", code="370781000000")
    org.move_street(wz.node, county=qingzhou)
    return SimpleNamespace(cg=cg, dc=dc, wz=wz, linqu=linqu, qingzhou=qingzhou)


def test_a_new_city_above_the_counties_keeps_every_scope_and_sequence(two_counties, settings):
    t = two_counties
    default = settings.MINSHENG_CASE_PREFIX
    year = Case.objects.get(pk=min(t.cg.cases)).reported_at.year
    assert Node.objects.get(pk=t.cg.node.pk).case_prefix == ""  # the county has none: nothing was pinned yet
    building = Node.objects.get(
        pk=t.cg.building.pk
    )  # (the fixture's objects hold their paths before the county)
    household = org.register_household(node=building, room="301", head_name="张")
    assert household.address == "临朐县 城关街道 城关社区 城关小区 1号楼 301"
    note = Notification.objects.create(recipient=t.cg.admin, title="超期", node_path=building.path)
    hook = WebhookEndpoint.objects.create(name="临朐群", url="https://example.org/h", node_path=t.linqu.path)
    county_admin = person("linqu_admin", Role.COUNTY_ADMIN, t.linqu)

    city = org.create_city_above([t.linqu, t.qingzhou], name="潍坊市", code="370700000000", case_prefix="WF")

    assert city.depth == 1 and city.numchild == 2 and city.kind == NodeKind.CITY
    linqu = Node.objects.get(pk=t.linqu.pk)
    building = Node.objects.get(pk=t.cg.building.pk)
    assert linqu.depth == 2 and linqu.path.startswith(city.path)
    assert Node.objects.get(pk=t.cg.node.pk).depth == 3
    assert building.depth == 6 and building.full_name == "潍坊市 临朐县 城关街道 城关社区 城关小区 1号楼"
    assert Node.objects.get(pk=t.wz.node.pk).full_name == "潍坊市 青州市 王坟镇"
    assert street_depth() == 3
    # The city's user sees every 街道 below it; a county's user still only his county; a 街道's only its own.
    city_leader = person("weifang", Role.COUNTY_LEADER, city)
    assert visible_cases(city_leader) == t.cg.cases | t.dc.cases | t.wz.cases
    assert visible_cases(county_admin) == t.cg.cases | t.dc.cases
    assert visible_cases(t.cg.admin) == t.cg.cases and visible_cases(t.wz.admin) == t.wz.cases
    # 城关 inherited the deployment's prefix through 临朐县: the county keeps it as its own, so 城关's next number
    # continues its sequence (and the city's WF is for cases registered at the city itself).
    assert linqu.case_prefix == default and Node.objects.get(pk=t.cg.node.pk).case_prefix == ""
    assert Node.objects.get(pk=city.pk).number_prefix() == "WF"
    assert register(t.cg.worker, t.cg.building).number == f"{default}-{year}-000003"
    assert register(t.dc.worker, t.dc.building).number == f"DC-{year}-000002"
    assert register(t.wz.worker, t.wz.building).number == f"WZ-{year}-000002"
    # Stored copies of paths and of the names above follow.
    assert Notification.objects.get(pk=note.pk).node_path == building.path
    hook.refresh_from_db()
    assert hook.node_path == linqu.path
    assert endpoints_for("urgent", building.path) == [hook]
    assert endpoints_for("urgent", Node.objects.get(pk=t.wz.building.pk).path) == []
    assert (
        Household.objects.get(pk=household.pk).address == "潍坊市 临朐县 城关街道 城关社区 城关小区 1号楼 301"
    )


def test_a_county_moves_under_an_existing_city_and_between_cities(two_counties):
    t = two_counties
    # Not one county alone while another with a 街道 stays at the top: the 街道 sit at one depth.
    with pytest.raises(ValidationError, match="青州市") as refused:
        org.create_city_above([t.linqu], name="潍坊市")
    assert "counties" in refused.value.error_dict
    assert not Node.objects.filter(kind=NodeKind.CITY).exists()
    assert Node.objects.get(pk=t.linqu.pk).depth == 1 and street_depth() == 2

    weifang = org.create_city_above([t.linqu, t.qingzhou], name="潍坊市")
    qingdao = org.create_node(parent=None, kind=NodeKind.CITY, name="青岛市")
    weifang_boss = person("weifang", Role.COUNTY_LEADER, weifang)
    qingdao_boss = person("qingdao", Role.COUNTY_LEADER, qingdao)
    qingzhou_boss = person("qingzhou", Role.COUNTY_LEADER, t.qingzhou)
    assert visible_cases(qingdao_boss) == set()

    moved = org.move_county(t.qingzhou, city=qingdao)
    assert moved.full_name == "青岛市 青州市" and moved.depth == 2
    assert Node.objects.get(pk=t.wz.building.pk).full_name == "青岛市 青州市 王坟镇 王坟社区 王坟小区 1号楼"
    assert visible_cases(weifang_boss) == t.cg.cases | t.dc.cases
    assert visible_cases(qingdao_boss) == visible_cases(qingzhou_boss) == t.wz.cases
    assert visible_cases(t.wz.admin) == t.wz.cases
    assert Node.objects.get(pk=weifang.pk).numchild == 1 and Node.objects.get(pk=qingdao.pk).numchild == 1
    assert street_depth() == 3
    with pytest.raises(ValidationError, match="已在"):
        org.move_county(t.qingzhou, city=qingdao)


def test_only_a_system_administrator_moves_counties_and_only_counties_under_cities(two_counties):
    t = two_counties
    county_admin = person("linqu_admin", Role.COUNTY_ADMIN, t.linqu)
    with pytest.raises(PermissionDenied):
        org.create_city_above([t.linqu, t.qingzhou], name="潍坊市", actor=county_admin)
    city = org.create_city_above([t.linqu, t.qingzhou], name="潍坊市")
    other = org.create_node(parent=None, kind=NodeKind.CITY, name="青岛市")
    city_admin = person("weifang_admin", Role.COUNTY_ADMIN, city)
    with pytest.raises(PermissionDenied):
        org.move_county(t.linqu, city=other, actor=city_admin)
    with pytest.raises(ValidationError):
        org.move_county(t.cg.node, city=other)  # a 街道 is moved into a county, not a city
    with pytest.raises(ValidationError):
        org.move_county(t.linqu, city=t.qingzhou)
    with pytest.raises(ValidationError):
        org.create_city_above([t.cg.node], name="昌乐县")
    root = User.objects.create(username="root", is_superuser=True)
    assert org.move_county(t.linqu, city=other, actor=root).depth == 2


def test_a_rehearsal_counts_what_moves_and_changes_nothing(two_counties):
    t = two_counties
    moving = reshaping.what_moves([t.linqu, t.qingzhou])
    # 临朐县 + per 街道 (街道, 社区, 小区, 楼栋) × 2; one grid per 街道; the fixture's cases; an admin and a worker each.
    assert [(r.nodes, r.grids, r.cases, r.memberships) for r in moving] == [(9, 2, 3, 4), (5, 1, 1, 2)]
    assert reshaping.totals(moving).nodes == 14 and reshaping.totals(moving).cases == 4
    paths = dict(Node.objects.values_list("pk", "path"))
    assert street_depth() == 2

    reshaping.rehearse(moving, org.create_city_above, counties=[t.linqu, t.qingzhou], name="潍坊市")

    assert [r.full_name_after for r in moving] == ["潍坊市 临朐县", "潍坊市 青州市"]
    assert dict(Node.objects.values_list("pk", "path")) == paths
    assert not Node.objects.filter(kind=NodeKind.CITY).exists()
    assert street_depth() == 2
    with pytest.raises(ValidationError, match="青州市"):
        reshaping.rehearse(moving[:1], org.create_city_above, counties=[t.linqu], name="潍坊市")
