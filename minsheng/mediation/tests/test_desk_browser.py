"""The reception window and the mediator's case page in a real Chromium at 1366 px (and the desk at 375 px): find
the visitor, register the visit, route it to mediation, record a session and reach a written agreement.
Screenshots go to ./screenshots/ for a person to look at."""

import os
from pathlib import Path

import pytest

from minsheng.mediation.models import Dispute

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"


def login(page, url, username, password):
    from playwright.sync_api import expect

    page.goto(f"{url}/accounts/login/")
    page.get_by_label("手机号或用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_reception_desk_to_agreement(browser, live_server, centre, password):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "clerk", password)

    page.goto(f"{live_server.url}/mediation/desk/")
    page.get_by_placeholder("姓名、拼音、手机号（或后4位）、身份证号").fill("王秀兰")
    page.get_by_role("button", name="查找").click()
    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text("139****0001")
    results.get_by_role("link", name="王秀兰").click()
    expect(page.get_by_test_id("person")).to_contain_text("已脱敏")
    page.screenshot(path=str(SCREENSHOTS / "mediation-desk-1-person.png"), full_page=True)
    page.get_by_role("button", name="查看完整信息").click()
    expect(page.get_by_test_id("person")).to_contain_text("13955550001")
    page.get_by_label("反映事项").fill("楼上卫生间漏水，墙面发霉，找对方多次没有结果")
    page.get_by_role("button", name="登记并分流").click()
    expect(page.get_by_role("heading", name="来访 · 王秀兰")).to_be_visible()
    expect(page.get_by_text("初信初访").first).to_be_visible()
    page.get_by_label("纠纷类型").select_option("neighbour")
    page.get_by_label("被申请人", exact=True).fill("李建国")
    page.screenshot(path=str(SCREENSHOTS / "mediation-desk-2-route.png"), full_page=True)
    page.get_by_role("button", name="确认分流").click()

    expect(page.get_by_test_id("outcome")).to_have_text("调解中")
    dispute = Dispute.objects.get()
    page.locator("[data-step=session] > summary").click()
    page.get_by_label("参加人员").fill("王秀兰、李建国、调解员")
    page.get_by_label("调解记录", exact=True).fill("双方陈述，李建国同意7日内维修并赔偿")
    page.get_by_role("button", name="保存调解记录").click()
    expect(page.locator(".message-success")).to_be_visible()
    page.locator("[data-step=written] > summary").click()
    step = page.locator("[data-step=written]")
    step.get_by_label("主要事实、争议事项及各方责任").fill("楼上卫生间防水失效致楼下渗水")
    step.get_by_label("协议内容").fill("李建国于7日内修复防水并赔偿王秀兰2000元")
    step.get_by_label("申请人 王秀兰").check()
    step.get_by_role("button", name="生成协议书").click()
    expect(page.locator(".errorlist")).to_contain_text("协议须经各方当事人同意")
    page.screenshot(path=str(SCREENSHOTS / "mediation-case-1-consent-error.png"), full_page=True)
    step = page.locator("[data-step=written]")
    step.get_by_label("申请人 王秀兰").check()
    step.get_by_label("被申请人 李建国").check()
    step.get_by_role("button", name="生成协议书").click()
    expect(page.get_by_test_id("outcome")).to_have_text("达成书面协议")
    expect(page.get_by_role("link", name="协议书 PDF")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "mediation-case-2-agreed.png"), full_page=True)
    dispute.refresh_from_db()
    assert dispute.number.endswith("人调字第1号")

    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN").new_page()
    login(phone, live_server.url, "clerk", password)
    phone.goto(f"{live_server.url}/mediation/desk/?q=wxl&resident={centre.resident_a.pk}")
    expect(phone.get_by_test_id("person")).to_be_visible()
    phone.screenshot(path=str(SCREENSHOTS / "mediation-desk-3-phone.png"), full_page=True)
    assert errors == []
