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


def test_cooperative_with_members_on_a_phone_and_the_lists_at_1366(cw, browser, live_server, time_machine):
    from minsheng.cluster.choices import AgreementKind, OrgKind
    from minsheng.cluster.models import Organisation

    from .conftest import make_enterprise

    li = actions.do_register_grower(actor=None, name="李秀英", phone="13800000022", village=cw.yuezhuang)
    for n, name in enumerate(("张桂兰", "刘志强", "陈玉梅", "杨国庆")):
        actions.do_register_grower(actor=None, name=name, phone=f"1380000010{n}", village=cw.yuezhuang)
    time_machine.move_to(NOW, tick=True)
    page, errors = _page(browser, live_server.url, 375, 812, cw.supervisor, phone=True)
    page.goto("/cluster/organisations/")
    page.click("text=登记合作社/家庭农场")
    page.wait_for_url("**/organisations/new/")
    page.select_option("select[name=kind]", OrgKind.COOPERATIVE)
    page.fill("input[name=name]", "临朐县月庄大樱桃专业合作社")
    page.select_option("select[name=village]", str(cw.yuezhuang.pk))
    page.fill("input[name=leader]", "王建国")
    page.fill("[data-member-filter]", "李")
    assert page.locator(".cl-member:visible").count() == 1  # the filter narrows the checklist
    page.check(f"input[name=members][value='{li.pk}']")
    page.fill("[data-member-filter]", "")
    page.check(f"input[name=members][value='{cw.grower.pk}']")
    assert "2" in page.inner_text("[data-member-count]")
    page.screenshot(path=str(SHOTS / "organisation-new-375.png"), full_page=True)
    page.mouse.wheel(0, 2000)
    page.screenshot(path=str(SHOTS / "organisation-new-375-bottom.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/organisations/?q=*")
    coop = Organisation.objects.get()
    assert set(coop.members.all()) == {cw.grower, li}
    assert "临朐县月庄大樱桃专业合作社" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "organisations-375.png"), full_page=True)
    page.mouse.wheel(0, 2000)
    page.screenshot(path=str(SHOTS / "organisations-375-bottom.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for path, name in (
        ("/cluster/agreements/new/", "agreement-new"),
        ("/cluster/centres/new/", "centre-new"),
    ):
        page.goto(path)
        page.screenshot(path=str(SHOTS / f"{name}-375.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    assert not errors

    for n in range(6):
        farm = actions.do_create_organisation(
            actor=None,
            kind=OrgKind.FAMILY_FARM if n % 2 else OrgKind.COOPERATIVE,
            name=f"衡里炉{n + 1}号家庭农场" if n % 2 else f"衡里炉樱桃合作社{n + 1}",
            village=cw.henglilu,
            leader="赵四",
        )
        if n == 0:
            ent = make_enterprise("千喜鹤", "91370724MA0000003X", cw.w.street)
            actions.do_record_agreement(
                actor=None,
                enterprise=ent,
                kind=AgreementKind.PURCHASE,
                subject="收购加工级大樱桃",
                signed_on=NOW.date(),
                organisation=farm,
                volume_kg="120000",
                amount_yuan="960000",
            )
            actions.do_record_agreement(
                actor=None,
                enterprise=ent,
                kind=AgreementKind.SERVICE,
                subject="冷链仓储与分拣服务",
                signed_on=NOW.date(),
                organisation=coop,
            )
    page, errors = _page(browser, live_server.url, 1366, 900, cw.cadre)
    page.goto("/cluster/organisations/")
    assert page.locator("table.cl-rows tbody tr").count() == 7
    page.screenshot(path=str(SHOTS / "organisations-1366.png"), full_page=True)
    page.click("text=龙头企业带动协议")
    page.wait_for_url("**/agreements/")
    assert page.locator("table.cl-rows tbody tr").count() == 2
    page.screenshot(path=str(SHOTS / "agreements-1366.png"), full_page=True)
    page.goto("/cluster/centres/")
    page.screenshot(path=str(SHOTS / "centres-1366.png"), full_page=True)
    page.goto(f"/cluster/organisations/{coop.pk}/edit/")
    assert page.locator("input[name=members]:checked").count() == 2
    page.screenshot(path=str(SHOTS / "organisation-edit-1366.png"), full_page=True)
    assert not errors
