"""The village supervisor's field flow in a real Chromium at phone width: a negative test, then a positive one
with its two repeats. Screenshots go to ./screenshots/ for a person to look at."""

import os
from pathlib import Path

import pytest

from minsheng.agri.models import Sample

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there unless told it is fine.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"


def test_supervisor_records_a_negative_and_a_positive_with_repeats(browser, live_server, aw, password):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def shot(name):
        # What fits on the screen: a full-page capture would paint the fixed bottom bar mid-page.
        page.locator("#verdict, .result-banner").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"agri-field-{name}.png"))

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("手机号或用户名").fill("sup")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    # A negative: 豆角 is found as 豇豆, the rate and verdict show as the readings are typed.
    page.goto(f"{live_server.url}/agri/field/")
    expect(page.get_by_role("heading", name="现场速测")).to_be_visible()
    page.get_by_label("1. 抽检品种").fill("豆角")
    expect(page.locator("#commodity-resolved")).to_have_text("→ 豇豆")
    page.get_by_label("或：市场摊位").fill("东关集市3号摊")
    page.get_by_role("radio", name="有", exact=True).check()
    page.get_by_label("对照组 ΔA0").fill("0.300")
    page.get_by_label("样品 ΔAt").fill("0.250")
    expect(page.locator("#verdict-rate")).to_have_text("16.67%")
    expect(page.locator("#verdict-label")).to_have_text("阴性")
    expect(page.locator("#prone-warning")).to_be_hidden()
    shot("1-negative-form")
    page.get_by_role("button", name="提交检测结果").click()
    expect(page.locator(".result-banner")).to_have_text("合格：已记录")
    shot("2-negative-done")

    # A positive on 韭菜: the false-positive warning, then the two repeats on the next screen.
    page.get_by_role("link", name="再录一条").click()
    page.get_by_label("1. 抽检品种").fill("韭菜")
    expect(page.locator("#prone-warning")).to_be_visible()
    page.get_by_label("或：市场摊位").fill("东关集市5号摊")
    page.get_by_role("radio", name="没有", exact=True).check()
    page.get_by_label("对照组 ΔA0").fill("0.303")
    page.get_by_label("样品 ΔAt").fill("0.131")
    expect(page.locator("#verdict-rate")).to_have_text("56.77%")
    expect(page.locator("#verdict-label")).to_have_text("阳性")
    shot("3-positive-form")
    page.get_by_role("button", name="提交检测结果").click()
    expect(page.locator("main")).to_contain_text("请录入第 1 次复测")
    page.get_by_label("对照组 ΔA0").fill("0.300")
    page.get_by_label("样品 ΔAt").fill("0.170")
    expect(page.locator("#verdict-label")).to_have_text("可疑")
    shot("4-repeat-1")
    page.get_by_role("button", name="提交复测结果").click()
    expect(page.locator("main")).to_contain_text("请录入第 2 次复测")
    page.get_by_label("对照组 ΔA0").fill("0.300")
    page.get_by_label("样品 ΔAt").fill("0.120")
    page.get_by_role("button", name="提交复测结果").click()
    expect(page.locator(".result-banner")).to_contain_text("送检定量确证")
    shot("5-confirming")

    # A colloidal-gold card: the enzyme readings give way to the pesticide and the card's reading.
    page.goto(f"{live_server.url}/agri/field/")
    page.get_by_label("1. 抽检品种").fill("豇豆")
    page.get_by_label("或：市场摊位").fill("东关集市8号摊")
    page.get_by_role("radio", name="有", exact=True).check()
    page.get_by_role("radio", name="胶体金试纸卡").check()
    expect(page.get_by_label("对照组 ΔA0")).to_be_hidden()
    page.get_by_label("胶体金检测项目").select_option(label="克百威")
    page.get_by_role("radio", name="阴性").check()
    page.locator("[data-method=colloidal_gold]").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "agri-field-6-gold-card.png"))
    page.get_by_role("button", name="提交检测结果").click()
    expect(page.locator(".result-banner")).to_have_text("合格：已记录")

    assert sorted(Sample.objects.values_list("commodity__name", "status")) == [
        ("豇豆", "passed"),
        ("豇豆", "passed"),
        ("韭菜", "confirming"),
    ]
    assert errors == [], errors
    context.close()


def test_task_picker_follows_level_and_counts_the_weekly_task(browser, live_server, aw, password):
    """The weekly street task is preselected; a county level greys it out and leaves the sample without a task; back
    at street level the default returns and the recorded sample counts towards it."""
    import datetime as dt

    from playwright.sync_api import expect

    from minsheng.agri import actions
    from minsheng.agri.choices import SampleLevel
    from minsheng.core import clock

    today = clock.now().date()
    weekly = actions.create_task(
        actor=aw.w.admin,
        name="街道蔬菜周抽检",
        level=SampleLevel.STREET,
        node=aw.w.street,
        start=today - dt.timedelta(days=7),
        end=today + dt.timedelta(days=30),
        weekly_quota=10,
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("手机号或用户名").fill("sup")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.goto(f"{live_server.url}/agri/field/")
    picker = page.get_by_label("计入抽检任务")
    expect(picker).to_have_value(str(weekly.pk))
    page.locator("summary", has_text="抽检级别").click()
    page.locator("#id_level").select_option(SampleLevel.COUNTY)
    expect(picker).to_have_value("")
    expect(page.locator(f'#id_task option[value="{weekly.pk}"]')).to_be_disabled()
    page.locator("#id_level").select_option(SampleLevel.STREET)
    expect(picker).to_have_value(str(weekly.pk))

    page.get_by_label("1. 抽检品种").fill("豆角")
    page.get_by_label("或：市场摊位").fill("东关集市3号摊")
    page.get_by_role("radio", name="有", exact=True).check()
    page.get_by_label("对照组 ΔA0").fill("0.300")
    page.get_by_label("样品 ΔAt").fill("0.250")
    picker.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "agri-field-task-picker.png"))
    page.get_by_role("button", name="提交检测结果").click()
    expect(page.locator(".result-banner")).to_have_text("合格：已记录")
    expect(page.get_by_text("计入：街道蔬菜周抽检")).to_be_visible()
    assert Sample.objects.get().task == weekly
    assert not errors
    context.close()
