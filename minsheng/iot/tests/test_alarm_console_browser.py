"""The alarm console in a real Chromium, at desktop and phone width: open the console, acknowledge two alarms at
once, see a new alarm appear without a reload (the console polls), open the greenhouse and see its charts and a
live change of its alarms. Screenshots go to ./screenshots/ for a person to look at."""

import datetime as dt
import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps

from minsheng.core import clock
from minsheng.iot import actions
from minsheng.iot.choices import AlarmType, SensorKind, Severity
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
def test_bulk_acknowledge_then_greenhouse_chart(browser, live_server, farm, alarms, password, size, settings):
    from playwright.sync_api import expect

    settings.IOT_LIVE_POLL_SECONDS = (
        1  # the pages poll every 15 s in production; a second keeps the test short
    )

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

    # A soil sensor breaches while the console is open: its row and the header's count arrive without a reload.
    soil = Sensor.objects.create(
        code="gh1-s1", greenhouse=farm.greenhouse, kind=SensorKind.SOIL_TEMP, unit="Cel", position="东侧"
    )
    page.evaluate("window.__sameDocument = true")
    actions.raise_alarm(soil, AlarmType.THRESHOLD, Severity.MAJOR, at=clock.now(), details={"value": 9.1})
    rows = page.locator("table.iot-alarms tbody tr")
    expect(rows).to_have_count(3, timeout=10_000)
    expect(rows.first).to_contain_text("gh1-s1")
    expect(rows.first).to_contain_text("未确认")
    expect(page.locator("#iot-summary")).to_contain_text("未确认 1")
    expect(page.locator("#iot-alarm-count")).to_have_text("3")
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    shot("2b-live-update")

    page.get_by_role("link", name=farm.greenhouse.name).first.click()
    expect(page.get_by_role("heading", name=farm.greenhouse.name)).to_be_visible()
    charts = page.locator("#iot-charts")
    expect(charts.locator("canvas").first).to_be_visible()
    expect(charts).to_have_attribute("data-chart-count", "3")  # the soil sensor's kind has its own chart
    # The soil alarm is cleared elsewhere: the greenhouse page's alarm card follows without a reload.
    expect(page.locator("#iot-gh-alarms")).to_contain_text("活动告警 3 条")
    actions.clear(Alarm.objects.get(sensor=soil), actor=None)
    expect(page.locator("#iot-gh-alarms")).to_contain_text("活动告警 2 条", timeout=10_000)
    shot("3-greenhouse")

    assert errors == [], errors
    context.close()


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_clusters_map_and_preferences(browser, live_server, farm, alarms, password, size):
    """The roll-ups on the cluster pages and the map, and saving one's alarm notification preferences."""
    from playwright.sync_api import expect

    from minsheng.iot.models import AlarmNotificationPreference, Greenhouse

    Greenhouse.objects.filter(pk=farm.greenhouse.pk).update(lat=36.51, lng=118.51)
    phone = size == "phone"
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS[size], locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def shot(name):
        page.screenshot(path=str(SCREENSHOTS / f"iot-{size}-{name}.png"), full_page=not phone)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("手机号或用户名").fill(farm.w.admin.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.goto(f"{live_server.url}/iot/clusters/")
    row = page.locator("table.iot-clusters tbody tr").first
    expect(row).to_contain_text("樱悦田园")
    expect(row).to_contain_text("重要")
    shot("4-clusters")
    page.get_by_role("link", name="樱悦田园").click()
    expect(page.get_by_role("heading", name="樱悦田园")).to_be_visible()
    expect(page.locator("table.iot-clusters")).to_contain_text(farm.greenhouse.name)
    shot("5-cluster")

    page.goto(f"{live_server.url}/iot/map/")
    expect(page.locator("#iot-map")).to_have_attribute("data-greenhouse-count", "1")
    page.locator("#iot-map path.leaflet-interactive").last.click(force=True)
    expect(page.locator(".map-popup")).to_contain_text("未确认 2")
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # the fade-in has finished
    shot("6-map")

    page.goto(f"{live_server.url}/iot/alarms/preferences/")
    expect(page.get_by_role("heading", name="告警通知设置")).to_be_visible()
    page.get_by_label("次要").check()
    page.get_by_label("同时发送邮件").uncheck()
    shot("7-preferences")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("告警通知设置已保存")
    pref = AlarmNotificationPreference.objects.get(user=farm.w.admin)
    assert pref.severities == ["critical", "major", "minor"] and pref.email is False
    assert errors == [], errors
    context.close()
