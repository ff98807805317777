"""The registries and what hangs off them, through the test client: the producer page, stores and their monthly
inspections (schedule, coverage, the checklist opening a case, photos, re-checks), lab result entry judged on the
sample date, colloidal-gold cards in the field flow, and follow-up sampling closing the loop. And who may do what:
a 村级监管员 records only in his villages, someone without agri capabilities is refused."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.agri import actions
from minsheng.agri.choices import (
    CHECKLIST_CODES,
    CertificateBasis,
    CertificateStyle,
    CheckResult,
    LabVerdict,
    ProducerKind,
    RapidMethod,
    SampleLevel,
    SampleStatus,
)
from minsheng.agri.models import AgriInputStore, InspectionPhoto, Producer, RapidTest, Sample, StoreInspection
from minsheng.cases.models import Case
from minsheng.core import clock

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 5, 20, 9, 0, tzinfo=TZ)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ALL_YES = dict.fromkeys(CHECKLIST_CODES, CheckResult.YES)


@pytest.fixture(autouse=True)
def _now(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def grower(aw):
    return actions.create_producer(
        actor=aw.supervisor,
        name="王家庄豇豆合作社",
        kind=ProducerKind.COOPERATIVE,
        village=aw.village_1,
        crops=[aw.commodity("豇豆")],
        area_mu=Decimal("120.5"),
        phone="13912345678",
    )


@pytest.fixture
def west(aw, password):
    """Village 2's own supervisor and a producer there."""
    sup2 = account_actions.create_user(username="sup2", display_name="村级监管员老王", password=password)
    account_actions.grant_membership(user=sup2, role=Role.VILLAGE_SUPERVISOR, node=aw.village_2)
    producer = actions.create_producer(
        actor=sup2, name="西关韭菜种植户", kind=ProducerKind.GROWER, village=aw.village_2
    )
    return sup2, producer


def confirming(aw, producer=None, name="豇豆", sampled_at=None):
    sample = actions.record_sample(
        actor=aw.supervisor,
        commodity=aw.commodity(name),
        village=aw.village_1,
        level=SampleLevel.STREET,
        producer=producer,
        stall="" if producer else "东关集市3号摊",
        sampled_at=sampled_at,
    )
    for _ in range(2):
        actions.record_rapid_test(
            actor=aw.supervisor, sample=sample, method=RapidMethod.ENZYME, delta_a0="0.3", delta_at="0.1"
        )
    sample.refresh_from_db()
    assert sample.status == SampleStatus.CONFIRMING
    return sample


def failed_sample(aw, producer):
    sample = confirming(aw, producer)
    actions.record_lab_results(actor=aw.supervisor, sample=sample, results=[(aw.pesticide("克百威"), "0.05")])
    sample.refresh_from_db()
    return sample


# -- scoping and permissions --------------------------------------------------------------------------------------


def test_supervisor_sees_and_records_only_in_his_villages(aw, client_for, grower, west):
    sup2, west_producer = west
    client = client_for(aw.supervisor)
    page = client.get(reverse("agri:producers")).content.decode()
    assert "王家庄豇豆合作社" in page and "西关韭菜种植户" not in page
    assert client.get(reverse("agri:producer_detail", args=[west_producer.pk])).status_code == 404
    assert client.get(reverse("agri:producer_edit", args=[west_producer.pk])).status_code == 404
    # The form offers only his village; posting the other one is refused by the form, nothing is written.
    form_page = client.get(reverse("agri:producer_create")).content.decode()
    assert "东关村" in form_page and "西关村" not in form_page
    response = client.post(
        reverse("agri:producer_create"), {"name": "越界主体", "kind": "grower", "village": aw.village_2.pk}
    )
    assert response.status_code == 200 and not Producer.objects.filter(name="越界主体").exists()
    # The other supervisor may not edit this village's producer either.
    assert client_for(sup2).get(reverse("agri:producer_edit", args=[grower.pk])).status_code == 404
    # The 街道 admin sees both villages and may edit anywhere.
    admin_page = client_for(aw.w.admin).get(reverse("agri:producers")).content.decode()
    assert "王家庄豇豆合作社" in admin_page and "西关韭菜种植户" in admin_page
    assert (
        client_for(aw.w.admin).get(reverse("agri:producer_edit", args=[west_producer.pk])).status_code == 200
    )


