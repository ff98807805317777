"""The pipeline board at 1366 px and the enterprise H5 at 375 px in a real Chromium. Screenshots go to
$ENTERPRISE_SCREENSHOTS (default: a temporary directory) for a person to look at."""

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.test import Client

from minsheng.core import clock, sms
from minsheng.enterprise import actions
from minsheng.enterprise.choices import SigningKind, Stage
from minsheng.enterprise.models import Problem

from .test_ledger import handle

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("ENTERPRISE_SCREENSHOTS") or tempfile.mkdtemp(prefix="enterprise-shots-"))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MINSHENG_SMS_BACKEND = "minsheng.core.sms.LocmemBackend"


def _context(browser, base_url, viewport, user=None, phone=False):
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone, base_url=base_url
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
        )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page, errors


def _projects(ew):
    now = clock.now()
    made = []
    specs = [
        ("乳制品扩能项目", "某乳业集团", 120000, 40, Stage.LANDING),
        ("白酒酿造技改项目", "某酒业公司", 36000, 10, Stage.SIGNED),
        ("中央厨房项目", "某餐饮集团", 18000, 2, Stage.TALKS),
        ("冷链物流园项目", "某物流公司", 25000, 8, Stage.LEAD),
        ("预制菜产业园项目", "某食品集团", 60000, 1, Stage.LEAD),
    ]
    for name, investor, amount, days_ago, target in specs:
        with clock.at(now - dt.timedelta(days=days_ago)):
            p = actions.do_submit_lead(
                actor=ew.officer,
                name=name,
                investor=investor,
                industry=ew.industry,
                node=ew.w.community_a,
                planned_amount=amount,
            )
            if target != Stage.LEAD:
                p = actions.do_advance(p, actor=ew.officer, to=Stage.TALKS)
            if target in (Stage.SIGNED, Stage.LANDING):
                actions.do_record_signing(
                    p, actor=ew.officer, kind=SigningKind.FIRST, amount=amount, signed_on=clock.now().date()
                )
                p.refresh_from_db()
            if target == Stage.LANDING:
                p = actions.do_advance(p, actor=ew.officer, to=Stage.LANDING)
        made.append(p)
    actions.run_stage_clock()
    return made


def test_pipeline_board_at_1366(browser, live_server, ew):
    from playwright.sync_api import expect

    projects = _projects(ew)
    page, errors = _context(browser, live_server.url, {"width": 1366, "height": 900}, ew.officer)
    page.goto("/enterprise/projects/")
    columns = page.locator("[data-board] .board-col")
    expect(columns).to_have_count(6)
    expect(page.locator('[data-stage="lead"] .board-card')).to_have_count(2)
    # the lead submitted 8 days ago is past its 3-working-day limit: red and under 督办
    overdue = page.locator(f'[data-project="{projects[3].number}"]')
    expect(overdue).to_have_class(re.compile("age-red"))
    expect(overdue).to_contain_text("督办")
    # the six columns fit side by side at 1366 px
    board_box = page.locator("[data-board]").bounding_box()
    assert board_box["width"] <= 1366
    assert page.evaluate(
        "document.querySelector('[data-board]').scrollWidth <= document.querySelector('[data-board]').clientWidth + 1"
    )
    page.screenshot(path=str(SHOTS / "board-1366.png"), full_page=True)
    # open the overdue lead and move it on
    overdue.click()
    expect(page.locator("h1")).to_contain_text("冷链物流园项目")
    page.screenshot(path=str(SHOTS / "project-1366.png"), full_page=True)
    advance = page.locator("form[action$='/advance/']")
    advance.locator("select[name=to]").select_option("landing")
    advance.locator("button[type=submit]").click()
    expect(page.locator(".errorlist, .message-error").first).to_contain_text("不能从")
    page.screenshot(path=str(SHOTS / "project-skip-refused-1366.png"), full_page=True)
    advance = page.locator("form[action$='/advance/']")
    advance.locator("select[name=to]").select_option("talks")
    advance.locator("button[type=submit]").click()
    expect(page.locator("h1 .badge")).to_contain_text("洽谈")
    assert errors == []


def test_enterprise_h5_at_375(browser, live_server, ew):
    from playwright.sync_api import expect

    page, errors = _context(browser, live_server.url, {"width": 375, "height": 812}, phone=True)
    page.goto("/qy/")
    expect(page.locator("h1")).to_contain_text("企业联系人登录")
    page.screenshot(path=str(SHOTS / "h5-login-375.png"), full_page=True)
    sms.outbox.clear()
    page.fill("#id_phone", ew.contact_a.phone)
    page.click("button[type=submit]")
    expect(page.locator("#id_code")).to_be_visible()
    code = re.search(r"(\d{6})", sms.outbox[-1][1]).group(1)
    page.fill("#id_code", code)
    page.screenshot(path=str(SHOTS / "h5-code-375.png"), full_page=True)
    page.click("button[type=submit]")
    expect(page.locator(".ent-name")).to_have_text(ew.ent_a.name)
    page.click("text=反映问题")
    page.click("button[type=submit]")  # empty: field errors, not a crash
    expect(page.locator(".errors").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "h5-submit-errors-375.png"), full_page=True)
    page.fill("#id_title", "厂区门口道路积水")
    page.fill("#id_description", "雨后厂区门口积水严重，货车进出困难")
    page.click("button[type=submit]")
    expect(page.locator(".number")).to_be_visible()
    problem = Problem.objects.get()
    # the street handles it on the engine
    from minsheng.cases import actions as case_actions

    case_actions.do_accept(problem.case, actor=ew.w.admin)
    case_actions.do_dispatch(problem.case, actor=ew.w.admin, unit=ew.unit)
    handle(ew, problem)
    page.goto("/qy/")
    expect(page.locator(".attention")).to_contain_text("请确认是否已解决")
    page.screenshot(path=str(SHOTS / "h5-home-375.png"), full_page=True)
    page.click(".attention a.row")
    expect(page.locator("text=问题解决了吗？")).to_be_visible()
    page.screenshot(path=str(SHOTS / "h5-confirm-375.png"), full_page=True)
    page.check("input[name=solved][value='1']")
    page.check("input[name=satisfaction][value='satisfied']")
    page.fill("#id_note", "已处理好，谢谢")
    page.click("form.attention button[type=submit]")
    expect(page.locator("[data-state]")).to_have_text("已销号")
    page.screenshot(path=str(SHOTS / "h5-closed-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    problem.refresh_from_db()
    assert problem.closed_at is not None and problem.confirmed_by == "contact"
    assert errors == []
