"""The staff workbench in a real Chromium, at desktop and phone width: a grid worker registers a case with a photo
(the duplicate hint shows an earlier report), the community worker accepts and dispatches it from the case page,
the grid worker signs and replies with a photo, the community worker passes the verification. Then the list, the
map and the reports. Screenshots go to ./screenshots/ for a person to look at."""

import datetime as dt
import importlib
import os
import struct
import zlib
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client

from minsheng.cases import actions
from minsheng.cases.choices import Channel, Status
from minsheng.cases.models import Case, Category
from minsheng.core import clock

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there unless told it is fine.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def png(top: tuple, bottom: tuple, width: int = 160, height: int = 120) -> bytes:
    """A small real picture (a vertical gradient), so the thumbnails in the screenshots show something."""
    rows = []
    for y in range(height):
        colour = bytes(round(a + (b - a) * y / (height - 1)) for a, b in zip(top, bottom, strict=True))
        rows.append(b"\x00" + colour * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def _case_defaults(transactional_db):
    """The default kinds and categories come from a data migration, and an earlier transactional test's flush
    removes them: put them back the way the migration does (it changes nothing when they are there)."""
    defaults = importlib.import_module("minsheng.cases.migrations.0002_defaults")
    defaults.add_defaults(apps, None)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def history(cw):
    """A few weeks of cases for the reports; the last one reports the same sewer (for the duplicate hint)."""
    w = cw.w
    now = clock.now()
    reports = [
        (30, "楼道灯损坏", "颐和家园2号楼楼道灯不亮", 36.5031),
        (18, "广场舞噪音", "颐和家园小广场晚上广场舞噪音扰民", 36.5071),
        (3, "下水道堵塞", "颐和家园1号楼门前下水道堵塞，污水外溢", 36.5052),
    ]
    for i, (days_ago, category, text, lat) in enumerate(reports):
        with clock.at(now - dt.timedelta(days=days_ago)):
            case = actions.do_register(
                actor=w.grid_a,
                kind="appeal",
                channel=Channel.GRID_PATROL,
                category=Category.objects.get(name=category),
                description=text,
                node=w.building_a,
                lat=lat,
                lng=118.5042 + 0.002 * i,
            )
            case = actions.do_dispatch(actions.do_accept(case, actor=w.worker_a), actor=w.worker_a)
    return case


class Person:
    """One member of staff in their own browser context, signed in with a session cookie."""

    def __init__(self, browser, base_url, user, viewport, phone):
        client = Client()
        client.force_login(user)
        self.context = browser.new_context(
            viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone, base_url=base_url
        )
        self.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
        )
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_register_dispatch_handle_verify(browser, live_server, cw, history, size):
    from playwright.sync_api import expect

    w = cw.w
    phone = size == "phone"
    viewport = VIEWPORTS[size]
    SCREENSHOTS.mkdir(exist_ok=True)
    grid = Person(browser, live_server.url, w.grid_a, viewport, phone)
    worker = Person(browser, live_server.url, w.worker_a, viewport, phone)

    def shot(person, name, full_page=True):
        page = person.page
        page.evaluate("window.scrollTo(0, 0)")
        page.mouse.move(0, 0)
        path = str(SCREENSHOTS / f"workbench-{size}-{name}.png")
        if phone and full_page:
            # A full-page capture paints the phone's fixed bottom bar mid-page: leave it out of the long shot.
            # (A style attribute set from the test: the page's CSP refuses an injected <style> element.)
            bar = page.locator(".bottom-nav")
            bar.evaluate("el => el.style.setProperty('display', 'none', 'important')")
            page.screenshot(path=path, full_page=True)
            bar.evaluate("el => el.style.removeProperty('display')")
        else:
            page.screenshot(path=path, full_page=full_page)

    def fits(person):
        width = person.page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the page is {width}px wide at {viewport['width']}px"

    # The grid worker registers what he found on patrol; the earlier report of the same sewer is pointed out.
    page = grid.page
    page.goto("/cases/new/")
    expect(page.get_by_role("heading", name="登记诉求")).to_be_visible()
    page.get_by_label("诉求分类").select_option(label="管道堵塞 › 下水道堵塞")
    page.get_by_label("发生地点").fill("1dy")  # pinyin initials of 1单元
    page.locator(".picker-menu li[data-index]").first.click()
    page.get_by_label("纬度").fill("36.5056")
    page.get_by_label("经度").fill("118.5048")
    page.get_by_label("诉求内容").fill("颐和家园1号楼门前下水道又堵塞了，污水外溢到人行道")
    expect(page.locator("#similar")).to_contain_text(history.number)
    page.get_by_label("反映人").fill("高阿姨")
    page.get_by_label("联系电话").fill("13912345678")
    page.locator("input[type=file][name=photos]").set_input_files(
        {"name": "scene.png", "mimeType": "image/png", "buffer": png((92, 110, 128), (60, 70, 58))}
    )
    fits(grid)
    shot(grid, "1-intake")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator(".message-success")).to_contain_text("已登记，编号")
    case = Case.objects.latest("pk")
    assert (case.node, case.grid, case.attachments.count()) == (w.unit_a, cw.grid, 1)
    expect(page.locator(".case-head")).to_contain_text(case.number)
    expect(page.locator(".photos img")).to_have_count(1)
    fits(grid)
    shot(grid, "2-registered")

    # The community worker sees it on the 工作台 and in 待办, accepts it and dispatches it to the suggested unit
    # and person.
    page = worker.page
    page.goto("/")
    expect(page.locator("main")).to_contain_text("诉求待办")
    expect(page.locator("main").get_by_role("link", name=case.title[:28])).to_be_visible()
    fits(worker)
    shot(worker, "3a-home")
    page.goto("/cases/")
    row = page.locator(".case-table tbody tr", has_text=case.number)
    expect(row).to_contain_text("登记")
    fits(worker)
    shot(worker, "3-todo")
    row.get_by_role("link", name=case.number).click()
    expect(page.get_by_role("heading", name=case.title)).to_be_visible()
    expect(page.locator("main")).to_contain_text("139****5678")
    actions_card = page.locator("#actions")
    actions_card.locator("summary", has_text="受理").first.click()
    actions_card.get_by_role("button", name="确认受理").click()
    expect(page.locator(".message-success")).to_have_text("已受理")
    actions_card.locator("summary", has_text="派遣").click()
    expect(page.get_by_label("主办单位")).to_have_value(str(cw.unit_a.pk))
    expect(page.get_by_label("承办人")).to_have_value(str(w.grid_a.pk))
    fits(worker)
    shot(worker, "4-dispatch-form")
    actions_card.get_by_role("button", name="确认派遣").click()
    expect(page.locator(".message-success")).to_have_text("已派遣至颐和社区居委会")
    expect(page.locator(".case-head .badge").first).to_have_text("已派遣")

    # The grid worker signs and replies with a photo of the work done.
    page = grid.page
    page.goto("/cases/")
    page.locator(".case-table").get_by_role("link", name=case.number).click()
    page.get_by_role("button", name="签收").click()
    expect(page.locator(".message-success")).to_have_text("已签收，请按期办结")
    page.locator("#actions summary", has_text="办结反馈").click()
    page.get_by_label("办理结果").fill("已联系管网养护队疏通，人行道污水已清理")
    page.locator("input[type=file][name='reply-photos']").set_input_files(
        {"name": "done.png", "mimeType": "image/png", "buffer": png((170, 180, 190), (110, 120, 96))}
    )
    fits(grid)
    shot(grid, "5-reply-form")
    page.get_by_role("button", name="提交办结反馈").click()
    expect(page.locator(".message-success")).to_have_text("已提交办结反馈，等待核查")
    expect(page.locator(".timeline .tl-photos img")).to_have_count(2)

    # The community worker checks the work and passes it.
    page = worker.page
    page.reload()
    page.locator("#actions summary", has_text="核查").click()
    page.get_by_label("通过，办结").check()
    page.get_by_label("核查意见").fill("现场复核，已疏通")
    page.get_by_role("button", name="提交核查结果").click()
    expect(page.locator(".message-success")).to_have_text("核查通过，案件已办结")
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.handler == w.grid_a
    expect(page.locator(".timeline")).to_contain_text("核查通过")
    fits(worker)
    shot(worker, "6-resolved")

    # The pages around the loop, for the eye: the list with its filters, the map, the reports.
    page.goto("/cases/all/")
    expect(page.locator(".case-table tbody tr")).to_have_count(4)
    shot(worker, "7-all")
    page.goto("/cases/map/")
    expect(page.locator("#case-map")).to_have_attribute("data-case-count", "3")  # the open ones with a point
    shot(worker, "8-map", full_page=False)
    page.goto("/cases/metrics/")
    expect(page.locator("#chart-months svg")).to_be_visible()
    fits(worker)
    shot(worker, "9-metrics")
    page.goto("/cases/efficiency/")
    expect(page.locator("main")).to_contain_text("颐和社区居委会")
    fits(worker)
    shot(worker, "10-efficiency")
    page.goto("/cases/recurring/?min_count=2")
    expect(page.locator("main")).to_contain_text("颐和一网格")
    shot(worker, "11-recurring")

    assert grid.errors == [] and worker.errors == [], grid.errors + worker.errors
    grid.context.close()
    worker.context.close()
