"""The resident's registration on the phone, the door check-in at 375 px, and the points exchange, in a real
Chromium; plus the staff's event page and figures at 1366 px. Screenshots go to a temporary directory (or
$MINSHENG_SCREENSHOTS) for a person to look at."""

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest

from minsheng.activities import actions
from minsheng.activities.actions import points, volunteers
from minsheng.activities.models import CheckIn, Exchange, Registration

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there unless told it is fine.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("MINSHENG_SCREENSHOTS") or tempfile.gettempdir()) / "activities-screens"
PHONE = {"width": 375, "height": 812}


def _login(page, url, username, password):
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("手机号或用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def _new_page(browser, viewport, errors):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def test_resident_registers_and_is_checked_in_at_the_door(browser, live_server, aw, password):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    event = aw.event(capacity=30, start_in_hours=1, title="颐和社区公益市集")
    full = aw.event(capacity=1, start_in_hours=30, kind="calligraphy", title="书画笔会")
    actions.do_register(full, actor=aw.w.worker_a, name="先来的", phone="13900000001")

    resident = _new_page(browser, PHONE, errors)
    _login(resident, live_server.url, "resident", password)
    resident.goto(f"{live_server.url}/h5/activities/")
    expect(resident.get_by_role("heading", name="近期活动")).to_be_visible()
    resident.screenshot(path=str(SCREENSHOTS / "h5-1-list.png"), full_page=True)
    resident.get_by_role("link", name="颐和社区公益市集").click()
    resident.get_by_role("button", name="我要报名").click()
    expect(resident.locator(".note-success")).to_contain_text("报名成功")
    token = Registration.objects.get(event=event, user=aw.w.resident).token
    expect(resident.locator(".ticket .code")).to_have_text(token)
    resident.screenshot(path=str(SCREENSHOTS / "h5-2-ticket.png"), full_page=True)

    resident.goto(f"{live_server.url}/h5/activities/{full.pk}/")
    resident.get_by_role("button", name="名额已满，加入候补").click()
    expect(resident.locator(".note-warning")).to_contain_text("候补")
    resident.screenshot(path=str(SCREENSHOTS / "h5-3-waitlisted.png"), full_page=True)

    door = _new_page(browser, PHONE, errors)
    _login(door, live_server.url, "grid_a", password)
    door.goto(f"{live_server.url}/activities/{event.pk}/door/")
    expect(door.get_by_role("heading", name="门口签到")).to_be_visible()
    door.get_by_label("扫码或输入居民手机上的签到码").fill(token.lower())
    door.get_by_role("button", name="签到", exact=True).click()
    expect(door.locator(".door-result")).to_have_text("签到成功：居民小王")
    expect(door.locator("#door-count")).to_have_text("1")
    door.screenshot(path=str(SCREENSHOTS / "door-1-checked-in.png"))
    door.get_by_label("扫码或输入居民手机上的签到码").fill(token)
    door.get_by_role("button", name="签到", exact=True).click()
    expect(door.locator(".door-result")).to_have_text("居民小王 已签到过，不重复计数")
    expect(door.locator("#door-count")).to_have_text("1")
    door.get_by_label("扫码或输入居民手机上的签到码").fill("WRONG123")
    door.get_by_role("button", name="签到", exact=True).click()
    expect(door.locator(".door-result")).to_contain_text("无效")
    door.screenshot(path=str(SCREENSHOTS / "door-2-invalid.png"))
    width = door.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the door page scrolls sideways ({width}px)"
    assert CheckIn.objects.filter(event=event).count() == 1

    resident.goto(f"{live_server.url}/h5/activities/me/")
    expect(resident.locator(".stats3 strong").first).to_have_text("1")
    resident.screenshot(path=str(SCREENSHOTS / "h5-4-me.png"), full_page=True)
    assert not errors, errors


def test_points_exchange_on_the_phone(browser, live_server, aw, password, volunteer):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    volunteers.do_record_service(
        volunteer,
        actor=aw.w.worker_a,
        content="端午节赠艾叶活动服务",
        served_on=aw.now.date() - dt.timedelta(days=1),
        hours="4",
        confirm=True,
    )  # 40 points
    points.do_add_market_item(actor=aw.w.worker_a, node=aw.w.community_a, name="洗衣液", points=30, stock=5)
    points.do_add_market_item(
        actor=aw.w.worker_a, node=aw.w.community_a, name="大米 5 千克", points=120, stock=5
    )

    page = _new_page(browser, PHONE, errors)
    _login(page, live_server.url, "resident", password)
    page.goto(f"{live_server.url}/h5/activities/market/")
    expect(page.locator("#balance")).to_have_text("40")
    page.screenshot(path=str(SCREENSHOTS / "market-1.png"), full_page=True)
    page.locator(".item", has_text="大米").get_by_role("button", name="兑换").click()
    expect(page.locator(".note-error")).to_contain_text("积分不足：余额 40，需要 120")
    expect(page.locator("#balance")).to_have_text("40")
    page.locator(".item", has_text="洗衣液").get_by_role("button", name="兑换").click()
    expect(page.locator(".note-success")).to_contain_text("兑换成功：洗衣液")
    expect(page.locator("#balance")).to_have_text("10")
    page.screenshot(path=str(SCREENSHOTS / "market-2-done.png"), full_page=True)
    assert Exchange.objects.count() == 1
    assert not errors, errors


def test_staff_event_page_and_figures(browser, live_server, aw, password):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    event = aw.event(
        capacity=2, start_in_hours=1, open_air=True, kind="performance", title="一村一年一场戏·颐和"
    )
    actions.do_register(event, actor=aw.w.worker_a, name="张大爷", phone="13900000001")
    actions.do_register(event, actor=aw.w.worker_a, name="李阿姨", phone="13900000002")
    actions.do_register(event, actor=aw.w.resident)
    actions.do_record_attendance(
        event, actor=aw.w.grid_a, people=[{"name": "张大爷", "phone": "13900000001"}]
    )
    actions.do_record_headcount(event, actor=aw.w.grid_a, count=420, note="目测")
    page = _new_page(browser, {"width": 1366, "height": 900}, errors)
    _login(page, live_server.url, "worker_a", password)
    page.goto(f"{live_server.url}/activities/{event.pk}/")
    expect(page.get_by_role("heading", name="报名名单")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "staff-event.png"), full_page=True)
    page.goto(f"{live_server.url}/activities/figures/")
    expect(page.get_by_text("参与人次").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "staff-figures.png"), full_page=True)
    page.goto(f"{live_server.url}/activities/")
    page.screenshot(path=str(SCREENSHOTS / "staff-list.png"), full_page=True)
    assert not errors, errors


