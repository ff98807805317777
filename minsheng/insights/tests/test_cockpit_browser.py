"""The cockpit at 1366 px and the big screen at 1920×1080 in a real Chromium, over the cases' hand-counted December
(with a few cases placed on the map). Screenshots go to MINSHENG_SCREENSHOTS (default: ./screenshots/)."""

import importlib
import os
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.test import Client

from minsheng.cases.models import Case
from minsheng.cases.tests.test_metrics import NOW, tell_story

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(
    os.environ.get("MINSHENG_SCREENSHOTS", Path(__file__).resolve().parents[3] / "screenshots")
)


@pytest.fixture(autouse=True)
def _case_defaults(transactional_db):
    importlib.import_module("minsheng.cases.migrations.0002_defaults").add_defaults(apps, None)


def _page(browser, base_url, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, locale="zh-CN", base_url=base_url)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page, errors


def test_cockpit_and_big_screen(browser, live_server, cw):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with time_machine.travel(NOW, tick=True):
        tell_story(cw)
        for i, case in enumerate(Case.objects.order_by("pk")):
            Case.objects.filter(pk=case.pk).update(
                lat=36.495 + (i % 5) * 0.002, lng=118.495 + (i // 5) * 0.003
            )

        page, errors = _page(browser, live_server.url, cw.leader, {"width": 1366, "height": 900})
        page.goto("/")  # a leader lands on the cockpit
        assert "/insights/" in page.url
        page.goto("/insights/?start=2025-12-01&end=2025-12-31")
        assert page.locator(".cockpit-figures .stat").count() >= 4
        assert page.get_by_text("超期案件").count() >= 1
        assert page.locator(".leaflet-container").count() == 1
        page.screenshot(path=str(SCREENSHOTS / "insights-cockpit-1366.png"), full_page=True)
        # a figure drills down to its rows
        page.locator(".cockpit-figures .stat").first.click()
        assert "/insights/metrics/" in page.url
        page.screenshot(path=str(SCREENSHOTS / "insights-metric-1366.png"), full_page=True)
        page.goto("/insights/report/?start=2025-12-01&end=2025-12-31")
        assert page.get_by_text("原文数字").count() >= 1
        page.screenshot(path=str(SCREENSHOTS / "insights-report-1366.png"), full_page=True)
        page.goto("/insights/efficiency/?start=2025-12-01&end=2025-12-31")
        page.screenshot(path=str(SCREENSHOTS / "insights-efficiency-1366.png"), full_page=True)
        assert not errors, errors

        big, errors = _page(browser, live_server.url, cw.leader, {"width": 1920, "height": 1080})
        big.goto("/insights/screen/?start=2025-12-01&end=2025-12-31")
        assert big.locator(".sidebar, nav.sidebar").count() == 0  # no login chrome
        big.screenshot(path=str(SCREENSHOTS / "insights-screen-1920.png"))
        assert not errors, errors
