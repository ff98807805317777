"""Territory pages: tree, nodes, grids, the grid map endpoints and the pickers, seen by each persona."""

import pytest
from django import forms
from django.urls import reverse

from minsheng.core.models import AuditLog
from minsheng.org import actions
from minsheng.org.choices import NodeKind
from minsheng.org.models import Grid, Node
from minsheng.testing.world import square

pytestmark = pytest.mark.django_db


@pytest.fixture
def grids(world):
    """A grid in each community; grid A's square lies inside 社区A's outline, grid B has nobody responsible."""
    grid_a = actions.create_grid(
        community=world.community_a,
        name="颐和一网格",
        boundary=square(118.502, 36.502, 0.004),
        worker=world.grid_a,
        nodes=[world.estate_a],
    )
    grid_b = actions.create_grid(
        community=world.community_b, name="龙泉一网格", boundary=square(118.512, 36.502, 0.004)
    )
    return grid_a, grid_b


def _pages(world, grids):
    """(url, the community the page belongs to — "a", "b" or None for pages everyone has)."""
    grid_a, grid_b = grids
    return [
        (reverse("core:home"), None),
        (reverse("org:tree"), None),
        (reverse("org:tree") + "?q=yh", None),
        (reverse("org:tree") + "?kind=estate", None),
        (reverse("org:tree_children", args=[world.community_a.pk]), "a"),
        (reverse("org:node_detail", args=[world.community_a.pk]), "a"),
        (reverse("org:node_detail", args=[world.estate_a.pk]), "a"),
        (reverse("org:node_detail", args=[world.unit_a.pk]), "a"),
        (reverse("org:node_detail", args=[world.estate_b.pk]), "b"),
        (reverse("org:grid_list"), None),
        (reverse("org:grid_list") + f"?community={world.community_a.pk}&q=yh", None),
        (reverse("org:grid_detail", args=[grid_a.pk]), "a"),
        (reverse("org:grid_detail", args=[grid_b.pk]), "b"),
        (reverse("org:grid_map"), None),
        (reverse("org:grid_geojson"), None),
    ]


PERSONA_COMMUNITY = {"admin": None, "worker_a": "a", "grid_a": "a", "grid_b": "b"}


def test_pages_render_for_every_staff_persona(world, grids, client_for):
    """No 500s anywhere; another community's pages are 404s, never errors."""
    for name, own in PERSONA_COMMUNITY.items():
        client = client_for(getattr(world, name))
        for url, owner in _pages(world, grids):
            expected = 404 if own and owner and owner != own else 200
            status = client.get(url).status_code
            assert status == expected, (name, url, status)


def test_edit_pages_render_for_editors(world, grids, client_for):
    client = client_for(world.worker_a)
    for url in (
        reverse("org:node_edit", args=[world.community_a.pk]),
        reverse("org:node_create", args=[world.community_a.pk]),
        reverse("org:grid_edit", args=[grids[0].pk]),
        reverse("org:grid_create") + f"?community={world.community_a.pk}",
    ):
        assert client.get(url).status_code == 200, url


def test_community_b_gets_404_for_community_a(world, grids, client_for):
    client = client_for(world.grid_b)
    grid_a, grid_b = grids
    assert client.get(reverse("org:node_detail", args=[world.community_a.pk])).status_code == 404
    assert client.get(reverse("org:node_detail", args=[world.unit_a.pk])).status_code == 404
    assert client.get(reverse("org:tree_children", args=[world.community_a.pk])).status_code == 404
    assert client.get(reverse("org:grid_detail", args=[grid_a.pk])).status_code == 404
    assert client.get(reverse("org:grid_edit", args=[grid_a.pk])).status_code == 404
    assert (
        client.post(reverse("org:node_edit", args=[world.community_a.pk]), {"name": "x"}).status_code == 404
    )
    assert client.get(reverse("org:grid_detail", args=[grid_b.pk])).status_code == 200