def test_staff_adds_a_venue_and_a_series(browser, live_server, aw, password):
    from playwright.sync_api import expect

    from minsheng.activities.models import Series, Venue

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    page = _new_page(browser, {"width": 1366, "height": 900}, errors)
    _login(page, live_server.url, "worker_a", password)
    page.goto(f"{live_server.url}/activities/places/")
    page.get_by_role("link", name="添加场地").click()
    page.get_by_label("所属社区/村").select_option(label=str(aw.w.community_a))
    page.get_by_label("名称").fill("颐和书院")
    page.get_by_label("类型").select_option(label="学校/场馆")
    page.get_by_label("容纳人数").fill("120")
    page.screenshot(path=str(SCREENSHOTS / "places-1-venue-form.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("场地已添加")).to_be_visible()
    assert Venue.objects.filter(name="颐和书院", capacity=120).exists()
    page.get_by_role("link", name="添加系列活动").click()
    page.get_by_label("组织范围").select_option(label=str(aw.w.community_a))
    page.get_by_label("名称").fill("一村一年一场戏")
    page.get_by_label("类型").select_option(label="文艺演出")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("link", name="修改")).to_be_visible()
    assert Series.objects.filter(name="一村一年一场戏", node=aw.w.community_a).exists()
    page.goto(f"{live_server.url}/activities/places/")
    page.screenshot(path=str(SCREENSHOTS / "places-2-list.png"), full_page=True)
    assert not errors, errors
