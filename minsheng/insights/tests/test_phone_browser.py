"""The leaders' pages on a phone (375 px) and a laptop (1366 px), and the command centre's screen opened by a
display link with nobody logged in (1920×1080), in a real Chromium over the cases' hand-counted December.
Screenshots go to MINSHENG_SCREENSHOTS (default: ./screenshots/)."""

import importlib

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from minsheng.cases.tests.test_metrics import NOW, tell_story
from minsheng.core import clock
from minsheng.insights import actions, display

from .test_cockpit_browser import SCREENSHOTS, _page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Q = "?start=2025-12-01&end=2025-12-31"


@pytest.fixture(autouse=True)
def _case_defaults(transactional_db):
    importlib.import_module("minsheng.cases.migrations.0002_defaults").add_defaults(apps, None)


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def test_leaders_pages_at_375_and_1366(browser, live_server, cw):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with time_machine.travel(NOW, tick=True):
        tell_story(cw)
        pages = {
            "cockpit": reverse("insights:cockpit") + Q,
            "metric": reverse("insights:metric", args=["cases.resolved"]) + Q,
            "report": reverse("insights:report") + Q,
            "efficiency": reverse("insights:efficiency") + Q,
            "links": reverse("insights:display_links"),
        }
        for width, height in ((375, 812), (1366, 900)):
            page, errors = _page(browser, live_server.url, cw.leader, {"width": width, "height": height})
            for name, url in pages.items():
                page.goto(url)
                page.screenshot(path=str(SCREENSHOTS / f"insights-{name}-{width}.png"), full_page=True)
                _no_sideways_scroll(page)
            # the tables that do not fit scroll inside their box, never the page
            page.goto(pages["efficiency"])
            box = page.locator(".table-wrap").first
            assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
            page.goto(pages["cockpit"])
            assert page.locator(".cockpit-figures .stat").count() >= 4
            if width == 375:
                # two figures side by side, each readable: no figure narrower than a third of the screen
                widths = page.locator(".cockpit-figures .stat").evaluate_all(
                    "els => els.map(e => e.getBoundingClientRect().width)"
                )
                assert min(widths) >= 120, widths
            assert not errors, errors
            page.context.close()


def test_the_display_link_screen_with_nobody_logged_in(browser, live_server, cw):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with time_machine.travel(NOW, tick=True):
        tell_story(cw)
        with clock.at(NOW):
            link = actions.do_issue_display_link(actor=cw.leader, node=cw.w.street, label="指挥中心大屏")
        url = reverse("insights:display", args=[display.token(link)])
        context = browser.new_context(
            viewport={"width": 1920, "height": 1080}, locale="zh-CN", base_url=live_server.url
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url)
        assert page.locator(".cockpit-figures .stat").count() >= 4
        assert page.locator("a").count() == 0  # nothing to click through to
        assert page.locator(".sidebar, .topbar, .bottom-nav").count() == 0
        page.screenshot(path=str(SCREENSHOTS / "insights-display-1920.png"))
        _no_sideways_scroll(page)
        with clock.at(NOW):
            actions.do_revoke_display_link(link, actor=cw.leader)
        response = page.goto(url)
        assert response.status == 410
        assert page.get_by_text("链接已撤销").count() == 1
        page.screenshot(path=str(SCREENSHOTS / "insights-display-revoked-1920.png"))
        assert not errors, errors
        context.close()
