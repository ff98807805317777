"""The alarm console in a real Chromium, at desktop and phone width: open the console, acknowledge two alarms at
once, open the greenhouse and see its charts. Screenshots go to ./screenshots/ for a person to look at."""

import datetime as dt
import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps

from minsheng.core import clock
from minsheng.iot import actions
from minsheng.iot.choices import AlarmType, Severity
from minsheng.iot.models import Alarm, Reading, Sensor

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there unless told it is fine.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


@pytest.fixture
def alarms(farm):
    """A day of temperature and humidity readings (a warm afternoon) and two active alarms."""
    # The flush of a transactional test empties the thresholds the data migration put in.
    importlib.import_module("minsheng.iot.migrations.0002_cherry_thresholds").add_defaults(apps, None)
    now = clock.now().replace(second=0, microsecond=0)
    rows = []
    for step in range(0, 24 * 60, 15):
        ts = now - dt.timedelta(minutes=step)
        hour = (ts.hour + 8) % 24 + ts.minute / 60  # local time in Shanghai
        warm = 18 + 6 * max(0.0, 1 - abs(hour - 14) / 6)
        rows.append(Reading(sensor=farm.temp, ts=ts, value=round(warm, 2)))
        rows.append(Reading(sensor=farm.humidity, ts=ts, value=round(70 - (warm - 18) * 2, 2)))
    Reading.objects.bulk_create(rows)
    # What the consumer would have noted on the sensors (test data, written directly).
    Sensor.objects.filter(pk=farm.temp.pk).update(last_seen=now, last_value=rows[0].value, battery=86)
    Sensor.objects.filter(pk=farm.humidity.pk).update(last_seen=now, last_value=rows[1].value, battery=14)
    temp = actions.raise_alarm(
        farm.temp,
        AlarmType.THRESHOLD,
        Severity.MAJOR,
        at=now - dt.timedelta(hours=3),
        details={"value": 23.4},
    )
    humid = actions.raise_alarm(
        farm.humidity,
        AlarmType.THRESHOLD,
        Severity.MINOR,
        at=now - dt.timedelta(hours=5),
        details={"value": 68},
    )
    return temp, humid


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_bulk_acknowledge_then_greenhouse_chart(browser, live_server, farm, alarms, password, size):
    from playwright.sync_api import expect

    phone = size == "phone"
    SCREENSHOTS.mkdir(exist_ok=True)

    def shot(name):
        page.screenshot(path=str(SCREENSHOTS / f"iot-{size}-{name}.png"), full_page=not phone)

    context = browser.new_context(viewport=VIEWPORTS[size], locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("手机号或用户名").fill(farm.w.admin.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.goto(f"{live_server.url}/iot/alarms/")
    expect(page.get_by_role("heading", name="告警台")).to_be_visible()
    expect(page.locator("table.iot-alarms tbody tr")).to_have_count(2)
    shot("1-console")
    page.get_by_label("全选").check()
    page.get_by_role("button", name="批量确认").click()
    expect(page.locator("body")).to_contain_text("已处理 2 条告警")
    expect(page.locator("table.iot-alarms")).not_to_contain_text("未确认")
    assert Alarm.objects.filter(acknowledged=True).count() == 2
    shot("2-acknowledged")

    page.get_by_role("link", name=farm.greenhouse.name).first.click()
    expect(page.get_by_role("heading", name=farm.greenhouse.name)).to_be_visible()
    charts = page.locator("#iot-charts")
    expect(charts).to_have_attribute("data-chart-count", "2")
    expect(charts.locator("canvas").first).to_be_visible()
    shot("3-greenhouse")

    assert errors == [], errors
    context.close()
