"""In a real Chromium: a community worker runs a 周一议事日 with fast item entry at desk width (1366 px); a grid
worker does a visit round on a phone (375 px). Screenshots go to a temporary directory for a person to look at."""

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest

from minsheng.core import clock
from minsheng.deliberation import actions
from minsheng.deliberation.models import Item, Meeting, VisitTarget

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there unless told it is fine.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("MINSHENG_SCREENSHOTS") or tempfile.gettempdir()) / "deliberation-screens"


def login(page, base, username, password):
    from playwright.sync_api import expect

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("手机号或用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_fast_item_entry_at_a_monday_meeting(browser, live_server, dw, password):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    w = dw.w
    start = clock.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=10)
    meeting = actions.do_create_meeting(
        actor=w.worker_a,
        kind=dw.kind("monday"),
        node=w.community_a,
        title="颐和社区周一议事日",
        place="社区党群服务中心议事厅",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    actions.do_add_topic(meeting, actor=w.worker_a, title="老旧小区楼道照明改造")
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "worker_a", password)
    page.goto(f"{live_server.url}/deliberation/meetings/{meeting.pk}/")
    page.get_by_role("button", name="开始会议").click()
    expect(page.locator(".message-success")).to_contain_text("会议开始")
    box = page.locator("#item-text")
    texts = ["3号楼楼道灯坏了两周", "小区东门晚上电动车乱停", "5号楼下水道返味", "建议增设休闲座椅"]
    for n, text in enumerate(texts, start=1):
        if text.startswith("建议"):
            page.get_by_label("意见建议（不立案）").check()
        box = page.locator("#item-text")
        box.fill(text)
        box.press("Enter")
        expect(page.locator("#items .item-list li")).to_have_count(n)
        expect(page.locator("#items .item-list li.fresh")).to_contain_text(text)
        expect(page.locator("#item-text")).to_have_value("")
        expect(page.locator("#item-text")).to_be_focused()
    page.locator("#items").screenshot(path=str(SCREENSHOTS / "meeting-1-fast-entry.png"))
    assert Item.objects.filter(meeting=meeting, case__isnull=False).count() == 3
    assert Item.objects.filter(meeting=meeting, kind="suggestion", case__isnull=True).count() == 1
    # Closing without minutes and headcount: the message says what is missing.
    page.get_by_role("button", name="结束会议").click()
    expect(page.locator(".messages")).to_contain_text("请先填写会议纪要")
    page.get_by_label("姓名").fill("居民代表老王")
    page.get_by_role("button", name="登记参会人").click()
    page.locator("textarea[name=minutes]").fill(
        "议定：楼道灯本周内维修；东门划线规范停车；下水道由物业疏通。"
    )
    page.get_by_role("button", name="结束会议").click()
    expect(page.locator(".message-success")).to_contain_text("会议已结束")
    page.screenshot(path=str(SCREENSHOTS / "meeting-2-closed.png"), full_page=True)
    assert Meeting.objects.get(pk=meeting.pk).status == "closed"
    assert not errors, errors
    context.close()


def test_visit_round_on_a_phone(browser, live_server, dw, password):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    w = dw.w
    today = clock.now().date()
    campaign = actions.do_create_campaign(
        actor=w.worker_a,
        title="冬季连心大走访",
        node=w.community_a,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=20),
    )
    actions.do_add_targets(campaign, actor=w.worker_a)
    actions.do_assign(campaign, actor=w.worker_a, visitor=w.grid_a)
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "grid_a", password)
    page.goto(f"{live_server.url}/deliberation/visits/mine/")
    expect(page.locator(".round-list li")).to_have_count(4)
    page.screenshot(path=str(SCREENSHOTS / "visit-1-round.png"))
    page.get_by_role("link", name="住户1").click()
    page.locator(".outcome-choice label", has_text="不在家").click()
    page.screenshot(path=str(SCREENSHOTS / "visit-2-log.png"), full_page=True)
    page.get_by_role("button", name="保存走访记录").click()
    expect(page.locator(".message-success")).to_contain_text("不在家")
    expect(page.locator(".round-list").first).to_contain_text("不在家·第1次")
    page.get_by_role("link", name="住户1").click()
    page.locator(".outcome-choice label", has_text="已走访").click()
    page.get_by_label("走访情况").fill("老人身体还好，子女在外地")
    page.get_by_label("反映的问题（立案跟踪）").fill("单元门禁坏了，外人随便进")
    page.get_by_role("button", name="保存走访记录").click()
    expect(page.locator(".message-success")).to_contain_text("已立案")
    page.screenshot(path=str(SCREENSHOTS / "visit-3-done.png"))
    target = VisitTarget.objects.get(campaign=campaign, household__head_name="住户1")
    assert target.status == "visited" and target.attempts == 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    assert not errors, errors
    context.close()


def test_resident_proposes_a_topic_on_a_phone(browser, live_server, dw, password):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    w = dw.w
    start = (clock.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    meeting = actions.do_create_meeting(
        actor=w.worker_a,
        kind=dw.kind("open_day"),
        node=w.estate_a,
        title="颐和家园阳光开放日",
        place="物业服务中心",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/h5/meetings/")
    page.get_by_label("手机号或用户名").fill("resident")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("main")).to_contain_text("颐和家园阳光开放日")
    page.get_by_role("link", name="颐和家园阳光开放日").click()
    page.get_by_label("议题").fill("小区充电桩不够用")
    page.get_by_label("您的称呼").fill("小王")
    page.screenshot(path=str(SCREENSHOTS / "h5-1-propose.png"), full_page=True)
    page.get_by_role("button", name="提交议题").click()
    expect(page.locator("main")).to_contain_text("议题已提交")
    page.screenshot(path=str(SCREENSHOTS / "h5-2-proposed.png"), full_page=True)
    assert meeting.topics.get().title == "小区充电桩不够用"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
