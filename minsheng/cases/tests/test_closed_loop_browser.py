"""The closed loop across roles in a real Chromium: a resident reports a blocked sewer from a phone (375×812) →
the community worker accepts and dispatches → the grid worker signs and replies → the community worker verifies →
the resident rates 满意. Screenshots of every resident step go to ./screenshots/ for a person to look at.

The staff work on the staff workbench (/cases/<pk>/), each in their own browser signed in at the login page.
"""

import importlib
import os
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.apps import apps

from minsheng.cases.choices import Satisfaction, Status
from minsheng.cases.models import Case
from minsheng.core import sms

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there unless told it is fine.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"
PHONE = {"width": 375, "height": 812}
DESK = {"width": 1280, "height": 800}
#: Inside 颐和一网格 of the cw fixture (a 0.01° square from 118.50 E, 36.50 N).
POSITION = {"latitude": 36.505, "longitude": 118.505, "accuracy": 25}


def png(top: tuple, bottom: tuple, width: int = 160, height: int = 120) -> bytes:
    """A small real picture (a vertical gradient) so the thumbnails in the screenshots show something."""
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


def add_case_defaults():
    """The default kinds and categories, put in the way their data migration does (nothing changes when they are
    there). A transactional test's closing flush removes them along with everything else."""
    defaults = importlib.import_module("minsheng.cases.migrations.0002_defaults")
    defaults.add_defaults(apps, None)


@pytest.fixture(autouse=True)
def _case_defaults(transactional_db):
    """An earlier transactional test may have flushed the defaults away."""
    add_case_defaults()


@pytest.fixture(scope="module", autouse=True)
def _leave_case_defaults(django_db_blocker):
    """… and so does the last test here: leave the migrated state behind for the tests that follow."""
    yield
    with django_db_blocker.unblock():
        add_case_defaults()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded photos go to a scratch folder, not the installation's media."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    settings.MINSHENG_SMS_BACKEND = "minsheng.core.sms.LocmemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


class Staff:
    """One member of staff in their own browser, signed in through the login page."""

    def __init__(self, browser, base_url: str, user, password: str, viewport: dict):
        from playwright.sync_api import expect

        phone = viewport["width"] < 600
        self.context = browser.new_context(
            viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone, base_url=base_url
        )
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto("/accounts/login/")
        self.page.get_by_label("手机号或用户名").fill(user.username)
        self.page.get_by_label("密码").fill(password)
        self.page.get_by_role("button", name="登录").click()
        expect(self.page.get_by_role("heading", name="工作台")).to_be_visible()

    def open(self, case: Case):
        """The case page of the staff workbench, with only the steps this person may take."""
        self.page.goto(f"/cases/{case.pk}/")
        return self.page.locator("#actions")


def phone_context(browser, **options):
    return browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, **options)


def fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"


def screenshot(page, name: str, full_page: bool = True) -> None:
    # From the top: a full-page capture of a scrolled page paints the sticky bar where the viewport was.
    SCREENSHOTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"h5-{name}.png"), full_page=full_page)


