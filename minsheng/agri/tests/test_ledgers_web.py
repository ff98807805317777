"""The ledger pages and /api/v1/agri/ ledger endpoints: who sees and changes what, bad input as 400, and the
demonstration data loader."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.agri import actions, queries
from minsheng.agri.choices import LetterLevel, ProducerKind, RapidMethod, SampleLevel, TaskKind
from minsheng.agri.models import (
    Campaign,
    DutyShift,
    Producer,
    PublicityRecord,
    ResponsibilityLetter,
    Sample,
    SamplingTask,
    WasteRecovery,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 9, 15, 10, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _now(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def cadre(aw, password):
    user = account_actions.create_user(
        username="cadre", display_name="街道干部小张", phone="13900000009", password=password
    )
    account_actions.grant_membership(user=user, role=Role.STREET_CADRE, node=aw.w.street)
    return user


def letter(aw, village, year=2026):
    return actions.record_letter(
        actor=aw.w.admin,
        level=LetterLevel.VILLAGE,
        year=year,
        signed_on=dt.date(2026, 1, 5),
        village=village,
        party_a="街道",
        party_b=f"{village.name}村委会",
    )


PAGES = [
    "agri:letters",
    "agri:letter_new",
    "agri:publicity",
    "agri:publicity_new",
    "agri:waste",
    "agri:waste_new",
    "agri:campaigns",
    "agri:campaign_new",
    "agri:tasks",
    "agri:task_new",
    "agri:pass_rates",
    "agri:duty",
    "agri:io",
]


def test_pages_render_for_the_street_admin(aw, client_for):
    c = client_for(aw.w.admin)
    for name in PAGES:
        response = c.get(reverse(name))
        assert response.status_code == 200, name


def test_pages_need_agri_view(aw, client_for):
    c = client_for(aw.w.grid_a)  # a grid worker: staff, but no agri capability
    for name in ("agri:letters", "agri:waste", "agri:tasks", "agri:duty", "agri:io", "agri:pass_rates"):
        assert c.get(reverse(name)).status_code == 403, name
    # the supervisor reads, but does not manage campaigns or tasks
    s = client_for(aw.supervisor)
    assert s.get(reverse("agri:letters")).status_code == 200
    assert s.get(reverse("agri:campaign_new")).status_code == 403
    assert s.get(reverse("agri:task_new")).status_code == 403


def test_letter_page_is_scoped_and_scan_served_in_scope(aw, client_for):
    mine, other = letter(aw, aw.village_1), letter(aw, aw.village_2)
    other.scan.save("x.pdf", SimpleUploadedFile("x.pdf", b"%PDF-1.4 other"))
    page = client_for(aw.supervisor).get(reverse("agri:letters"), {"year": 2026})
    assert mine.party_b in page.content.decode() and other.party_b not in page.content.decode()
    assert client_for(aw.supervisor).get(reverse("agri:letter_scan", args=[other.pk])).status_code == 404
    response = client_for(aw.w.admin).get(reverse("agri:letter_scan", args=[other.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 other"


def test_letter_form_with_scan(aw, client_for):
    c = client_for(aw.supervisor)
    response = c.post(
        reverse("agri:letter_new"),
        {
            "level": "village",
            "year": 2026,
            "signed_on": "2026-01-08",
            "village": aw.village_1.pk,
            "party_a": "街道",
            "party_b": "东关村委会",
            "scan": SimpleUploadedFile("scan.png", b"\x89PNG\r\n", content_type="image/png"),
        },
    )
    assert response.status_code == 302
    assert ResponsibilityLetter.objects.get().scan.name.endswith(".png")
    # the same village again: the action's message on the form, 400
    again = c.post(
        reverse("agri:letter_new"),
        {
            "level": "village",
            "year": 2026,
            "signed_on": "2026-01-08",
            "village": aw.village_1.pk,
            "party_a": "街道",
            "party_b": "东关村委会",
        },
    )
    assert again.status_code == 400 and "已登记" in again.content.decode()


def test_waste_page_totals_and_bad_input(aw, client_for):
    store = actions.create_store(actor=aw.w.admin, name="东关农资店", village=aw.village_1)
    c = client_for(aw.supervisor)
    assert (
        c.post(
            reverse("agri:waste_new"), {"recovered_on": "2026-09-01", "store": store.pk, "kg": "5540"}
        ).status_code
        == 302
    )
    bad = c.post(reverse("agri:waste_new"), {"recovered_on": "2026-09-01", "store": store.pk, "kg": "0"})
    assert bad.status_code == 400
    page = client_for(aw.w.admin).get(reverse("agri:waste"))
    html = page.content.decode()
    assert "5540.00 kg" in html and "约 5.54 吨" in html
    assert WasteRecovery.objects.count() == 1


def test_publicity_form(aw, client_for):
    c = client_for(aw.supervisor)
    data = {"given_on": "2026-09-01", "village": aw.village_1.pk, "material": "明白纸", "quantity": 300}
    assert c.post(reverse("agri:publicity_new"), data).status_code == 302
    # another village is not offered to him
    assert c.post(reverse("agri:publicity_new"), {**data, "village": aw.village_2.pk}).status_code == 400
    assert PublicityRecord.objects.count() == 1


def test_tasks_page_suggests_and_creates_pre_holiday_sampling(aw, client_for, cadre):
    c = client_for(cadre)
    page = c.get(reverse("agri:tasks")).content.decode()
    assert "国庆节" in page and "2026-09-28" in page
    period = next(s.period for s in queries.pre_holiday_suggestions(NOW.date()) if s.period.name == "国庆节")
    response = c.post(reverse("agri:task_pre_holiday"), {"period": period.key})
    task = SamplingTask.objects.get(kind=TaskKind.PRE_HOLIDAY)
    assert response.status_code == 302 and response.url == reverse("agri:task", args=[task.pk])
    assert (task.start, task.end, task.node) == (dt.date(2026, 9, 28), dt.date(2026, 9, 30), aw.w.street)


def test_task_detail_counts_matching_samples(aw, client_for, cadre):
    task = actions.create_task(
        actor=cadre,
        name="九月街道抽检",
        level=SampleLevel.STREET,
        node=aw.w.street,
        start=dt.date(2026, 9, 1),
        end=dt.date(2026, 9, 30),
        weekly_quota=10,
    )
    s = actions.record_sample(
        actor=aw.supervisor,
        commodity=aw.commodity("豇豆"),
        village=aw.village_1,
        level=SampleLevel.STREET,
        stall="摊位",
        sampled_at=dt.datetime(2026, 9, 8, 9, tzinfo=TZ),
    )
    c = client_for(cadre)
    assert "有 1 批符合本任务条件" in c.get(reverse("agri:task", args=[task.pk])).content.decode()
    assert c.post(reverse("agri:task", args=[task.pk])).status_code == 302
    s.refresh_from_db()
    assert s.task == task
    page = c.get(reverse("agri:task", args=[task.pk])).content.decode()
    assert "2026年第37周" in page


def test_duty_page(aw, client_for, cadre):
    c = client_for(aw.w.admin)
    page = c.get(reverse("agri:duty"), {"year": 2026}).content.decode()
    assert "国庆节" in page and "春节" in page
    ok = c.post(
        reverse("agri:duty") + "?year=2026", {"day": "2026-10-03", "node": aw.w.street.pk, "person": cadre.pk}
    )
    assert ok.status_code == 302
    assert DutyShift.objects.get().phone == "13900000009"
    bad = c.post(reverse("agri:duty"), {"day": "2026-10-09", "node": aw.w.street.pk, "person": cadre.pk})
    assert bad.status_code == 400 and "不是法定节假日" in bad.content.decode()
    assert "尚未包含2027年" in c.get(reverse("agri:duty"), {"year": 2027}).content.decode()
    # the supervisor sees the roster but cannot add to it
    assert client_for(aw.supervisor).post(reverse("agri:duty"), {"day": "2026-10-04"}).status_code == 403


def test_campaign_pages(aw, client_for, cadre):
    c = client_for(cadre)
    response = c.post(
        reverse("agri:campaign_new"),
        {"name": "治违禁 控药残 促提升", "start": "2026-01-01", "end": "2026-12-31"},
    )
    campaign = Campaign.objects.get()
    assert response.url == reverse("agri:campaign", args=[campaign.pk])
    ginger_like = aw.commodity("辣椒")
    c.post(
        reverse("agri:campaign", args=[campaign.pk]),
        {"commodity": ginger_like.pk, "pesticides": [aw.pesticide("噻虫胺").pk], "source": "街道方案"},
    )
    page = c.get(reverse("agri:campaign", args=[campaign.pk])).content.decode()
    assert "辣椒" in page and "噻虫胺" in page
    assert (
        client_for(aw.supervisor)
        .post(reverse("agri:campaign", args=[campaign.pk]), {"commodity": ginger_like.pk})
        .status_code
        == 403
    )


def xlsx(headers, rows):
    workbook = Workbook()
    ws = workbook.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "producers.xlsx"
    return out


def test_io_pages(aw, client_for, cadre):
    c = client_for(aw.w.admin)
    headers = ["名称", "类型", "所在村"]
    bad = c.post(
        reverse("agri:io_import", args=["agri-producers"]),
        {"file": xlsx(headers, [["甲", "合作社", "东关村"], ["乙", "合作社", "火星村"]])},
    )
    assert bad.status_code == 400
    assert "整个文件未导入" in bad.content.decode() and "火星村" in bad.content.decode()
    # The shared import page, with the agri office's own links
    assert reverse("agri:io_template", args=["agri-producers"]) in bad.content.decode()
    assert f'href="{reverse("agri:io")}"' in bad.content.decode()
    assert Producer.objects.count() == 0
    good = c.post(
        reverse("agri:io_import", args=["agri-producers"]),
        {"file": xlsx(headers, [["甲", "合作社", "东关村"]])},
    )
    assert good.status_code == 200 and Producer.objects.count() == 1
    exported = c.get(reverse("agri:io_export", args=["agri-producers"]))
    rows = list(
        load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[1][:3] == ("甲", "合作社", "城关街道 东关村")
    template = c.get(reverse("agri:io_template", args=["agri-limits"]))
    assert template.status_code == 200
    # a cadre manages the ledgers but not the reference data
    cc = client_for(cadre)
    assert cc.get(reverse("agri:io_import", args=["agri-limits"])).status_code == 403
    assert cc.get(reverse("agri:io_export", args=["agri-limits"])).status_code == 200
    assert client_for(aw.w.admin).get(reverse("agri:io_export", args=["nope"])).status_code == 404


# -- API -----------------------------------------------------------------------------------------------------


def test_api_letters(aw, api_for):
    api = api_for(aw.supervisor)
    data = {
        "level": "village",
        "year": 2026,
        "signed_on": "2026-01-08",
        "party_a": "街道",
        "party_b": "村委会",
    }
    created = api.post("/api/v1/agri/letters/", {**data, "village": aw.village_1.pk}, format="multipart")
    assert created.status_code == 201, created.content
    # another village does not exist for him; a village he sees but does not record in gives 403
    assert api.post("/api/v1/agri/letters/", {**data, "village": aw.village_2.pk}).status_code == 400
    bad = api.post("/api/v1/agri/letters/", {**data, "village": aw.village_1.pk, "signed_on": "2026-12-01"})
    assert bad.status_code == 400 and "signed_on" in bad.json()
    letter(aw, aw.village_2)
    assert [r["village_name"] for r in api.get("/api/v1/agri/letters/").json()["results"]] == ["东关村"]
    coverage = {
        r["level"]: r for r in api_for(aw.w.admin).get("/api/v1/agri/letters/coverage/?year=2026").json()
    }
    assert (coverage["village"]["covered"], coverage["village"]["total"], coverage["village"]["rate"]) == (
        2,
        2,
        100.0,
    )
    assert api_for(aw.w.grid_a).get("/api/v1/agri/letters/").status_code == 403


def test_api_waste_and_publicity(aw, api_for):
    api = api_for(aw.supervisor)
    assert (
        api.post(
            "/api/v1/agri/waste/", {"recovered_on": "2026-09-01", "village": aw.village_1.pk, "kg": "12.5"}
        ).status_code
        == 201
    )
    assert (
        api.post(
            "/api/v1/agri/waste/", {"recovered_on": "2026-08-01", "village": aw.village_1.pk, "kg": "7.5"}
        ).status_code
        == 201
    )
    assert (
        api.post(
            "/api/v1/agri/waste/", {"recovered_on": "2026-09-01", "village": aw.village_1.pk, "kg": "-1"}
        ).status_code
        == 400
    )
    totals = api.get("/api/v1/agri/waste/totals/").json()
    assert Decimal(totals["total_kg"]) == Decimal("20")
    assert [(m["month"], Decimal(m["kg"])) for m in totals["by_month"]] == [
        ("2026-08-01", Decimal("7.5")),
        ("2026-09-01", Decimal("12.5")),
    ]
    assert Decimal(api.get("/api/v1/agri/waste/totals/?start=2026-09-01").json()["total_kg"]) == Decimal(
        "12.5"
    )
    assert api.get("/api/v1/agri/waste/totals/?start=bad").status_code == 400
    created = api.post(
        "/api/v1/agri/publicity/",
        {"given_on": "2026-09-01", "village": aw.village_1.pk, "material": "明白纸", "quantity": 50},
    )
    assert created.status_code == 201 and created.json()["quantity"] == 50


def test_api_campaigns_tasks_and_pass_rates(aw, api_for, cadre):
    api = api_for(cadre)
    campaign = api.post(
        "/api/v1/agri/campaigns/",
        {
            "name": "治违禁 控药残 促提升",
            "start": "2026-01-01",
            "end": "2026-12-31",
            "products": [
                {
                    "commodity": aw.commodity("豇豆").pk,
                    "pesticides": [aw.pesticide("克百威").pk],
                    "source": "方案",
                }
            ],
        },
        format="json",
    )
    assert campaign.status_code == 201, campaign.content
    assert campaign.json()["products"][0]["pesticide_names"] == ["克百威"]
    task = api.post(
        "/api/v1/agri/tasks/",
        {
            "name": "专项",
            "kind": "campaign",
            "level": "street",
            "node": aw.w.street.pk,
            "campaign": campaign.json()["id"],
            "start": "2026-09-07",
            "end": "2026-09-13",
            "weekly_quota": 1,
        },
        format="json",
    )
    assert task.status_code == 201, task.content
    task_id = task.json()["id"]
    assert api_for(aw.supervisor).post(
        "/api/v1/agri/tasks/", {**task.json(), "id": None}, format="json"
    ).status_code in (400, 403)
    s = actions.record_sample(
        actor=aw.supervisor,
        commodity=aw.commodity("豇豆"),
        village=aw.village_1,
        level=SampleLevel.STREET,
        stall="摊位",
        sampled_at=dt.datetime(2026, 9, 8, 9, tzinfo=TZ),
    )
    actions.record_rapid_test(
        actor=aw.supervisor, sample=s, method=RapidMethod.ENZYME, delta_a0="0.3", delta_at="0.29"
    )
    assigned = api_for(aw.supervisor).post(f"/api/v1/agri/tasks/{task_id}/assign/", {"sample": s.pk})
    assert assigned.status_code == 200
    weeks = api.get(f"/api/v1/agri/tasks/{task_id}/compliance/").json()
    assert [(w["iso_week"], w["count"], w["met"]) for w in weeks] == [(37, 1, True)]
    rates = {r["label"]: r for r in api.get("/api/v1/agri/pass-rates/?by=campaign").json()}
    assert rates["治违禁 控药残 促提升"]["rate"] == 100.0
    assert api.get("/api/v1/agri/pass-rates/?by=nope").status_code == 400
    suggestions = api.get("/api/v1/agri/tasks/pre-holiday/").json()
    assert {s["holiday"] for s in suggestions} >= {"中秋节", "国庆节"}
    # a sample of another level is refused with the reason
    county = actions.record_sample(
        actor=aw.supervisor,
        commodity=aw.commodity("豇豆"),
        village=aw.village_1,
        level=SampleLevel.COUNTY,
        stall="摊位",
        sampled_at=dt.datetime(2026, 9, 8, 9, tzinfo=TZ),
    )
    refused = api.post(f"/api/v1/agri/tasks/{task_id}/assign/", {"sample": county.pk})
    assert refused.status_code == 400 and "级别" in str(refused.json())
    assert Sample.objects.filter(task_id=task_id).count() == 1


def test_api_duty(aw, api_for, cadre):
    api = api_for(aw.w.admin)
    holidays = api.get("/api/v1/agri/duty/holidays/?year=2026").json()
    assert {"name": "国庆节", "start": "2026-10-01", "end": "2026-10-07"} in holidays
    assert api.get("/api/v1/agri/duty/holidays/?year=2027").json() == []
    created = api.post(
        "/api/v1/agri/duty/",
        {"day": "2026-10-01", "node": aw.w.street.pk, "person": cadre.pk, "leader": True},
    )
    assert created.status_code == 201 and created.json()["holiday"] == "国庆节"
    assert (
        api.post(
            "/api/v1/agri/duty/", {"day": "2026-10-08", "node": aw.w.street.pk, "person": cadre.pk}
        ).status_code
        == 400
    )
    assert api_for(aw.supervisor).post(
        "/api/v1/agri/duty/", {"day": "2026-10-02", "node": aw.w.street.pk, "person": cadre.pk}
    ).status_code in (400, 403)
    assert api.delete(f"/api/v1/agri/duty/{created.json()['id']}/").status_code == 204
    assert DutyShift.objects.count() == 0


def test_demo_ledgers_load_once(aw, monkeypatch, cadre):
    from minsheng.agri import demo_ledgers

    monkeypatch.setattr("minsheng.org.demo.STREET_NAME", aw.w.street.name)
    actions.create_producer(
        actor=aw.w.admin, name="东关合作社", kind=ProducerKind.COOPERATIVE, village=aw.village_1
    )
    actions.create_store(actor=aw.w.admin, name="东关农资店", village=aw.village_1)
    out = io.StringIO()
    demo_ledgers.load_ledgers(out)
    assert "已加载农业台账演示数据" in out.getvalue()
    campaign = Campaign.objects.get(name=demo_ledgers.CAMPAIGN_NAME)
    assert campaign.products.filter(commodity__name="辣椒").exists()
    assert ResponsibilityLetter.objects.filter(level="village").count() == 2
    assert WasteRecovery.objects.exists() and DutyShift.objects.exists()
    assert all("演示" in s.note for s in DutyShift.objects.all())
    counts = (ResponsibilityLetter.objects.count(), WasteRecovery.objects.count(), DutyShift.objects.count())
    demo_ledgers.load_ledgers(out)
    assert "已存在" in out.getvalue()
    assert counts == (
        ResponsibilityLetter.objects.count(),
        WasteRecovery.objects.count(),
        DutyShift.objects.count(),
    )


def test_scan_uploaded_later(aw, client_for):
    mine, other = letter(aw, aw.village_1), letter(aw, aw.village_2)
    c = client_for(aw.supervisor)
    url = reverse("agri:letter_scan", args=[mine.pk])
    assert c.post(url, {"scan": SimpleUploadedFile("a.txt", b"x")}).status_code == 302
    mine.refresh_from_db()
    assert not mine.scan  # refused: not a PDF or image
    c.post(url, {"scan": SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed")})
    mine.refresh_from_db()
    assert mine.scan.read() == b"%PDF-1.4 signed"
    # another village's letter is not his to change
    assert (
        c.post(
            reverse("agri:letter_scan", args=[other.pk]), {"scan": SimpleUploadedFile("x.pdf", b"%PDF")}
        ).status_code
        == 404
    )


def test_api_scan_upload(aw, api_for):
    mine = letter(aw, aw.village_1)
    api = api_for(aw.supervisor)
    url = f"/api/v1/agri/letters/{mine.pk}/scan/"
    bad = api.post(url, {"scan": SimpleUploadedFile("a.exe", b"MZ")}, format="multipart")
    assert bad.status_code == 400 and "scan" in bad.json()
    ok = api.post(url, {"scan": SimpleUploadedFile("a.jpg", b"\xff\xd8\xff")}, format="multipart")
    assert ok.status_code == 200 and ok.json()["has_scan"] is True
    other = letter(aw, aw.village_2)
    assert (
        api.post(
            f"/api/v1/agri/letters/{other.pk}/scan/",
            {"scan": SimpleUploadedFile("a.jpg", b"x")},
            format="multipart",
        ).status_code
        == 404
    )
