"""The workbench shell: login, the menu, the residents' notice, the language switch, the audit history."""

import pytest
from django.urls import reverse

from minsheng.accounts.choices import Role
from minsheng.accounts.roles import CAPABILITIES
from minsheng.core import navigation
from minsheng.core.context import acting
from minsheng.core.views import audit_entries_for
from minsheng.org import actions

pytestmark = pytest.mark.django_db


def test_login_page_shows_product_and_signs_in_by_phone(world, client, password):
    page = client.get(reverse("accounts:login"))
    assert "民生 · 基层治理平台" in page.content.decode()
    response = client.post(reverse("accounts:login"), {"username": "13800000002", "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    home = client.get(reverse("core:home")).content.decode()
    assert "社区A工作者" in home and "社区工作者" in home


def test_wrong_password_is_told_in_chinese(world, client):
    response = client.post(reverse("accounts:login"), {"username": "worker_a", "password": "wrong-one"})
    assert response.status_code == 200
    assert "手机号/用户名或密码不正确" in response.content.decode()


def test_pages_need_login(world, client):
    for url in (reverse("core:home"), reverse("org:tree"), reverse("org:grid_map")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_logout_is_post_only(world, client_for):
    client = client_for(world.worker_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_resident_is_told_kindly_the_workbench_is_not_for_them(world, client_for):
    client = client_for(world.resident)
    home = client.get(reverse("core:home"))
    assert home.status_code == 302 and home["Location"] == reverse("h5:mine")  # their own appeals
    body = client.get(reverse("org:tree")).content.decode()
    assert reverse("h5:home") in body  # pointed to the residents' pages
    assert reverse("org:grid_list") not in body  # no staff menu
    for url in (reverse("org:tree"), reverse("org:grid_list"), reverse("org:grid_map")):
        page = client.get(url)
        assert page.status_code == 403 and "工作台仅供工作人员使用" in page.content.decode()
    picker = client.get(reverse("org:pick_nodes"), {"q": "cgjd"}, HTTP_ACCEPT="application/json")
    assert picker.status_code == 403 and "detail" in picker.json()


def _menu(client):
    return [item["label"] for item in client.get(reverse("core:home")).context["nav_entries"]]


def test_menu_follows_capabilities(world, client_for):
    admin_menu = _menu(client_for(world.admin))
    assert admin_menu[0] == "工作台"
    assert {"组织架构", "网格", "网格地图", "系统配置"} <= set(admin_menu)
    grid_menu = _menu(client_for(world.grid_b))
    assert "网格地图" in grid_menu
    assert "系统配置" not in grid_menu  # account management is the street admin's
    assert "台账导入导出" not in grid_menu  # grid workers do not export


def test_menu_is_grouped_in_sections_the_user_may_see(world, client_for):
    def headings(user):
        entries = client_for(user).get(reverse("core:home")).context["nav_entries"]
        return [str(e["section"]) for e in entries if e["section"]]

    admin = headings(world.admin)
    # each once, in menu order
    assert admin == ["领导驾驶舱", "民生诉求", "议事协商", "农产品质量安全", "智慧大棚", "组织与网格", "系统"]
    assert "农产品质量安全" not in headings(world.grid_b)  # no agri pages for a grid worker, so no heading


def test_menu_skips_pages_that_do_not_exist_yet(world, client_for, monkeypatch):
    monkeypatch.setattr(navigation, "_registry", dict(navigation._registry))
    navigation.register("未来功能", "nowhere:index", "bell", order=1)
    assert "未来功能" not in _menu(client_for(world.admin))


def test_bottom_bar_keeps_the_most_used_entries(world, client_for):
    response = client_for(world.grid_a).get(reverse("org:grid_list"))
    bottom = response.context["nav_bottom"]
    assert 1 <= len(bottom) <= navigation.BOTTOM_BAR_SIZE
    assert [i["label"] for i in bottom][:2] == ["工作台", "诉求案件"]
    assert [i["label"] for i in bottom if i["active"]] == ["网格"]
    assert 'class="bottom-nav"' in response.content.decode()


def test_home_counts_are_scoped(world, client_for):
    actions.register_resident(name="张三", node=world.unit_a)
    actions.register_resident(name="李四", node=world.unit_b)
    for user, residents in ((world.admin, 2), (world.grid_b, 1)):
        panels = client_for(user).get(reverse("core:home")).context["panels"]
        stats = {s["label"]: s["count"] for s in panels[0]["context"]["stats"]}
        assert stats["居民"] == residents
        assert stats["社区/村"] == (2 if user == world.admin else 1)


def test_english_switch(world, client_for):
    client = client_for(world.worker_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("core:home")})
    assert response.status_code == 302
    html = client.get(reverse("core:home")).content.decode()
    assert '<html lang="en">' in html
    # the menu follows: a section heading and an iot entry come from the English catalogue
    assert '<div class="nav-section">Smart greenhouses</div>' in html
    assert "<span>Alarm console</span>" in html


def test_out_of_scope_is_a_friendly_404(world, client_for):
    response = client_for(world.grid_b).get(reverse("org:node_detail", args=[world.community_a.pk]))
    assert response.status_code == 404
    assert "不在您的查看范围内" in response.content.decode()


# -- audit history ----------------------------------------------------------------------------------------------


def test_audit_history_masks_personal_data_without_pii_capability(world, monkeypatch):
    person = actions.register_resident(name="张三", node=world.unit_a, phone="13812345678")
    actions.update_resident(person, phone="13987655678", actor=world.grid_a)

    def phone_change(entries):
        update = next(e for e in entries if e["action_code"] == "update")
        return next(c for c in update["changes"] if c[0] == "手机号")

    masked = ("手机号", "138****5678", "139****5678")
    # masked by default, even for those who may see it: the history is no way around the audited reveal
    assert phone_change(audit_entries_for(person, world.grid_a)) == masked
    assert phone_change(audit_entries_for(person, world.grid_a, revealed=True)) == (
        "手机号",
        "13812345678",
        "13987655678",
    )
    monkeypatch.setitem(CAPABILITIES, Role.GRID_WORKER, frozenset({"org.view", "org.change"}))
    assert phone_change(audit_entries_for(person, world.grid_a, revealed=True)) == masked


def test_audit_history_is_for_editors_and_auditors_only(world):
    from minsheng.accounts import actions as account_actions

    cadre = account_actions.create_user(username="cadre", password=None, display_name="科室干部")
    account_actions.grant_membership(user=cadre, role=Role.STREET_CADRE, node=world.street)
    assert audit_entries_for(world.estate_a, cadre) is None  # may view, may not edit: no history
    assert audit_entries_for(world.estate_a, world.worker_a)  # maintains the registry there
    assert audit_entries_for(world.estate_a, world.grid_b) is None  # another community


def test_audit_history_names_people_and_hides_bookkeeping(world):
    grid = actions.create_grid(community=world.community_a, name="颐和一网格")
    with acting(world.worker_a):  # what the middleware does for a web request
        actions.update_grid(grid, worker=world.grid_a, actor=world.worker_a)
    update = next(e for e in audit_entries_for(grid, world.admin) if e["action_code"] == "update")
    assert update["user_repr"] == "社区A工作者"
    assert ("网格员", "—", "社区A网格员") in update["changes"]
    labels = {label for e in audit_entries_for(world.estate_a, world.admin) for label, *_ in e["changes"]}
    assert "path" not in labels and "depth" not in labels


def test_an_english_catalogue_ships():
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("诉求案件") == "Cases"
        assert translation.gettext("网格员") == "Grid worker"