def test_resident_to_staff_and_back(browser, live_server, cw, password):
    from playwright.sync_api import expect

    context = phone_context(browser, geolocation=POSITION, permissions=["geolocation"])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def shot(name, full_page=True):
        screenshot(page, name, full_page)

    # The resident opens the H5 home page and starts a report.
    page.goto(f"{live_server.url}/h5/")
    expect(page.get_by_role("heading", name="民生诉求")).to_be_visible()
    fits_the_phone(page)
    shot("1-home")
    page.get_by_role("link", name=re.compile("我要反映")).first.click()
    expect(page.get_by_role("heading", name="问题类别")).to_be_visible()
    shot("2-form-empty", full_page=False)

    # Category: the top level opens its second level.
    page.get_by_role("radio", name="下水道/排水").click()
    expect(page.get_by_text("下水道/排水 · 请选择具体问题")).to_be_visible()
    page.get_by_role("radio", name="管道堵塞").click()

    # Description and two photos, one from the camera and one from the gallery.
    page.get_by_label("问题描述").fill("颐和家园1号楼东侧下水道堵塞，污水漫到路面两天了，走路都没法走。")
    pickers = page.locator("input[data-photo-picker]")
    sewer = png((92, 110, 128), (60, 70, 58))
    road = png((170, 180, 190), (110, 96, 80))
    pickers.nth(0).set_input_files({"name": "sewer.png", "mimeType": "image/png", "buffer": sewer})
    pickers.nth(1).set_input_files({"name": "road.png", "mimeType": "image/png", "buffer": road})
    expect(page.locator(".thumb")).to_have_count(2)

    # Location: 小区 then 楼栋 (loaded for that estate), and the phone's position.
    page.get_by_label("小区").select_option(label="颐和家园")
    building = page.get_by_label("楼栋")
    expect(building.locator("option", has_text="1号楼")).to_be_attached()
    building.select_option(label="1号楼")
    page.get_by_role("button", name="使用当前位置").click()
    expect(page.locator("[data-locate-status]")).to_contain_text("颐和社区 · 颐和一网格")

    # Contact and the verification code (the demo's SMS backend keeps it in memory here).
    page.get_by_role("textbox", name="称呼").fill("王女士")
    page.get_by_label("手机号").fill("13912345678")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("[data-code-status]")).to_contain_text("验证码已发送")
    expect(page.locator("[data-send-code]")).to_be_disabled()
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group()

    # A mistyped code is caught before the form leaves the phone: the photos stay chosen.
    page.get_by_label("短信验证码").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="提交诉求").click()
    expect(page.locator("[data-check=code]")).to_have_text("验证码不正确或已过期，请重新获取")
    expect(page.locator(".thumb")).to_have_count(2)
    assert not Case.objects.exists()
    page.locator("[data-check=code]").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "h5-3a-wrong-code.png"))

    page.get_by_label("短信验证码").fill(code)
    fits_the_phone(page)
    shot("3-form-filled")

    page.get_by_role("button", name="提交诉求").click()
    expect(page.get_by_role("heading", name="提交成功")).to_be_visible()
    number = page.locator("[data-case-number]").inner_text().strip()
    assert re.fullmatch(r"CG-\d{4}-\d{6}", number)
    fits_the_phone(page)
    shot("4-submitted")

    case = Case.objects.get(number=number)
    assert case.node == cw.w.building_a and case.grid == cw.grid
    assert case.attachments.count() == 2
    assert case.reporter_phone == "13912345678"

    page.get_by_role("link", name="查看进度").click()
    expect(page.locator("[data-status]")).to_have_text("待受理")
    expect(page.locator("[data-timeline]")).to_contain_text("您的诉求已提交，等待受理")
    shot("5-registered")

    # The staff on the workbench: the community worker (at a desk) accepts and dispatches — the routing rules
    # suggest 颐和社区居委会 and its grid worker — the grid worker (on a phone) signs and replies, the community
    # worker passes the verification.
    dispatcher = Staff(browser, live_server.url, cw.w.worker_a, password, DESK)
    steps = dispatcher.open(case)
    steps.locator("summary", has_text="受理").first.click()
    steps.get_by_role("button", name="确认受理").click()
    expect(dispatcher.page.locator(".message-success")).to_have_text("已受理")
    steps.locator("summary", has_text="派遣").click()
    expect(dispatcher.page.get_by_label("主办单位")).to_have_value(str(cw.unit_a.pk))
    dispatcher.page.get_by_label("派遣意见").fill("内部：派网格员现场查看")
    steps.get_by_role("button", name="确认派遣").click()
    expect(dispatcher.page.locator(".message-success")).to_have_text("已派遣至颐和社区居委会")

    page.reload()
    expect(page.locator("[data-status]")).to_have_text("已派单")
    expect(page.locator("[data-timeline]")).to_contain_text("已派给颐和社区居委会办理")
    shot("6-dispatched")

    handler = Staff(browser, live_server.url, cw.w.grid_a, password, PHONE)
    steps = handler.open(case)
    steps.get_by_role("button", name="签收").click()
    expect(handler.page.locator(".message-success")).to_have_text("已签收，请按期办结")
    steps.locator("summary", has_text="办结反馈").click()
    handler.page.get_by_label("办理结果").fill("已联系管网养护队疏通下水道，路面污水已清理。")
    handler.page.locator("input[type=file][name='reply-photos']").set_input_files(
        {"name": "done.png", "mimeType": "image/png", "buffer": png((170, 180, 190), (96, 120, 100))}
    )
    steps.get_by_role("button", name="提交办结反馈").click()
    expect(handler.page.locator(".message-success")).to_have_text("已提交办结反馈，等待核查")

    steps = dispatcher.open(case)
    steps.locator("summary", has_text="核查").click()
    dispatcher.page.get_by_label("通过，办结").check()
    steps.get_by_role("button", name="提交核查结果").click()
    expect(dispatcher.page.locator(".message-success")).to_have_text("核查通过，案件已办结")
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.handler == cw.w.grid_a

    # The resident sees the result and rates it.
    page.reload()
    expect(page.locator("[data-status]")).to_have_text("已办结，待评价")
    timeline = page.locator("[data-timeline]")
    expect(timeline).to_contain_text("已联系管网养护队疏通下水道")
    expect(timeline).to_contain_text("颐和社区居委会已接单，正在办理")
    expect(timeline.locator(".gallery img")).to_have_count(1)  # the photo of the work done
    content = page.content()
    for hidden in ("社区A工作者", "社区A网格员", "内部：派网格员现场查看"):
        assert hidden not in content, hidden
    fits_the_phone(page)
    shot("7-resolved")

    page.get_by_role("radio", name="已解决").click()
    page.get_by_role("radio", name="满意", exact=True).click()
    page.get_by_label("还想说的话").fill("处理得很及时，谢谢！")
    shot("8-rating", full_page=False)
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("感谢您的评价！")).to_be_visible()
    expect(page.locator("[data-status]")).to_have_text("已办结")
    expect(page.get_by_text("您的评价：满意")).to_be_visible()
    fits_the_phone(page)
    shot("9-rated")

    case.refresh_from_db()
    assert case.status == Status.ARCHIVED
    assert case.satisfaction == Satisfaction.SATISFIED and case.resolved_by_feedback is True

    # Back on the home page, this phone remembers the case.
    page.goto(f"{live_server.url}/h5/")
    expect(page.get_by_role("link", name=re.compile(number))).to_be_visible()
    shot("10-home-remembers")

    assert errors == dispatcher.errors == handler.errors == [], errors + dispatcher.errors + handler.errors
    for ctx in (context, dispatcher.context, handler.context):
        ctx.close()


