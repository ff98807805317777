"""The supervisor's store-inspection checklist in a real Chromium at phone width (375 px): this month's schedule,
the tri-state checklist with a finding, its note and a photo, the case it opens, then the re-check.
Screenshots go to ./screenshots/ for a person to look at."""

import os
from pathlib import Path

import pytest

from minsheng.agri import actions
from minsheng.agri.models import InspectionPhoto, StoreInspection

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"


def png_bytes() -> bytes:
    """A real 64×48 photo-like PNG (a green shelf on grey), so the page shows an image and not a broken icon."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (64, 48), (203, 213, 225))
    ImageDraw.Draw(image).rectangle((8, 10, 56, 38), fill=(22, 163, 74))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_supervisor_inspects_a_store_on_the_phone(browser, live_server, aw, password, settings, tmp_path):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    SCREENSHOTS.mkdir(exist_ok=True)
    store = actions.create_store(
        actor=aw.supervisor, name="东关农资1号店", village=aw.village_1, designated_outlet=True
    )
    actions.create_store(actor=aw.supervisor, name="东关农资2号店", village=aw.village_1)
    photo = tmp_path / "ledger.png"
    photo.write_bytes(png_bytes())

    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("手机号或用户名").fill("sup")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.goto(f"{live_server.url}/agri/inspections/schedule/")
    expect(page.locator(".stat-value")).to_have_text("0.0%")
    page.screenshot(path=str(SCREENSHOTS / "agri-inspect-1-schedule.png"))
    page.locator(".schedule-row", has_text="东关农资1号店").get_by_role("link", name="检查").click()
    expect(page.get_by_role("heading", name="门店检查")).to_be_visible()

    items = page.locator("fieldset[data-check]")
    assert items.count() == 5
    for i in range(5):
        items.nth(i).get_by_text("符合", exact=True).click()
    ledger = items.nth(0)
    ledger.get_by_text("不符合", exact=True).click()
    ledger.get_by_label("问题说明").fill("台账缺5月记录")
    ledger.locator("input[type=file]").set_input_files(str(photo))
    items.nth(3).get_by_text("不适用", exact=True).click()
    ledger.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "agri-inspect-2-checklist.png"))
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="提交检查结果").click()

    expect(page.locator("main")).to_contain_text("已生成整改案件")
    expect(page.locator("main")).to_contain_text("台账缺5月记录")
    expect(page.locator("main")).to_contain_text("整改期限")
    expect(page.locator(".photo-strip img")).to_have_js_property("naturalWidth", 64)
    page.screenshot(path=str(SCREENSHOTS / "agri-inspect-3-finding.png"), full_page=True)
    first = StoreInspection.objects.get()
    assert first.case is not None and InspectionPhoto.objects.get().code == "ledger"

    page.get_by_role("link", name="复查", exact=True).click()
    expect(page.get_by_role("heading", name="复查")).to_be_visible()
    expect(page.locator("fieldset[data-check]").first).to_contain_text("上次不符合")
    checks = page.locator("fieldset[data-check]")
    for i in range(5):
        checks.nth(i).get_by_text("符合", exact=True).click()
    page.get_by_role("button", name="提交检查结果").click()
    expect(page.locator("main")).to_contain_text("全部符合")
    recheck = StoreInspection.objects.exclude(pk=first.pk).get()
    assert recheck.recheck_of_id == first.pk and recheck.case is None

    page.goto(f"{live_server.url}/agri/inspections/schedule/")
    expect(page.locator(".stat-value")).to_have_text("50.0%")
    expect(page.locator(".schedule-row", has_text="东关农资1号店")).to_contain_text("已查")
    expect(page.locator(".schedule-row", has_text="东关农资1号店")).not_to_contain_text("有问题")
    page.screenshot(path=str(SCREENSHOTS / "agri-inspect-4-schedule-done.png"))
    assert store.inspections.count() == 2
    assert errors == [], errors
    context.close()
