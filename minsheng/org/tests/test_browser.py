"""The territory flow in a real Chromium, at desktop and phone width: log in → org tree → a grid on the map → a
resident whose phone is shown masked. Screenshots go to ./screenshots/ for a person to look at."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from minsheng.org import actions
from minsheng.testing.world import square

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there unless told it is fine.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


@pytest.fixture
def territory(world):
    """Community A's grid (a square inside the community) and a resident with a phone number."""
    grid = actions.create_grid(
        community=world.community_a,
        name="颐和一网格",
        boundary=square(118.502, 36.502, 0.006),
        worker=world.grid_a,
        nodes=[world.estate_a],
    )
    household = actions.register_household(node=world.unit_a, room="301", head_name="张建国")
    resident = actions.register_resident(
        name="张建国", node=world.unit_a, household=household, phone="13812345678"
    )
    return grid, resident


def _go(page, label: str, phone: bool, shot=None) -> None:
    """Follow a menu entry the way a person would: the sidebar on a desktop, the bottom bar or 更多 on a phone."""
    if phone:
        bottom = page.locator(".bottom-nav").get_by_role("link", name=label)
        if bottom.count():
            bottom.click()
            return
        page.locator(".bottom-nav").get_by_role("button", name="更多").click()
        if shot:
            shot()
        page.locator(".more-grid").get_by_role("link", name=label).click()
    else:
        page.locator(".sidebar").get_by_role("link", name=label).click()


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_login_tree_map_resident(browser, live_server, world, territory, password, size):
    from playwright.sync_api import expect

    grid, resident = territory
    phone = size == "phone"
    SCREENSHOTS.mkdir(exist_ok=True)

    def shot(name):
        # A phone shot is what fits on the screen: a full-page capture would paint the fixed bottom bar mid-page.
        page.screenshot(path=str(SCREENSHOTS / f"territory-{size}-{name}.png"), full_page=not phone)

    context = browser.new_context(viewport=VIEWPORTS[size], locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # Log in as the community-A worker.
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="民生 · 基层治理平台")).to_be_visible()
    shot("1-login")
    page.get_by_label("手机号或用户名").fill("worker_a")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.locator(".stats")).to_contain_text("网格")
    shot("2-home")

    # The org tree: 颐和社区 opens on its children; expanding 颐和家园 loads its buildings with HTMX.
    _go(page, "组织架构", phone, shot=lambda: shot("2b-more"))
    expect(page.get_by_role("heading", name="组织架构")).to_be_visible()
    tree = page.locator(".tree")
    expect(tree.get_by_role("link", name="颐和家园")).to_be_visible()
    expect(tree).not_to_contain_text("龙泉")
    tree.get_by_role("button", name="展开 颐和家园").click()
    expect(tree.get_by_role("link", name="1号楼")).to_be_visible()
    tree.get_by_role("button", name="展开 1号楼").click()
    expect(tree.get_by_role("link", name="1单元")).to_be_visible()
    page.mouse.move(0, 0)
    shot("3-tree")
    tree.get_by_role("link", name="颐和社区").click()
    expect(page.get_by_role("heading", name="颐和社区")).to_be_visible()
    expect(page.locator("main")).to_contain_text("370724001001")
    expect(page.locator(".map path").first).to_be_visible()  # the community's outline on the mini-map
    shot("3b-node")

    # The grid map: the polygon is drawn; a click inside it tells which grid the point is in.
    _go(page, "网格地图", phone)
    grid_map = page.locator("#grid-map")
    expect(grid_map).to_have_attribute("data-grid-count", "1")
    polygon = grid_map.locator("path.leaflet-interactive").first
    expect(polygon).to_be_visible()
    box = polygon.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7)
    expect(page.locator("#map-status")).to_contain_text("该点位于：颐和一网格")
    expect(page.locator(".leaflet-popup-content")).to_contain_text(grid.code)
    popup = page.locator(".leaflet-popup")
    expect(popup).to_contain_text("社区A网格员")
    expect(popup).to_have_css("opacity", "1")
    shot("4-map")
    popup.get_by_role("link", name="查看网格").click()
    expect(page.get_by_role("heading", name="颐和一网格")).to_be_visible()
    expect(page.locator("main")).to_contain_text("社区A网格员")
    shot("4b-grid")

    # A resident's page shows the phone masked.
    _go(page, "居民", phone)
    page.get_by_role("link", name="张建国").first.click()
    expect(page.get_by_role("heading", name="张建国")).to_be_visible()
    expect(page.locator("main")).to_contain_text("138****5678")
    assert "13812345678" not in page.content()
    assert page.url.endswith(reverse("org:resident_detail", args=[resident.pk]))
    shot("5-resident")

    assert errors == [], errors
    context.close()
