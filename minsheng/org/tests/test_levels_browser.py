"""The 行政层级 page in a real Chromium at 1366 px and at a phone's 375 px: the system administrator opens it from
组织架构, is refused when he leaves a 街道 at the top, sees what will move, confirms, and finds the county above the
街道. Screenshots go to ./screenshots/ for a person to look at."""

import os
from pathlib import Path

import pytest

from minsheng.accounts.models import User
from minsheng.org import actions
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 375, "height": 812}}


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_a_county_above_the_streets_from_the_page(browser, live_server, world, password, size):
    from playwright.sync_api import expect

    phone = size == "phone"
    SCREENSHOTS.mkdir(exist_ok=True)
    second = actions.create_node(parent=None, kind=NodeKind.STREET, name="东城街道", code="370724002000")
    User.objects.create_user(username="root", password=password, is_superuser=True, display_name="系统管理员")

    def shot(name):
        page.screenshot(path=str(SCREENSHOTS / f"levels-{size}-{name}.png"), full_page=not phone)

    page = browser.new_context(viewport=VIEWPORTS[size], locale="zh-CN").new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("手机号或用户名").fill("root")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/org/tree/")
    page.get_by_role("link", name="行政层级").click()
    expect(page.get_by_role("heading", name="行政层级", level=1)).to_be_visible()
    shot("1-page")

    card = page.locator("#county-above")
    card.get_by_label("东城街道").uncheck()
    card.get_by_label("县/区名称").fill("临朐县")
    card.get_by_role("button", name="下一步：查看将移动的内容").click()
    expect(page.locator("#county-above")).to_contain_text("以下街道/乡镇也须一并移入县：东城街道")
    shot("2-refused")

    card = page.locator("#county-above")
    card.get_by_label("东城街道").check()
    card.get_by_label("案件编号前缀").fill("LQ")
    card.get_by_role("button", name="下一步：查看将移动的内容").click()
    expect(page.get_by_role("heading", name="确认调整行政层级")).to_be_visible()
    expect(page.locator("table")).to_contain_text(f"临朐县 {world.street.name}")
    shot("3-confirm")
    page.get_by_role("button", name="确认移动").click()
    expect(page.locator(".messages")).to_contain_text("已新建县/区“临朐县”")
    shot("4-done")

    assert Node.objects.get(pk=second.pk).full_name == "临朐县 东城街道"
    assert Node.objects.get(pk=world.street.pk).depth == 2
    if not phone:  # the table of levels and the two columns of forms fit the frame
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert errors == []
