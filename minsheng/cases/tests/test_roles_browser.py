"""Residents, grid workers and property staff as they meet the product, at 1366 px and 375 px: a resident signs in
by phone and code and sees their appeals with 我要反映 at hand; a grid worker's phone has 上报 in its bottom bar and
the todo first on the home page; property staff see their company's cases. Screenshots for a person to look at."""

import importlib
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.apps import apps

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.cases import actions
from minsheng.cases.choices import Channel, UnitKind
from minsheng.cases.models import Unit
from minsheng.cases.tests.test_workbench_browser import Person
from minsheng.core import sms

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("MINSHENG_SHOTS") or tempfile.mkdtemp(prefix="roles-"))
VIEWPORTS = {"desktop": {"width": 1366, "height": 800}, "phone": {"width": 375, "height": 812}}
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _case_defaults(transactional_db, settings):
    importlib.import_module("minsheng.cases.migrations.0002_defaults").add_defaults(apps, None)
    settings.MINSHENG_SMS_BACKEND = "minsheng.core.sms.LocmemBackend"
    sms.outbox.clear()


def report(cw, **kw):
    return actions.do_register(
        actor=cw.w.grid_a,
        kind="appeal",
        channel=Channel.GRID_PATROL,
        category=cw.cat_sewer,
        description=kw.pop("description", "颐和家园1号楼门前下水道堵塞，污水外溢。"),
        node=cw.w.building_a,
        **kw,
    )


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_resident_grid_worker_and_property_staff(browser, live_server, cw, size):
    from playwright.sync_api import expect

    phone_size = size == "phone"
    mine = report(cw, reporter_phone=PHONE, reporter_name="王女士")

    # a resident: 我的 → sign in by phone and code → all their appeals, 我要反映 in the bar
    context = browser.new_context(viewport=VIEWPORTS[size], locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.goto("/h5/mine/")
    expect(page.locator("#id_phone")).to_be_visible()
    page.fill("#id_phone", PHONE)
    page.click("[data-send-code]")
    expect(page.locator("[data-code-status]")).to_have_text(re.compile(".+"))
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group()
    page.screenshot(path=str(SHOTS / f"roles-{size}-h5-login.png"), full_page=True)
    page.fill("#id_code", code)
    page.click("button[type=submit]")
    expect(page.get_by_text(mine.number)).to_be_visible()
    expect(page.locator("a.bar-report")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"roles-{size}-h5-mine.png"), full_page=True)
    context.close()

    # a grid worker: the todo first, 上报 one tap away on the phone
    grid = Person(browser, live_server.url, cw.w.grid_a, VIEWPORTS[size], phone_size)
    grid.page.goto("/")
    if phone_size:
        expect(grid.page.locator(".bottom-nav a", has_text="上报")).to_be_visible()
    grid.page.screenshot(path=str(SHOTS / f"roles-{size}-grid-home.png"), full_page=False)

    # property staff: their company's cases
    staff = account_actions.create_user(username="wuye", display_name="颐和物业项目经理", password=None)
    account_actions.grant_membership(user=staff, role=Role.PROPERTY_STAFF, node=cw.w.estate_a)
    company = Unit.objects.create(name="颐和物业", kind=UnitKind.PROPERTY, node=cw.w.street, leader=staff)
    company.members.set([staff])
    door = report(cw, description="颐和家园1号楼单元门禁损坏。")
    actions.do_dispatch(actions.do_accept(door, actor=cw.w.worker_a), actor=cw.w.worker_a, unit=company)
    wuye = Person(browser, live_server.url, staff, VIEWPORTS[size], phone_size)
    wuye.page.goto("/")
    expect(wuye.page.get_by_text("颐和物业在办 1")).to_be_visible()
    wuye.page.screenshot(path=str(SHOTS / f"roles-{size}-property-home.png"), full_page=False)
    assert not grid.errors and not wuye.errors
