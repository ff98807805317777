"""The 行政层级 page and the `county` command: only the system administrator reshapes the levels above the 社区;
a refusal comes back on the form (never a 500); a confirmation shows what moves before anything does
(docs/decisions/0072)."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.cases.models import Case
from minsheng.org import actions as org
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node
from minsheng.testing.fixtures import ensure_reference_data

from .test_county_move import build_street, person, register

pytestmark = pytest.mark.django_db

LEVELS = reverse("org:levels")


def change_url(key):
    return reverse("org:levels_change", args=[key])


@pytest.fixture
def streets():
    """Two top-level 街道: 城关 (2 cases) and 东城 (prefix DC, 1 case), and the system administrator."""
    ensure_reference_data()
    cg = build_street("城关街道", "370724001000")
    dc = build_street("东城街道", "370724002000", prefix="DC")
    for _ in range(2):
        register(cg.worker, cg.building)
    register(dc.worker, dc.building)
    root = User.objects.create(username="root", display_name="系统管理员", is_superuser=True, is_staff=True)
    return SimpleNamespace(cg=cg, dc=dc, root=root)


def county_post(s, **extra):
    data = {
        "county-above-streets": [s.cg.node.pk, s.dc.node.pk],
        "county-above-name": "临朐县",
        "county-above-code": "370724000000",
        "county-above-case_prefix": "lq",
    }
    data.update(extra)
    return data


def test_street_and_county_administrators_get_403(streets, client_for):
    street_admin = client_for(streets.cg.admin)
    assert street_admin.get(LEVELS).status_code == 403
    assert street_admin.post(change_url("county-above"), county_post(streets)).status_code == 403
    county = org.create_county_above([streets.cg.node, streets.dc.node], name="临朐县")
    county_admin = client_for(person("county_admin", Role.COUNTY_ADMIN, county))
    assert county_admin.get(LEVELS).status_code == 403
    other = org.create_node(parent=None, kind=NodeKind.COUNTY, name="青州市")
    moved = county_admin.post(
        change_url("move-street"),
        {"move-street-street": streets.cg.node.pk, "move-street-county": other.pk, "confirm": "1"},
    )
    assert moved.status_code == 403
    assert Node.objects.get(pk=streets.cg.node.pk).path.startswith(county.path)
    # Nor is the page's link shown to them, on the tree or on a 街道's page.
    assert LEVELS not in county_admin.get(reverse("org:tree")).content.decode()
    assert LEVELS not in county_admin.get(reverse("org:node_detail", args=[county.pk])).content.decode()


def test_the_page_lists_the_levels_and_is_linked_for_the_system_administrator(streets, client_for):
    client = client_for(streets.root)
    assert LEVELS in client.get(reverse("org:tree")).content.decode()
    detail = client.get(reverse("org:node_detail", args=[streets.dc.node.pk])).content.decode()
    assert f"{LEVELS}?street={streets.dc.node.pk}" in detail
    page = client.get(LEVELS)
    assert page.status_code == 200
    text = page.content.decode()
    assert "0 个市 · 0 个县/区 · 2 个街道/乡镇" in text
    assert (
        "城关街道" in text and "<code>DC</code>" in text and "沿用上级" in text
    )  # 城关 numbers with the default
    assert "还没有县/区" in text and "还没有市" in text
    # Every top-level 街道 is ticked: they go under a new county together.
    form = page.context["panels"][0]["form"]
    assert form["streets"].value() == [streets.cg.node.pk, streets.dc.node.pk]


def test_bad_input_gives_the_form_back_with_the_error(streets, client_for):
    client = client_for(streets.root)
    # The action's own refusal: 东城街道 cannot stay at the top while 城关 goes under the county.
    alone = client.post(
        change_url("county-above"), county_post(streets, **{"county-above-streets": [streets.cg.node.pk]})
    )
    assert alone.status_code == 200
    assert "以下街道/乡镇也须一并移入县：东城街道" in alone.content.decode()
    assert "确认移动" not in alone.content.decode()
    # The form's checks, and a tampered id, in Chinese beside the field.
    blank = client.post(change_url("county-above"), county_post(streets, **{"county-above-name": " "}))
    assert blank.status_code == 200 and "请填写名称" in blank.content.decode()
    bad_code = client.post(change_url("county-above"), county_post(streets, **{"county-above-code": "3707"}))
    assert bad_code.status_code == 200 and "county-above-code" in bad_code.content.decode()
    assert bad_code.context["panels"][0]["form"].errors["code"]
    tampered = client.post(
        change_url("county-above"), county_post(streets, **{"county-above-streets": ["x"]})
    )
    assert tampered.status_code == 200 and tampered.context["panels"][0]["form"].errors["streets"]
    # A code already taken (城关街道's) is the action's refusal too, on confirmation as on the first step.
    taken = client.post(
        change_url("county-above"),
        county_post(streets, **{"county-above-code": "370724001000", "confirm": "1"}),
    )
    assert taken.status_code == 200 and taken.context["panels"][0]["form"].errors["code"]
    assert client.post(change_url("nonsense"), {}).status_code == 404
    assert client.get(change_url("county-above")).status_code == 405
    assert not Node.objects.filter(kind=NodeKind.COUNTY).exists()
    assert Node.objects.get(pk=streets.cg.node.pk).depth == 1


def test_a_confirmation_shows_what_moves_then_the_move_is_made(streets, client_for, settings):
    client = client_for(streets.root)
    confirm = client.post(change_url("county-above"), county_post(streets))
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "新建县/区“临朐县”，并把 2 个街道/乡镇移入：城关街道、东城街道" in text
    assert "临朐县 城关街道" in text  # the full name after the move
    rows = confirm.context["moving"]
    # each 街道: itself, a 社区, a 小区, a 楼栋; a grid; its cases; an admin and a worker
    assert [(r.node.name, r.nodes, r.grids, r.cases, r.memberships, r.prefix) for r in rows] == [
        ("城关街道", 4, 1, 2, 2, settings.MINSHENG_CASE_PREFIX),
        ("东城街道", 4, 1, 1, 2, "DC"),
    ]
    assert confirm.context["totals"].cases == 3
    assert not Node.objects.filter(kind=NodeKind.COUNTY).exists()  # nothing moved yet
    # "返回修改" gives the filled form back.
    back = client.post(change_url("county-above"), county_post(streets, back="1"))
    assert back.status_code == 200 and back.context["panels"][0]["form"]["name"].value() == "临朐县"

    done = client.post(change_url("county-above"), county_post(streets, confirm="1"))
    assert done.status_code == 302 and done.url == LEVELS
    county = Node.objects.get(kind=NodeKind.COUNTY)
    assert (county.name, county.code, county.case_prefix, county.numchild) == (
        "临朐县",
        "370724000000",
        "LQ",
        2,
    )
    assert Node.objects.get(pk=streets.cg.node.pk).full_name == "临朐县 城关街道"
    page = client.get(LEVELS).content.decode()
    assert "已新建县/区“临朐县”，城关街道、东城街道 已移入" in page
    year = Case.objects.first().reported_at.year
    assert register(streets.dc.worker, streets.dc.building).number == f"DC-{year}-000002"

    # Then a 街道 moves into another county, from the 街道's page link.
    other = org.create_node(parent=None, kind=NodeKind.COUNTY, name="青州市")
    opened = client.get(f"{LEVELS}?street={streets.dc.node.pk}")
    assert opened.context["panels"][1]["form"]["street"].value() == streets.dc.node.pk
    move = {"move-street-street": streets.dc.node.pk, "move-street-county": other.pk}
    confirm = client.post(change_url("move-street"), move)
    assert "把“东城街道”从“临朐县”移入“青州市”" in confirm.content.decode()
    assert client.post(change_url("move-street"), {**move, "confirm": "1"}).status_code == 302
    assert Node.objects.get(pk=streets.dc.node.pk).full_name == "青州市 东城街道"
    again = client.post(change_url("move-street"), move)
    assert again.status_code == 200 and "“东城街道”已在“青州市”之下" in again.content.decode()


def test_a_city_above_the_counties_from_the_page(streets, client_for):
    org.create_county_above([streets.cg.node, streets.dc.node], name="临朐县")
    client = client_for(streets.root)
    county = Node.objects.get(kind=NodeKind.COUNTY)
    data = {
        "city-above-counties": [county.pk],
        "city-above-name": "潍坊市",
        "city-above-code": "",
        "city-above-case_prefix": "",
    }
    confirm = client.post(change_url("city-above"), data)
    assert "潍坊市 临朐县" in confirm.content.decode()
    assert [(r.nodes, r.streets) for r in confirm.context["moving"]] == [(9, ["城关街道", "东城街道"])]
    assert "含 2 个街道/乡镇：城关街道、东城街道" in confirm.content.decode()
    assert client.post(change_url("city-above"), {**data, "confirm": "1"}).status_code == 302
    assert (
        Node.objects.get(pk=streets.cg.building.pk).full_name
        == "潍坊市 临朐县 城关街道 城关社区 城关小区 1号楼"
    )
    page = client.get(LEVELS).content.decode()
    assert "1 个市 · 1 个县/区 · 2 个街道/乡镇" in page


# -- the command ------------------------------------------------------------------------------------------------


def run(*args):
    out = StringIO()
    call_command("county", *args, stdout=out)
    return out.getvalue()


def test_the_command_lists_rehearses_and_moves(streets, settings):
    listed = run("list")
    assert "街道/乡镇 城关街道  代码 370724001000  前缀 CG，沿用上级" in listed.replace(
        settings.MINSHENG_CASE_PREFIX, "CG"
    )
    dry = run("create-above", "--name", "临朐县", "--prefix", "LQ", "--dry-run")
    assert "（试运行，未作改动）新建县/区“临朐县”" in dry
    assert "城关街道 → 临朐县 城关街道：组织节点 4，网格 1，案件 2，人员任职 2" in dry
    assert not Node.objects.filter(kind=NodeKind.COUNTY).exists()

    with pytest.raises(CommandError, match="东城街道"):
        run("create-above", "城关街道", "--name", "临朐县")
    done = run("create-above", "370724001000", "东城街道", "--name", "临朐县", "--user", "root")
    assert "已调整" in done
    county = Node.objects.get(kind=NodeKind.COUNTY)
    assert county.numchild == 2
    other = org.create_node(parent=None, kind=NodeKind.COUNTY, name="青州市", code="370781000000")
    run("move", "东城街道", "--to", "370781000000")
    assert Node.objects.get(pk=streets.dc.node.pk).path.startswith(other.path)
    run("city-above", "--name", "潍坊市")
    assert Node.objects.get(pk=streets.dc.node.pk).full_name == "潍坊市 青州市 东城街道"
    qingdao = org.create_node(parent=None, kind=NodeKind.CITY, name="青岛市")
    run("move-county", str(other.pk), "--to", "青岛市")
    assert Node.objects.get(pk=streets.dc.node.pk).full_name == "青岛市 青州市 东城街道"
    assert Node.objects.get(pk=other.pk).path.startswith(qingdao.path)


def test_the_command_refuses_in_chinese(streets):
    with pytest.raises(CommandError, match="找不到街道/乡镇：西城街道"):
        run("move", "西城街道", "--to", "临朐县")
    with pytest.raises(CommandError, match="不是系统管理员"):
        run("create-above", "--name", "临朐县", "--user", streets.cg.admin.username)
    with pytest.raises(CommandError, match="找不到账号"):
        run("create-above", "--name", "临朐县", "--user", "nobody")
    org.create_county_above([streets.cg.node, streets.dc.node], name="临朐县")
    org.create_node(parent=None, kind=NodeKind.COUNTY, name="临朐县")
    with pytest.raises(CommandError, match="有多个县/区名为“临朐县”"):
        run("move", "城关街道", "--to", "临朐县")
    with pytest.raises(CommandError, match="已在"):
        run("move", "城关街道", "--to", str(Node.objects.filter(kind=NodeKind.COUNTY).first().pk))