def test_lists_and_map_show_only_own_community(world, grids, client_for):
    client = client_for(world.grid_b)
    listing = client.get(reverse("org:grid_list")).content.decode()
    assert "龙泉一网格" in listing and "颐和一网格" not in listing

    tree = client.get(reverse("org:tree")).content.decode()
    assert "龙泉社区" in tree and "颐和" not in tree

    data = client.get(reverse("org:grid_geojson")).json()
    assert [f["properties"]["name"] for f in data["grids"]["features"]] == ["龙泉一网格"]
    assert [f["properties"]["name"] for f in data["communities"]["features"]] == ["龙泉社区"]

    # Asking for community A's grids by id does not reveal them.
    response = client.get(reverse("org:grid_list"), {"community": world.community_a.pk})
    assert "颐和一网格" not in response.content.decode()


def test_admin_sees_both_communities(world, grids, client_for):
    data = client_for(world.admin).get(reverse("org:grid_geojson")).json()
    names = {f["properties"]["name"] for f in data["grids"]["features"]}
    assert names == {"颐和一网格", "龙泉一网格"}
    colours = {f["properties"]["community"]: f["properties"]["color"] for f in data["grids"]["features"]}
    assert colours["颐和社区"] != colours["龙泉社区"]


def test_tree_expands_children_lazily(world, client_for):
    client = client_for(world.admin)
    page = client.get(reverse("org:tree")).content.decode()
    assert reverse("org:tree_children", args=[world.community_a.pk]) in page  # the branch loads on click
    children = client.get(reverse("org:tree_children", args=[world.community_a.pk]), HTTP_HX_REQUEST="true")
    assert "颐和家园" in children.content.decode()
    assert "<html" not in children.content.decode()