@pytest.mark.parametrize(
    "name", ["agri:producers", "agri:stores", "agri:inspection_schedule", "agri:follow_ups", "agri:dashboard"]
)
def test_staff_without_agri_capabilities_are_refused(aw, client_for, name):
    assert client_for(aw.w.worker_a).get(reverse(name)).status_code == 403


def test_a_supervisor_cannot_inspect_another_villages_store(aw, client_for, west):
    sup2, _producer = west
    store = actions.create_store(actor=sup2, name="西关农资店", village=aw.village_2)
    client = client_for(aw.supervisor)
    assert client.get(reverse("agri:inspection_new", args=[store.pk])).status_code == 404
    assert client.post(reverse("agri:inspection_new", args=[store.pk]), {}).status_code == 404
    assert not StoreInspection.objects.exists()


# -- producers -----------------------------------------------------------------------------------------------------


def test_producer_create_edit_and_search_by_pinyin(aw, client_for):
    client = client_for(aw.supervisor)
    bad = client.post(
        reverse("agri:producer_create"),
        {"name": "王家庄豇豆合作社", "kind": "cooperative", "village": aw.village_1.pk, "credit_code": "123"},
    )
    assert bad.status_code == 200 and "credit_code" in bad.context["form"].errors
    response = client.post(
        reverse("agri:producer_create"),
        {
            "name": "王家庄豇豆合作社",
            "kind": "cooperative",
            "village": aw.village_1.pk,
            "area_mu": "80",
            "crops": [aw.commodity("豇豆").pk],
        },
    )
    producer = Producer.objects.get()
    assert response.url == reverse("agri:producer_detail", args=[producer.pk])
    client.post(
        reverse("agri:producer_edit", args=[producer.pk]),
        {"name": "王家庄蔬菜合作社", "kind": "cooperative", "village": aw.village_1.pk, "area_mu": "95.5"},
    )
    producer.refresh_from_db()
    assert (producer.name, producer.area_mu, producer.search_key) == (
        "王家庄蔬菜合作社",
        Decimal("95.5"),
        "wangjiazhuangshucaihezuoshe wjzschzs",
    )
    for q in ("wjz", "王家庄", "shucai"):
        listing = client.get(reverse("agri:producers"), {"q": q}).content.decode()
        assert "王家庄蔬菜合作社" in listing, q
    assert "王家庄蔬菜合作社" not in client.get(reverse("agri:producers"), {"q": "xgc"}).content.decode()


def test_producer_page_shows_samples_failures_cases_follow_ups_and_certificates(aw, client_for, grower):
    passed = actions.record_sample(
        actor=aw.supervisor,
        commodity=aw.commodity("豇豆"),
        village=aw.village_1,
        level="street",
        producer=grower,
    )
    actions.record_rapid_test(
        actor=aw.supervisor, sample=passed, method=RapidMethod.ENZYME, delta_a0="0.3", delta_at="0.29"
    )
    failed = failed_sample(aw, grower)
    actions.issue_batch(
        actor=aw.supervisor,
        producer=grower,
        commodity=aw.commodity("豇豆"),
        product_name="豇豆",
        style=CertificateStyle.PRODUCER,
        basis=CertificateBasis.SELF_TEST,
        quantity=Decimal("300"),
        unit="kg",
        origin="东关村",
        contact_phone="13912345678",
        upstream_numbers="",
        count=1,
    )
    client = client_for(aw.supervisor)
    page = client.get(reverse("agri:producer_detail", args=[grower.pk])).content.decode()
    case = Case.objects.get(pk=failed.case_id)
    assert "120.50" in page and "豇豆" in page
    assert "139****5678" in page and "13912345678" not in page
    assert "克百威 0.0500 mg/kg（检出禁用农药）" in page
    assert case.number in page and 'badge-orange">待复抽' in page
    assert "HGZ20260520-0001" in page
    assert page.count('class="badge badge-green">合格</span>') == 1
    # The loop closes: a follow-up sample shows against the failure, and the task is gone.
    follow_up = actions.record_sample(
        actor=aw.supervisor,
        commodity=aw.commodity("豇豆"),
        village=aw.village_1,
        level="street",
        producer=grower,
        follow_up_of=failed,
    )
    actions.record_rapid_test(
        actor=aw.supervisor, sample=follow_up, method=RapidMethod.ENZYME, delta_a0="0.3", delta_at="0.29"
    )
    page = client.get(reverse("agri:producer_detail", args=[grower.pk])).content.decode()
    assert 'badge-orange">待复抽' not in page and "跟踪复抽：<a" in page
    assert reverse("agri:sample_detail", args=[follow_up.pk]) in page


