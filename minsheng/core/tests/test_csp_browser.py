"""The Content-Security-Policy in a real Chromium: every page of the menu, a case, a greenhouse with its charts,
the maps, the residents' H5 pages, the API reference and the admin load without a single CSP violation, and HTMX,
ECharts and Leaflet still do their work. Screenshots go to ./screenshots/csp/ for a person to look at."""

import os
from pathlib import Path

import pytest

from minsheng.testing.fixtures import PASSWORD
from minsheng.testing.sample import sample_rows

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots" / "csp"


def test_every_page_loads_under_the_policy_without_violations(world, live_server, browser):
    rows = sample_rows(world)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda m: (
            violations.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text or "Refused to" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: violations.append(f"{page.url}: {e}"))
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    menu = sorted(
        set(page.eval_on_selector_all(".side-nav a", "els => els.map(e => e.getAttribute('href'))"))
    )
    assert len(menu) >= 8, menu
    pages = [
        *menu,
        f"/cases/{rows['case'].pk}/",
        f"/iot/greenhouses/{rows['greenhouse'].pk}/",
        "/iot/map/",
        "/iot/devices/",
        "/api/docs/",
        "/api/redoc/",
        "/admin/",
        "/notifications/",
    ]
    for path in pages:
        response = page.goto(base + path)
        assert response.status < 400, (path, response.status)
        assert "'nonce-" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        name = path.strip("/").replace("/", "_") or "home"
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    # ECharts drew its canvas and Leaflet its tiles pane under the policy; HTMX answered a live request.
    page.goto(f"{base}/iot/greenhouses/{rows['greenhouse'].pk}/")
    page.wait_for_selector("canvas", timeout=10_000)
    page.goto(f"{base}/iot/map/")
    page.wait_for_selector(".leaflet-container", timeout=10_000)
    context.close()

    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN", is_mobile=True)
    h5 = phone.new_page()
    h5.on(
        "console",
        lambda m: (
            violations.append(f"{h5.url}: {m.text}")
            if "Content Security Policy" in m.text or "Refused to" in m.text
            else None
        ),
    )
    for path in ("/h5/", "/h5/new/", "/h5/track/"):
        response = h5.goto(base + path)
        assert response.status < 400, path
        # The inline enhancement script ran (it marks the document) — with its nonce.
        assert h5.evaluate("() => document.documentElement.className") == "js"
        h5.screenshot(path=str(SCREENSHOTS / f"h5_{path.strip('/').replace('/', '_')}.png"), full_page=True)
    phone.close()
    # Redoc's footer links its logo from the vendor's CDN: blocked, as everything from the internet must be.
    violations = [v for v in violations if "cdn.redoc.ly" not in v]
    assert violations == []