def test_follow_on_another_phone_then_my_appeals(browser, live_server, cw, password):
    """The resident follows by number + phone + code on a new phone (a wrong code first), then signs in with the
    resident account and finds the case under 我的诉求."""
    from playwright.sync_api import expect

    from minsheng.cases import actions

    resident = cw.w.resident
    case = actions.do_register(
        actor=None,
        kind="appeal",
        channel="online",
        category=cw.cat_sewer,
        description="楼道灯坏了一个多星期，晚上上下楼很不方便。",
        node=cw.w.building_a,
        reporter_phone=resident.phone,
    )
    actions.do_accept(case, actor=cw.w.worker_a)
    context = phone_context(browser)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server.url}/h5/")
    page.get_by_role("link", name=re.compile("查询进度")).click()
    page.get_by_label("诉求编号").fill(case.number)
    page.get_by_label("手机号").fill(resident.phone)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("[data-code-status]")).to_contain_text("验证码已发送")
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group()
    page.get_by_label("短信验证码").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="查询", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("找不到这条诉求")
    fits_the_phone(page)
    screenshot(page, "11-track-not-found")

    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="查询", exact=True).click()
    expect(page.locator("[data-status]")).to_have_text("已受理")
    expect(page.locator("[data-timeline]")).to_contain_text("您的诉求已受理，正在安排办理")

    page.get_by_role("link", name="我的").click()
    # Residents sign in with their phone and a code. The code that followed the case was sent moments ago: let the
    # resend wait run out, as a minute would.
    from django.core.cache import cache

    cache.delete(f"sms:h5:{resident.phone}:wait")
    page.get_by_label("手机号").fill(resident.phone)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("[data-code-status]")).to_contain_text("验证码已发送")
    login_code = re.search(r"\d{6}", sms.outbox[-1][1]).group()
    page.get_by_label("短信验证码").fill(login_code)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("link", name=re.compile(case.number))).to_be_visible()
    fits_the_phone(page)
    screenshot(page, "12-mine")

    assert errors == [], errors
    context.close()