# -- stores and inspections ---------------------------------------------------------------------------------------


@pytest.fixture
def stores(aw, west):
    sup2, _producer = west
    return [
        actions.create_store(actor=aw.supervisor, name="东关农资1号店", village=aw.village_1),
        actions.create_store(
            actor=aw.supervisor, name="东关农资2号店", village=aw.village_1, designated_outlet=True
        ),
        actions.create_store(actor=sup2, name="西关农资店", village=aw.village_2),
    ]


def test_store_create_edit_list_and_detail(aw, client_for):
    client = client_for(aw.supervisor)
    response = client.post(
        reverse("agri:store_create"),
        {"name": "东关农资3号店", "village": aw.village_1.pk, "licence_no": "农药经许（鲁）37072400001"},
    )
    store = AgriInputStore.objects.get()
    assert response.url == reverse("agri:store_detail", args=[store.pk])
    client.post(
        reverse("agri:store_edit", args=[store.pk]),
        {"name": "东关农资3号店", "village": aw.village_1.pk, "designated_outlet": "on"},
    )
    store.refresh_from_db()
    assert store.designated_outlet and store.licence_no == ""
    listing = client.get(reverse("agri:stores"), {"designated": "1"}).content.decode()
    assert "东关农资3号店" in listing and "未检查" in listing
    # Whose store it is: the 村级监管员 of its village (seen here by the 街道 admin, not by the supervisor himself).
    assert (
        "村级监管员老李"
        in client_for(aw.w.admin).get(reverse("agri:store_detail", args=[store.pk])).content.decode()
    )
    assert (
        client.post(reverse("agri:store_create"), {"name": "", "village": aw.village_1.pk}).status_code == 200
    )


def test_monthly_schedule_and_coverage_on_the_dashboard(aw, client_for, stores, west):
    actions.record_inspection(actor=aw.supervisor, store=stores[0], answers=ALL_YES)
    admin = client_for(aw.w.admin)
    response = admin.get(reverse("agri:inspection_schedule"))
    rows = {r.store.name: r for r in response.context["rows"]}
    assert (response.context["done"], response.context["total"], response.context["coverage_text"]) == (
        1,
        3,
        "33.3%",
    )
    assert rows["东关农资1号店"].done and not rows["西关农资店"].done
    assert [str(u) for u in rows["东关农资2号店"].supervisors] == ["村级监管员老李"]
    assert [str(u) for u in rows["西关农资店"].supervisors] == ["村级监管员老王"]
    assert [(t["month"], t["text"]) for t in response.context["trend"]][-2:] == [
        (dt.date(2026, 4, 1), "0%"),
        (dt.date(2026, 5, 1), "33%"),
    ]
    dashboard = admin.get(reverse("agri:dashboard"))
    assert (
        dashboard.context["inspected"],
        dashboard.context["stores"],
        dashboard.context["coverage_text"],
    ) == (
        1,
        3,
        "33.3%",
    )
    # The supervisor's own view: his two stores, one done.
    mine = client_for(aw.supervisor).get(reverse("agri:inspection_schedule")).context
    assert (mine["done"], mine["total"]) == (1, 2)
    # Last month nothing was done; next month is not offered while this is the current one.
    april = admin.get(reverse("agri:inspection_schedule"), {"month": "2026-04"}).context
    assert (april["done"], april["total"], april["following"]) == (0, 3, dt.date(2026, 5, 1))


def checklist_post(**overrides):
    data = {f"item_{code}": "yes" for code in CHECKLIST_CODES}
    data.update(overrides)
    return data


