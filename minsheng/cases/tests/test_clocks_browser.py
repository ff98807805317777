"""The engine as its users meet it, in a real Chromium at 1366 px and 375 px: a case past its 受理时限 shows red in
the list and on its page, an alarm's case names and links its source, the dispatch form groups and searches the
units, and the case map draws cases filed at a place with the grids as its base (no tile server)."""

import datetime as dt
import importlib
import os
import tempfile
from pathlib import Path

import pytest
from django.apps import apps

from minsheng.cases import actions
from minsheng.cases.choices import Channel, UnitKind
from minsheng.cases.models import Unit
from minsheng.cases.tests.test_workbench_browser import Person
from minsheng.core import clock

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("MINSHENG_SHOTS") or tempfile.mkdtemp(prefix="clocks-"))
VIEWPORTS = {"desktop": {"width": 1366, "height": 800}, "phone": {"width": 375, "height": 812}}


@pytest.fixture(autouse=True)
def _case_defaults(transactional_db):
    importlib.import_module("minsheng.cases.migrations.0002_defaults").add_defaults(apps, None)


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_overdue_registration_source_dispatch_and_map(browser, live_server, cw, size, settings):
    from playwright.sync_api import expect

    settings.MINSHENG_MAP_TILES = ""
    w = cw.w
    Unit.objects.create(name="颐和物业服务中心", kind=UnitKind.PROPERTY, node=w.estate_a)
    with clock.at(clock.now() - dt.timedelta(days=5)):
        late = actions.do_register(
            actor=None,
            kind="appeal",
            channel=Channel.SYSTEM,
            category=cw.cat_sewer,
            title="颐和家园2号楼门前污水井外溢",
            description="颐和家园2号楼门前污水井外溢，系统转入后无人受理。",
            node=w.building_a,
        )
    fresh = actions.do_accept(
        actions.do_register(
            actor=w.grid_a,
            kind="appeal",
            channel=Channel.GRID_PATROL,
            category=cw.cat_sewer,
            description="颐和家园1号楼下水道堵塞",
            node=w.building_a,
        ),
        actor=w.worker_a,
    )
    phone = size == "phone"
    worker = Person(browser, live_server.url, w.worker_a, VIEWPORTS[size], phone)
    page = worker.page

    page.goto("/cases/overdue/")
    expect(page.get_by_text(late.number).first).to_be_visible()
    page.screenshot(path=str(SHOTS / f"clocks-{size}-overdue.png"), full_page=True)

    page.goto(f"/cases/{late.pk}/")
    expect(page.locator(".case-clock")).to_contain_text("受理时限")
    expect(page.locator(".case-head .badge-red, .case-clock .badge-red").first).to_be_visible()
    page.screenshot(path=str(SHOTS / f"clocks-{size}-late-case.png"), full_page=True)

    page.goto(f"/cases/{fresh.pk}/")
    dispatch = page.locator("summary", has_text="派遣").first
    if dispatch.count():
        dispatch.click()
    search = page.locator("input[data-unit-search]")
    expect(search).to_be_visible()
    search.fill("物业")
    assert page.locator("#dispatch-unit").input_value() == str(Unit.objects.get(name="颐和物业服务中心").pk)
    page.screenshot(path=str(SHOTS / f"clocks-{size}-dispatch.png"), full_page=True)

    page.goto("/cases/map/")
    expect(page.locator("#case-map[data-case-count]")).to_have_attribute("data-case-count", "2")
    assert "map-no-tiles" in page.locator("#case-map").get_attribute("class")
    page.wait_for_timeout(400)
    page.screenshot(path=str(SHOTS / f"clocks-{size}-map.png"), full_page=False)
    # the case table in English keeps its columns readable (no two-character 地点 column, nothing cut off)
    worker.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto("/cases/all/")
    page.screenshot(path=str(SHOTS / f"clocks-{size}-list-en.png"), full_page=True)
    if not phone:
        place = page.locator("td.cell-place").first.bounding_box()
        assert place["width"] >= 90, place
        table = page.locator("table.case-table").bounding_box()
        assert table["x"] + table["width"] <= VIEWPORTS[size]["width"] + 1
    assert not worker.errors, worker.errors
