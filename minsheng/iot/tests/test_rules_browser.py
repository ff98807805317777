"""The thresholds page in a real Chromium, at desktop and phone width: from the greenhouse to its thresholds, set
an override with a mistake, correct it, and see the origin change. Screenshots go to ./screenshots/."""

import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps

from minsheng.iot.models import ThresholdOverride

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_set_a_greenhouse_threshold(browser, live_server, farm, password, size):
    from playwright.sync_api import expect

    # The flush of a transactional test empties the thresholds the data migration put in.
    importlib.import_module("minsheng.iot.migrations.0002_cherry_thresholds").add_defaults(apps, None)
    ThresholdOverride.objects.create(
        cluster=farm.cluster, kind="air_humidity", day_min=45, day_max=70, note="片区统一"
    )
    SCREENSHOTS.mkdir(exist_ok=True)

    def shot(name):
        page.screenshot(path=str(SCREENSHOTS / f"iot-rules-{size}-{name}.png"), full_page=True)

    context = browser.new_context(viewport=VIEWPORTS[size], locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("手机号或用户名").fill(farm.w.admin.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.goto(f"{live_server.url}/iot/greenhouses/{farm.greenhouse.pk}/")
    page.get_by_role("link", name="告警阈值").click()
    expect(page.locator("[data-origin=cluster]")).to_have_count(1)
    shot("1-page")
    page.get_by_role("row", name="空气温度").get_by_role("link", name="本棚设置").click()
    page.get_by_label("白天上限").fill("12")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("白天上限必须大于下限")
    shot("2-error")
    page.get_by_label("白天上限").fill("24")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("阈值已保存")
    expect(page.locator("[data-origin=greenhouse]")).to_have_count(1)
    shot("3-saved")
    assert ThresholdOverride.objects.get(greenhouse=farm.greenhouse).day_max == 24

    page.get_by_role("link", name="新增本棚组合规则").click()
    page.get_by_label("名称").fill("高温高湿")
    rows = page.locator(".iot-condition")
    expect(rows).to_have_count(3)
    rows.nth(0).get_by_label("传感器类型").select_option("air_temp")
    rows.nth(0).get_by_label("比较").select_option("gt")
    rows.nth(0).get_by_label("数值").fill("30")
    rows.nth(1).get_by_label("传感器类型").select_option("air_humidity")
    rows.nth(1).get_by_label("比较").select_option("gt")
    rows.nth(1).get_by_label("数值").fill("80")
    shot("4-combined-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("空气温度 > 30 且 空气湿度 > 80")
    shot("5-combined-saved")
    assert errors == [], errors
    context.close()