def test_checklist_finding_opens_a_case_with_photos_then_a_recheck(aw, client_for, stores):
    client = client_for(aw.supervisor)
    url = reverse("agri:inspection_new", args=[stores[0].pk])
    # A 不符合 without a note comes back on the form; nothing is written.
    response = client.post(url, checklist_post(item_ledger="no"))
    assert response.status_code == 200 and "不符合的检查项须说明问题" in response.content.decode()
    # A file that is not a photo is refused as a whole.
    response = client.post(
        url,
        checklist_post(
            item_ledger="no",
            note_ledger="台账缺5月记录",
            photo_ledger=SimpleUploadedFile("ledger.png", b"not an image", content_type="image/png"),
        ),
    )
    assert response.status_code == 200 and not StoreInspection.objects.exists()
    response = client.post(
        url,
        checklist_post(
            item_ledger="no",
            note_ledger="台账缺5月记录",
            item_restricted_outlet="na",
            photo_ledger=SimpleUploadedFile("ledger.png", PNG, content_type="image/png"),
            photos=SimpleUploadedFile("front.png", PNG, content_type="image/png"),
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    inspection = StoreInspection.objects.get()
    assert response.url == reverse("agri:inspection_detail", args=[inspection.pk])
    case = inspection.case
    assert (case.kind.code, case.category.code, case.node) == ("rectification", "2002", aw.village_1)
    # Ten working days from Wednesday 2026-05-20 (no holiday in between): Wednesday 2026-06-03.
    assert timezone.localdate(inspection.rectify_by) == dt.date(2026, 6, 3)
    assert "2026-06-03" in case.description
    assert sorted(InspectionPhoto.objects.values_list("code", "content_type")) == [
        ("", "image/png"),
        ("ledger", "image/png"),
    ]
    photo = InspectionPhoto.objects.get(code="ledger")
    served = client.get(reverse("agri:inspection_photo", args=[photo.pk]))
    assert (served.status_code, served["Content-Type"], b"".join(served.streaming_content)) == (
        200,
        "image/png",
        PNG,
    )
    assert client_for(aw.w.worker_a).get(reverse("agri:inspection_photo", args=[photo.pk])).status_code == 403
    detail = client.get(response.url).content.decode()
    assert "台账缺5月记录" in detail and case.number in detail and "2026-06-03" in detail
    assert f"?recheck={inspection.pk}" in detail
    # The re-check form marks what failed last time; the re-check links back to the first inspection.
    recheck_page = client.get(url, {"recheck": inspection.pk}).content.decode()
    assert "上次不符合" in recheck_page
    # Past the deadline without a re-check, the dashboard counts it — and the rectification case, never accepted,
    # is past its 受理时限: it counts among the overdue rectifications with a red badge on its page.
    with clock.at(dt.datetime(2026, 6, 4, 9, 0, tzinfo=TZ)):
        dashboard = client.get(reverse("agri:dashboard")).context
        assert dashboard["recheck_overdue_count"] == 1
        assert dashboard["overdue_count"] == 1 and case.status == "registered"
        case_page = client_for(aw.w.admin).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "badge-red" in case_page and "农资门店检查" in case_page
    assert reverse("agri:inspection_detail", args=[inspection.pk]) in case_page
    client.post(url, {**checklist_post(), "recheck_of": inspection.pk})
    recheck = StoreInspection.objects.exclude(pk=inspection.pk).get()
    assert recheck.recheck_of == inspection and recheck.case is None
    assert "已整改" in client.get(response.url).content.decode()
    with clock.at(dt.datetime(2026, 6, 4, 9, 0, tzinfo=TZ)):
        assert client.get(reverse("agri:dashboard")).context["recheck_overdue_count"] == 0
    assert Case.objects.count() == 1


# -- lab entry ----------------------------------------------------------------------------------------------------


def lab_post(rows):
    data = {
        "lab-TOTAL_FORMS": "4",
        "lab-INITIAL_FORMS": "0",
        "lab-MIN_NUM_FORMS": "0",
        "lab-MAX_NUM_FORMS": "20",
    }
    for i, (pesticide, value) in enumerate(rows):
        data[f"lab-{i}-pesticide"] = pesticide.pk
        data[f"lab-{i}-mg_per_kg"] = value
    return data


def test_lab_entry_judges_against_the_limit_in_force_on_the_sample_date(aw, client_for, grower):
    client = client_for(aw.supervisor)
    # 腐霉利 on 韭菜 sampled in January 2023: GB 2763-2021's 0.2 mg/kg still applies, so 1.2 is over the limit.
    early = confirming(aw, grower, "韭菜", sampled_at=dt.datetime(2023, 1, 10, 9, 0, tzinfo=TZ))
    # The same reading on a sample of June 2024 is under GB 2763.1-2022's 5 mg/kg.
    later = confirming(aw, grower, "韭菜", sampled_at=dt.datetime(2024, 6, 10, 9, 0, tzinfo=TZ))
    procymidone = aw.pesticide("腐霉利")
    for sample in (early, later):
        response = client.post(reverse("agri:lab_entry", args=[sample.pk]), lab_post([(procymidone, "1.2")]))
        assert response.url == reverse("agri:sample_detail", args=[sample.pk])
    early.refresh_from_db()
    later.refresh_from_db()
    assert (early.status, early.lab_results.get().verdict, early.lab_results.get().limit_value) == (
        SampleStatus.FAILED,
        LabVerdict.OVER_LIMIT,
        Decimal("0.2"),
    )
    assert (later.status, later.lab_results.get().limit_value) == (SampleStatus.PASSED, Decimal("5"))
    assert early.case_id and not later.case_id
    detail = client.get(reverse("agri:sample_detail", args=[early.pk])).content.decode()
    assert "GB 2763-2021" in detail and "超标" in detail


def test_lab_entry_refuses_what_it_cannot_judge_and_who_may_not_record(aw, client_for, grower, west):
    sample = confirming(aw, grower, "韭菜")  # sampled now: May 2026, after GB 2763-2026 came into force
    client = client_for(aw.supervisor)
    url = reverse("agri:lab_entry", args=[sample.pk])
    response = client.post(url, lab_post([(aw.pesticide("噻虫胺"), "0.1")]))
    assert response.status_code == 200 and "没有抽样日适用的限量数据" in response.content.decode()
    assert client.post(url, lab_post([])).status_code == 200
    sample.refresh_from_db()
    assert sample.status == SampleStatus.CONFIRMING and not sample.lab_results.exists()
    sup2, _producer = west
    assert client_for(sup2).get(url).status_code == 404
    # A banned pesticide fails whatever the limit data.
    client.post(url, lab_post([(aw.pesticide("甲拌磷"), "0.004")]))
    sample.refresh_from_db()
    assert sample.status == SampleStatus.FAILED
    assert "录入定量结果" not in client.get(reverse("agri:sample_detail", args=[sample.pk])).content.decode()


# -- colloidal gold -----------------------------------------------------------------------------------------------


def test_colloidal_gold_card_positive_two_repeats_then_lab(aw, client_for, grower):
    client = client_for(aw.supervisor)
    carbofuran = aw.pesticide("克百威")
    base = {
        "commodity": "豆角",
        "village": aw.village_1.pk,
        "producer": grower.pk,
        "certificate_shown": "0",
        "level": SampleLevel.STREET,
        "method": RapidMethod.GOLD,
    }
    response = client.post(reverse("agri:field"), {**base, "card": "positive"})
    assert "pesticide" in response.context["form"].errors and not Sample.objects.exists()
    response = client.post(reverse("agri:field"), {**base, "pesticide": carbofuran.pk, "card": "invalid"})
    assert "请换一张卡重测" in response.content.decode() and not Sample.objects.exists()
    response = client.post(reverse("agri:field"), {**base, "pesticide": carbofuran.pk, "card": "positive"})
    sample = Sample.objects.get()
    assert sample.status == SampleStatus.REPEATING
    url = reverse("agri:field_sample", args=[sample.pk])
    page = client.get(url).content.decode()
    assert "胶体金试纸卡（克百威）" in page and "请录入第 1 次复测" in page
    assert "请换一张卡重测" in client.post(url, {"card": "invalid"}).content.decode()
    client.post(url, {"card": "negative"})
    client.post(url, {"card": "positive"})
    sample.refresh_from_db()
    tests = list(
        RapidTest.objects.filter(sample=sample).values_list("repeat_index", "pesticide__name", "result")
    )
    assert tests == [(0, "克百威", "positive"), (1, "克百威", "negative"), (2, "克百威", "positive")]
    assert sample.status == SampleStatus.CONFIRMING
    lab = client.get(reverse("agri:lab_entry", args=[sample.pk])).content.decode()
    assert "胶体金速测阳性项目：克百威" in lab


def test_colloidal_gold_negative_card_passes(aw, client_for):
    client_for(aw.supervisor).post(
        reverse("agri:field"),
        {
            "commodity": "韭菜",
            "village": aw.village_1.pk,
            "stall": "东关集市5号摊",
            "certificate_shown": "1",
            "level": SampleLevel.STREET,
            "method": RapidMethod.GOLD,
            "pesticide": aw.pesticide("腐霉利").pk,
            "card": "negative",
        },
    )
    assert Sample.objects.get().status == SampleStatus.PASSED


# -- follow-up sampling -------------------------------------------------------------------------------------------


def test_follow_up_task_recorded_from_the_field_page_closes_the_loop(aw, client_for, grower):
    failed = failed_sample(aw, grower)
    client = client_for(aw.supervisor)
    tasks = client.get(reverse("agri:follow_ups"))
    assert list(tasks.context["pending"]) == [failed]
    assert (
        f"?follow_up={failed.pk}"
        in client.get(reverse("agri:sample_detail", args=[failed.pk])).content.decode()
    )
    page = client.get(reverse("agri:field"), {"follow_up": failed.pk}).content.decode()
    assert "跟踪复抽" in page and 'value="豇豆"' in page
    response = client.post(
        reverse("agri:field"),
        {
            "commodity": "豇豆",
            "village": aw.village_1.pk,
            "producer": grower.pk,
            "certificate_shown": "1",
            "level": SampleLevel.STREET,
            "delta_a0": "0.300",
            "delta_at": "0.290",
            "follow_up_of": failed.pk,
        },
    )
    follow_up = Sample.objects.get(follow_up_of=failed)
    assert response.url == reverse("agri:field_sample", args=[follow_up.pk])
    assert follow_up.status == SampleStatus.PASSED
    assert list(client.get(reverse("agri:follow_ups")).context["pending"]) == []
    failed_page = client.get(reverse("agri:sample_detail", args=[failed.pk])).content.decode()
    assert reverse("agri:sample_detail", args=[follow_up.pk]) in failed_page
    assert 'badge-orange">待复抽' not in failed_page
    follow_page = client.get(reverse("agri:sample_detail", args=[follow_up.pk])).content.decode()
    assert "复抽自" in follow_page and reverse("agri:sample_detail", args=[failed.pk]) in follow_page
    assert client.get(reverse("agri:dashboard")).context["follow_up_count"] == 0


def test_follow_up_must_be_the_same_producer_of_a_failed_sample(aw, grower):
    failed = failed_sample(aw, grower)
    other = actions.create_producer(actor=aw.supervisor, name="另一户", kind="grower", village=aw.village_1)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        actions.record_sample(
            actor=aw.supervisor,
            commodity=aw.commodity("豇豆"),
            village=aw.village_1,
            level="street",
            producer=other,
            follow_up_of=failed,
        )
    assert "follow_up_of" in exc.value.message_dict
    passed = confirming(aw, grower)
    actions.record_lab_results(actor=aw.supervisor, sample=passed, results=[(aw.pesticide("克百威"), "0")])
    passed.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.record_sample(
            actor=aw.supervisor,
            commodity=aw.commodity("豇豆"),
            village=aw.village_1,
            level="street",
            producer=grower,
            follow_up_of=passed,
        )
    # A cancelled follow-up does not close the task.
    cancelled = actions.record_sample(
        actor=aw.supervisor,
        commodity=aw.commodity("豇豆"),
        village=aw.village_1,
        level="street",
        producer=grower,
        follow_up_of=failed,
    )
    actions.void_sample(actor=aw.supervisor, sample=cancelled)
    assert list(actions.awaiting_follow_up(Sample.objects.all())) == [failed]
