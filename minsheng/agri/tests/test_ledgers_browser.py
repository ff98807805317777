"""The ledger pages in a real Chromium, at desktop and phone width: the tasks page with its pre-holiday suggestion,
the duty roster, the waste totals. Screenshots go to ./screenshots/ for a person to look at."""

import datetime as dt
import os
from pathlib import Path

import pytest

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.agri import actions
from minsheng.agri.choices import SampleLevel
from minsheng.core.calendar import holiday_periods

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"


def test_ledger_pages_at_desktop_and_phone_width(browser, live_server, aw, password):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(exist_ok=True)
    admin = aw.w.admin
    cadre = account_actions.create_user(username="cadre", display_name="街道干部小张", password=password)
    account_actions.grant_membership(user=cadre, role=Role.STREET_CADRE, node=aw.w.street)
    store = actions.create_store(actor=admin, name="东关农资店", village=aw.village_1)
    today = dt.date.today()
    actions.record_waste(actor=admin, recovered_on=today, store=store, kg="120.5")
    actions.record_waste(actor=admin, recovered_on=today, village=aw.village_2, kg="80")
    year = today.year
    periods = holiday_periods(year)
    if periods:
        actions.assign_duty(actor=admin, day=periods[-1].start, node=aw.w.street, person=cadre, leader=True)
    actions.record_letter(
        actor=admin,
        level="village",
        year=today.year,
        signed_on=today.replace(month=1, day=2),
        village=aw.village_1,
        party_a="城关街道办事处",
        party_b="东关村委会",
    )
    task = actions.create_task(
        actor=admin,
        name="街道蔬菜周抽检",
        level=SampleLevel.STREET,
        node=aw.w.street,
        start=today - dt.timedelta(days=20),
        end=today + dt.timedelta(days=20),
        commodity=aw.commodity("蔬菜"),
        weekly_quota=10,
    )

    errors = []
    for width, height, suffix in ((1280, 900, "desktop"), (375, 812, "phone")):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("手机号或用户名").fill("admin")
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", name="工作台")).to_be_visible()

        page.goto(f"{live_server.url}/agri/tasks/")
        expect(page.get_by_role("heading", name="抽检任务", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="街道蔬菜周抽检")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / f"agri-ledgers-tasks-{suffix}.png"), full_page=True)

        page.goto(f"{live_server.url}/agri/tasks/{task.pk}/")
        expect(page.locator("#task-weeks")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / f"agri-ledgers-task-{suffix}.png"), full_page=True)

        page.goto(f"{live_server.url}/agri/letters/")
        expect(page.get_by_text("东关村委会")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / f"agri-ledgers-letters-{suffix}.png"), full_page=True)

        page.goto(f"{live_server.url}/agri/letters/new/")
        expect(page.locator("#id_producer")).to_be_hidden()  # 村级 by default: the village only
        page.select_option("#id_level", "producer")
        expect(page.locator("#id_producer")).to_be_visible()
        expect(page.locator("#id_village")).to_be_hidden()
        page.screenshot(path=str(SCREENSHOTS / f"agri-ledgers-letter-form-{suffix}.png"), full_page=True)

        page.goto(f"{live_server.url}/agri/waste/")
        expect(page.locator("#waste-total")).to_have_text("200.50 kg")
        page.screenshot(path=str(SCREENSHOTS / f"agri-ledgers-waste-{suffix}.png"), full_page=True)

        page.goto(f"{live_server.url}/agri/duty/?year={year}")
        if periods:
            expect(page.locator(".duty-person").first).to_contain_text("街道干部小张")
        page.screenshot(path=str(SCREENSHOTS / f"agri-ledgers-duty-{suffix}.png"), full_page=True)
        # no horizontal scrolling of the whole page at phone width
        if width == 375:
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1
        context.close()
    assert errors == []
