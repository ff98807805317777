"""A county leader compares the 街道 on the metrics page; a 街道 admin sets his 街道's case-number prefix. In a
real Chromium at desktop width (county staff work at desks). Screenshots go to ./screenshots/."""

import os
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from minsheng.cases.tests.test_county import county, register  # noqa: F401 - the county fixture

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"


def signed_in(browser, base_url, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", base_url=base_url)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page, errors


def test_the_county_compares_its_streets_and_a_street_sets_its_prefix(browser, live_server, county):  # noqa: F811
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(exist_ok=True)
    for _ in range(2):
        register(county.cg.admin, county.cg.estate, county.sewer)
    register(county.dc.admin, county.dc.estate, county.sewer, text="东城小区路灯不亮")
    page, errors = signed_in(browser, live_server.url, county.leader)
    page.goto(reverse("cases:metrics"))
    page.get_by_role("link", name="街道/乡镇").first.click()
    expect(page.locator("table")).to_contain_text("城关街道")
    expect(page.locator("table")).to_contain_text("东城街道")
    page.screenshot(path=SCREENSHOTS / "county-metrics-by-street-1366.png", full_page=True)

    page, street_errors = signed_in(browser, live_server.url, county.dc.admin)
    page.goto(reverse("org:node_edit", args=[county.dc.node.pk]))
    page.get_by_label("案件编号前缀").fill("dc")
    page.screenshot(path=SCREENSHOTS / "street-case-prefix-1366.png", full_page=True)
    page.get_by_role("button", name="保存").click()
    county.dc.node.refresh_from_db()
    assert county.dc.node.case_prefix == "DC"
    assert errors == street_errors == []
