"""/api/v1/agri/ producers, stores, inspections, lab results and follow-up tasks: scoped reads (another village's
row is 404), writes through the actions (403 outside the recorder's villages, 400 with field messages), filters."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.agri import actions
from minsheng.agri.choices import CHECKLIST_CODES, CheckResult, ProducerKind, RapidMethod, SampleStatus
from minsheng.agri.models import AgriInputStore, InspectionPhoto, Producer, Sample, StoreInspection

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 5, 20, 9, 0, tzinfo=TZ)
BASE = "/api/v1/agri/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _now(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sup2(aw, password):
    user = account_actions.create_user(username="sup2", display_name="村级监管员老王", password=password)
    account_actions.grant_membership(user=user, role=Role.VILLAGE_SUPERVISOR, node=aw.village_2)
    return user


def test_producers_crud_search_and_scope(aw, api_for, sup2):
    api = api_for(aw.supervisor)
    response = api.post(
        f"{BASE}producers/",
        {
            "name": "王家庄豇豆合作社",
            "kind": "cooperative",
            "village": aw.village_1.pk,
            "crops": ["豇豆"],
            "area_mu": "120.5",
            "phone": "13912345678",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    pk = response.data["id"]
    assert response.data["phone_masked"] == "139****5678" and "phone" not in response.data
    # Another village: not a village he can name (400), and nothing written.
    outside = api.post(
        f"{BASE}producers/", {"name": "越界", "kind": "grower", "village": aw.village_2.pk}, format="json"
    )
    assert outside.status_code == 400 and "village" in outside.data
    bad = api.post(
        f"{BASE}producers/",
        {"name": "坏代码", "kind": "grower", "village": aw.village_1.pk, "credit_code": "123"},
        format="json",
    )
    assert bad.status_code == 400 and "credit_code" in bad.data
    actions.create_producer(actor=sup2, name="西关韭菜种植户", kind=ProducerKind.GROWER, village=aw.village_2)
    assert [p["name"] for p in api.get(f"{BASE}producers/").data["results"]] == ["王家庄豇豆合作社"]
    assert [p["name"] for p in api.get(f"{BASE}producers/", {"search": "wjz"}).data["results"]] == [
        "王家庄豇豆合作社"
    ]
    assert api.get(f"{BASE}producers/", {"crop": "韭菜"}).data["results"] == []
    west = Producer.objects.get(name="西关韭菜种植户")
    assert api.get(f"{BASE}producers/{west.pk}/").status_code == 404
    assert api.patch(f"{BASE}producers/{west.pk}/", {"name": "x"}, format="json").status_code == 404
    # The 街道 admin sees both.
    assert api_for(aw.w.admin).get(f"{BASE}producers/").data["count"] == 2
    response = api.patch(
        f"{BASE}producers/{pk}/", {"name": "王家庄蔬菜合作社", "crops": ["豇豆", "韭菜"]}, format="json"
    )
    assert response.status_code == 200 and sorted(response.data["crops"]) == ["豇豆", "韭菜"]
    detail = api.get(f"{BASE}producers/{pk}/").data
    assert detail["name"] == "王家庄蔬菜合作社" and detail["samples"] == [] and detail["certificates"] == []
    # No agri capability: refused at the door.
    assert api_for(aw.w.grid_a).get(f"{BASE}producers/").status_code == 403


def test_stores_create_update_and_scope(aw, api_for, sup2):
    api = api_for(aw.supervisor)
    response = api.post(
        f"{BASE}stores/",
        {"name": "东关农资店", "village": aw.village_1.pk, "designated_outlet": True},
        format="json",
    )
    assert response.status_code == 201, response.data
    store = AgriInputStore.objects.get()
    assert (
        api.patch(f"{BASE}stores/{store.pk}/", {"address": "东关村村委东50米"}, format="json").status_code
        == 200
    )
    store.refresh_from_db()
    assert store.address == "东关村村委东50米"
    assert api.get(f"{BASE}stores/", {"designated_outlet": "true"}).data["count"] == 1
    assert api_for(sup2).get(f"{BASE}stores/{store.pk}/").status_code == 404
    assert (
        api.post(f"{BASE}stores/", {"name": "", "village": aw.village_1.pk}, format="json").status_code == 400
    )


def test_inspection_with_finding_photo_schedule_and_recheck(aw, api_for, sup2):
    store = actions.create_store(actor=aw.supervisor, name="东关农资店", village=aw.village_1)
    actions.create_store(actor=sup2, name="西关农资店", village=aw.village_2)
    api = api_for(aw.supervisor)
    answers = dict.fromkeys(CHECKLIST_CODES, CheckResult.YES)
    missing_note = api.post(
        f"{BASE}inspections/", {"store": store.pk, "answers": {**answers, "ledger": "no"}}, format="json"
    )
    assert missing_note.status_code == 400 and "notes" in missing_note.data
    response = api.post(
        f"{BASE}inspections/",
        {
            "store": store.pk,
            "answers": json.dumps({**answers, "waste_recovery": "no"}),
            "notes": json.dumps({"waste_recovery": "无回收台账"}),
            "photo_waste_recovery": SimpleUploadedFile("bin.png", PNG, content_type="image/png"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.data
    first = response.data
    assert first["case"] and first["case_due"] is None and first["photos"][0]["code"] == "waste_recovery"
    assert InspectionPhoto.objects.count() == 1
    schedule = api_for(aw.w.admin).get(f"{BASE}inspections/schedule/").data
    assert (schedule["month"], schedule["inspected"], schedule["stores"]) == ("2026-05", 1, 2)
    assert [r["supervisors"] for r in schedule["rows"]] == [["村级监管员老李"], ["村级监管员老王"]]
    assert api.get(f"{BASE}inspections/schedule/", {"month": "May"}).status_code == 400
    recheck = api.post(
        f"{BASE}inspections/",
        {"store": store.pk, "answers": answers, "recheck_of": first["id"]},
        format="json",
    )
    assert (
        recheck.status_code == 201
        and recheck.data["recheck_of"] == first["id"]
        and recheck.data["case"] is None
    )
    assert api.get(f"{BASE}inspections/", {"findings": "true"}).data["count"] == 1
    # The other village's supervisor cannot inspect this store.
    assert (
        api_for(sup2)
        .post(f"{BASE}inspections/", {"store": store.pk, "answers": answers}, format="json")
        .status_code
        == 400
    )
    assert StoreInspection.objects.count() == 2


def test_lab_results_gold_card_and_follow_up_through_the_api(aw, api_for):
    producer = actions.create_producer(
        actor=aw.supervisor, name="王家庄豇豆合作社", kind=ProducerKind.COOPERATIVE, village=aw.village_1
    )
    api = api_for(aw.supervisor)
    record = {
        "commodity": "豆角",
        "village": aw.village_1.pk,
        "producer": producer.pk,
        "method": RapidMethod.GOLD,
        "pesticide": "克百威",
    }
    invalid = api.post(f"{BASE}samples/", {**record, "card_invalid": True}, format="json")
    assert invalid.status_code == 400 and "positive" in invalid.data and not Sample.objects.exists()
    sample_id = api.post(f"{BASE}samples/", {**record, "positive": True}, format="json").data["id"]
    for positive in (False, True):
        api.post(
            f"{BASE}samples/{sample_id}/rapid-tests/",
            {"method": RapidMethod.GOLD, "pesticide": "克百威", "positive": positive},
            format="json",
        )
    assert Sample.objects.get(pk=sample_id).status == SampleStatus.CONFIRMING
    bad = api.post(f"{BASE}samples/{sample_id}/lab-results/", {"results": []}, format="json")
    assert bad.status_code == 400
    response = api.post(
        f"{BASE}samples/{sample_id}/lab-results/",
        {"results": [{"pesticide": "克百威", "mg_per_kg": "0.05"}]},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["status"] == "failed" and response.data["lab_results"][0]["verdict"] == "banned"
    assert response.data["case"]
    assert [s["id"] for s in api.get(f"{BASE}samples/awaiting-follow-up/").data["results"]] == [sample_id]
    follow = api.post(
        f"{BASE}samples/",
        {
            **record,
            "method": RapidMethod.ENZYME,
            "delta_a0": "0.3",
            "delta_at": "0.29",
            "follow_up_of": sample_id,
        },
        format="json",
    )
    assert follow.status_code == 201 and follow.data["follow_up_of"] == sample_id
    assert api.get(f"{BASE}samples/awaiting-follow-up/").data["results"] == []
    detail = api.get(f"{BASE}producers/{producer.pk}/").data
    failed = next(s for s in detail["samples"] if s["id"] == sample_id)
    assert failed["follow_ups"] == [follow.data["id"]] and failed["case"] == response.data["case"]