def test_tree_search_finds_by_pinyin_initials(world, client_for):
    response = client_for(world.worker_a).get(
        reverse("org:tree"), {"q": "yhjy"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results"
    )
    body = response.content.decode()
    assert "颐和家园" in body and "<html" not in body
    assert "龙泉" not in client_for(world.worker_a).get(reverse("org:tree"), {"q": "lq"}).content.decode()


# -- pickers ----------------------------------------------------------------------------------------------------


def test_node_picker_finds_street_by_initials(world, client_for):
    results = client_for(world.admin).get(reverse("org:pick_nodes"), {"q": "cgjd"}).json()["results"]
    assert results[0]["text"] == "城关街道"
    assert results[0]["id"] == world.street.pk


def test_node_picker_finds_a_building_written_without_spaces(world, client_for):
    results = client_for(world.admin).get(reverse("org:pick_nodes"), {"q": "颐和家园1号楼"}).json()["results"]
    assert results and results[0]["id"] == world.building_a.pk


def test_node_picker_is_scoped_and_filters_kinds(world, client_for):
    client = client_for(world.grid_b)
    assert client.get(reverse("org:pick_nodes"), {"q": "yh"}).json()["results"] == []
    assert (
        client.get(reverse("org:pick_nodes"), {"q": "cgjd"}).json()["results"] == []
    )  # the street is above B
    texts = [r["text"] for r in client.get(reverse("org:pick_nodes"), {"kind": "estate"}).json()["results"]]
    assert texts == ["城关街道 龙泉社区 龙泉小区"]


def test_user_picker_is_scoped_and_matches_pinyin(world, client_for):
    found = client_for(world.grid_b).get(reverse("org:pick_users"), {"q": ""}).json()["results"]
    assert {r["text"] for r in found} == {"社区B网格员"}
    by_pinyin = client_for(world.admin).get(reverse("org:pick_users"), {"q": "sqawgy"}).json()["results"]
    assert [r["text"] for r in by_pinyin] == ["社区A网格员"]
    everyone = {r["text"] for r in client_for(world.admin).get(reverse("org:pick_users")).json()["results"]}
    assert "居民小王" not in everyone  # residents are never offered as responsible staff


def test_node_picker_can_ask_for_nodes_the_user_may_change(world, client_for):
    from minsheng.accounts import actions as account_actions
    from minsheng.accounts.choices import Role

    cadre = account_actions.create_user(username="cadre", password=None, display_name="科室干部")
    account_actions.grant_membership(user=cadre, role=Role.STREET_CADRE, node=world.street)
    client = client_for(cadre)
    assert client.get(reverse("org:pick_nodes"), {"q": "cgjd"}).json()["results"]
    assert client.get(reverse("org:pick_nodes"), {"q": "cgjd", "cap": "org.change"}).json()["results"] == []


def test_picker_field_renders_only_the_chosen_node(world):
    from minsheng.org.forms.pickers import NodePickerField

    class Form(forms.Form):
        node = NodePickerField(user=world.admin, kinds=[NodeKind.ESTATE], capability="org.change")

    html = str(Form(initial={"node": world.estate_a.pk})["node"])
    assert html.count("<option") == 1 and "城关街道 颐和社区 颐和家园" in html
    assert 'data-picker="nodes"' in html and 'data-picker-kind="estate"' in html
    assert 'data-picker-cap="org.change"' in html
    assert Form({"node": world.estate_b.pk}).is_valid()
    assert not Form({"node": world.community_a.pk}).is_valid()  # not a 小区


# -- point in grid ----------------------------------------------------------------------------------------------


def test_locate_reports_the_grid_containing_a_point(world, grids, client_for):
    client = client_for(world.admin)
    inside = client.get(reverse("org:grid_locate"), {"lat": "36.504", "lng": "118.504"}).json()
    assert inside["message"] == "该点位于：颐和一网格"
    assert inside["grids"][0]["url"] == reverse("org:grid_detail", args=[grids[0].pk])
    outside = client.get(reverse("org:grid_locate"), {"lat": "30", "lng": "110"}).json()
    assert outside["grids"] == [] and "不在" in outside["message"]


def test_locate_is_scoped(world, grids, client_for):
    result = (
        client_for(world.grid_b).get(reverse("org:grid_locate"), {"lat": "36.504", "lng": "118.504"}).json()
    )
    assert result["grids"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"lat": "abc", "lng": "118"}, "lat"),
        ({"lat": "36"}, "lng"),
        ({"lat": "nan", "lng": "1"}, "lat"),
        ({"lat": "95", "lng": "1"}, "lat"),
    ],
)
def test_locate_rejects_bad_numbers_with_400(world, client_for, params, field):
    response = client_for(world.admin).get(reverse("org:grid_locate"), params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


# -- forms ------------------------------------------------------------------------------------------------------


def test_create_child_node_through_the_form(world, client_for):
    url = reverse("org:node_create", args=[world.community_a.pk])
    response = client_for(world.worker_a).post(
        url, {"kind": NodeKind.ESTATE, "name": "新华小区", "code": "", "geometry": ""}
    )
    node = Node.objects.get(name="新华小区")
    assert response.status_code == 302 and response["Location"] == reverse("org:node_detail", args=[node.pk])
    assert Node.objects.get_parent(node) == world.community_a
    assert node.full_name == "城关街道 颐和社区 新华小区"
    log = AuditLog.objects.get(object_id=str(node.pk), action=AuditLog.Action.CREATE)
    assert log.user == world.worker_a


def test_node_form_shows_chinese_errors(world, client_for):
    client = client_for(world.worker_a)
    url = reverse("org:node_create", args=[world.community_a.pk])
    response = client.post(
        url, {"kind": NodeKind.ESTATE, "name": "坏小区", "code": "12ab", "geometry": "{oops"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "统计用区划代码应为12位数字" in body
    assert "不是有效的 GeoJSON 文本" in body
    response = client.post(
        url,
        {
            "kind": NodeKind.ESTATE,
            "name": "坏小区",
            "geometry": '{"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}',
        },
    )
    assert "多边形无效" in response.content.decode()
    # A kind the tree's grammar forbids here is refused by the form (units go under buildings).
    response = client.post(url, {"kind": NodeKind.UNIT, "name": "坏单元"})
    assert "选择一个有效的选项" in response.content.decode()
    assert not Node.objects.filter(name__startswith="坏").exists()


def test_code_taken_shows_field_error(world, client_for):
    url = reverse("org:node_edit", args=[world.community_a.pk])
    response = client_for(world.worker_a).post(url, {"name": "颐和社区", "code": world.community_b.code})
    assert response.status_code == 200
    assert "已存在" in response.content.decode()


def test_view_only_user_cannot_open_forms(world, client_for):
    from minsheng.accounts import actions as account_actions
    from minsheng.accounts.choices import Role

    cadre = account_actions.create_user(username="cadre", password=None, display_name="科室干部")
    account_actions.grant_membership(user=cadre, role=Role.STREET_CADRE, node=world.street)
    client = client_for(cadre)
    assert client.get(reverse("org:node_detail", args=[world.community_a.pk])).status_code == 200
    response = client.get(reverse("org:node_edit", args=[world.community_a.pk]))
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


def test_grid_edit_sets_worker_and_deputies(world, grids, client_for):
    grid_a, _ = grids
    response = client_for(world.worker_a).post(
        reverse("org:grid_edit", args=[grid_a.pk]),
        {
            "name": "颐和第一网格",
            "worker": world.worker_a.pk,
            "deputies": [world.grid_a.pk],
            "nodes": [world.estate_a.pk],
            "boundary": '{"type": "Polygon", "coordinates": [[[118.5,36.5],[118.51,36.5],[118.51,36.51],[118.5,36.5]]]}',
        },
    )
    assert response.status_code == 302
    grid_a.refresh_from_db()
    assert grid_a.name == "颐和第一网格" and grid_a.worker == world.worker_a
    assert list(grid_a.deputies.all()) == [world.grid_a]


def test_grid_edit_refuses_people_out_of_scope(world, grids, client_for):
    grid_a, _ = grids
    response = client_for(world.worker_a).post(
        reverse("org:grid_edit", args=[grid_a.pk]), {"name": "颐和一网格", "worker": world.grid_b.pk}
    )
    assert response.status_code == 200
    grid_a.refresh_from_db()
    assert grid_a.worker == world.grid_a


def test_grid_with_nobody_falls_to_its_community(world, grids, client_for):
    _, grid_b = grids
    body = client_for(world.grid_b).get(reverse("org:grid_detail", args=[grid_b.pk])).content.decode()
    assert "无专人负责，由龙泉社区兜底" in body


def test_grid_create_generates_code(world, client_for):
    response = client_for(world.worker_a).post(
        reverse("org:grid_create"),
        {"community": world.community_a.pk, "name": "颐和二网格", "boundary": ""},
    )
    grid = Grid.objects.get(name="颐和二网格")
    assert response.status_code == 302
    assert grid.code == "370724001001001"


def test_grid_create_refuses_other_community(world, client_for):
    response = client_for(world.worker_a).post(
        reverse("org:grid_create"), {"community": world.community_b.pk, "name": "越界网格"}
    )
    assert response.status_code == 200
    assert not Grid.objects.filter(name="越界网格").exists()


# -- node page contents -----------------------------------------------------------------------------------------


def test_node_page_shows_responsible_and_counts(world, grids, client_for):
    actions.assign_responsibility(kind="worker_estate", node=world.estate_a, user=world.worker_a)
    hh = actions.register_household(node=world.unit_a, room="101", head_name="张三")
    actions.register_resident(name="张三", node=world.unit_a, household=hh, phone="13812345678")
    body = (
        client_for(world.grid_a).get(reverse("org:node_detail", args=[world.building_a.pk])).content.decode()
    )
    assert "社区A工作者" in body and "承接上级" in body  # the estate's assignment answers for its building
    assert "颐和一网格" in body  # the grid covering the estate covers its building
    page = client_for(world.admin).get(reverse("org:node_detail", args=[world.community_a.pk]))
    assert page.context["households"] == 1 and page.context["residents"] == 1


def test_audit_history_on_node_page(world, client_for):
    actions.update_node(world.estate_a, name="颐和家园（北区）", actor=world.worker_a)
    body = (
        client_for(world.worker_a).get(reverse("org:node_detail", args=[world.estate_a.pk])).content.decode()
    )
    assert "变更记录" in body and "颐和家园（北区）" in body and "社区A工作者" in body
