"""The grower's phone entry at 375 px and the cluster page at 1366 px in a real Chromium. Screenshots go to
$CLUSTER_SCREENSHOTS (default: a temporary directory) for a person to look at."""

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from django.test import Client

from minsheng.cluster import actions
from minsheng.cluster.choices import Channel, Grade, Platform
from minsheng.cluster.models import Harvest, Sale

from .conftest import NOW

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("CLUSTER_SCREENSHOTS") or tempfile.mkdtemp(prefix="cluster-shots-"))


def _page(browser, base_url, width, height, user, phone=False):
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="zh-CN",
        is_mobile=phone,
        has_touch=phone,
        base_url=base_url,
    )
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page, errors


def test_grower_phone_entry_at_375(cw, browser, live_server, time_machine):
    time_machine.move_to(NOW, tick=True)
    page, errors = _page(browser, live_server.url, 375, 812, cw.supervisor, phone=True)
    page.goto("/cluster/entry/")
    page.select_option("select[name=orchard]", str(cw.orchard.pk))
    page.select_option("select[name=grade]", Grade.PREMIUM)
    page.fill("input[name=yield_kg]", "800")
    page.screenshot(path=str(SHOTS / "entry-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/sale/")
    harvest = Harvest.objects.get()
    assert harvest.yield_kg == 800 and harvest.grade == Grade.PREMIUM
    page.select_option("select[name=channel]", Channel.LIVE)
    page.select_option("select[name=platform]", Platform.DOUYIN)
    page.fill("input[name=volume_kg]", "900")
    page.fill("input[name=price]", "58")
    page.click("button[type=submit].btn-primary")
    assert "销量超过" in page.content()  # more than the harvest: refused, the form keeps the input
    page.fill("input[name=volume_kg]", "300")
    page.click("button[type=submit].btn-primary")
    page.wait_for_load_state()
    assert Sale.objects.get().amount == 17400
    assert "500" in page.inner_text(".cl-left")
    page.screenshot(path=str(SHOTS / "sale-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not errors


def test_cluster_page_at_1366(cw, browser, live_server, time_machine):
    h = actions.do_record_harvest(
        cw.orchard, actor=None, harvested_on=dt.date(2026, 6, 1), yield_kg="5000", grade=Grade.FIRST
    )
    for channel, platform, kg, price in (
        (Channel.DEALER, "", "2000", "32"),
        (Channel.ENTERPRISE, "", "1000", "26"),
        (Channel.PLATFORM, Platform.JD, "800", "45"),
        (Channel.LIVE, Platform.DOUYIN, "700", "52"),
    ):
        actions.do_record_sale(
            h,
            actor=None,
            channel=channel,
            platform=platform,
            volume_kg=kg,
            price=price,
            sold_on=dt.date(2026, 6, 2),
        )
    actions.do_adopt(cw.technique, cw.orchard, actor=None, adopted_on=dt.date(2025, 3, 1))
    actions.do_record_attendance(cw.live_class, [cw.grower], actor=None)
    actions.do_record_session(
        cw.grower,
        actor=None,
        platform=Platform.DOUYIN,
        held_on=dt.date(2026, 6, 2),
        products="美早",
        orders=80,
        sales_yuan="6400",
    )
    time_machine.move_to(NOW, tick=True)
    page, errors = _page(browser, live_server.url, 1366, 900, cw.leader)
    page.goto("/cluster/?year=2026")
    assert page.locator("[data-metric='cluster.area'] .stat-value").inner_text().startswith("12.5")
    assert page.locator("[data-metric='cluster.sellers'] .stat-value").inner_text().startswith("1")
    page.screenshot(path=str(SHOTS / "cluster-1366.png"), full_page=True)
    for path, name in (("/cluster/techniques/", "techniques"), ("/cluster/sellers/", "sellers")):
        page.goto(path)
        page.screenshot(path=str(SHOTS / f"{name}-1366.png"), full_page=True)
    assert not errors
