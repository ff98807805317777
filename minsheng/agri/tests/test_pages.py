"""The field flow and the staff pages, through the test client: what a supervisor may record and see, and that bad
input comes back as a form with its message, never a 500."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from minsheng.agri import actions
from minsheng.agri.choices import ProducerKind, RapidMethod, SampleLevel, SampleStatus
from minsheng.agri.models import Certificate, RapidTest, Sample
from minsheng.core import clock

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 5, 20, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def grower(aw):
    return actions.create_producer(
        actor=aw.supervisor, name="王家庄豇豆合作社", kind=ProducerKind.COOPERATIVE, village=aw.village_1
    )


def field_post(aw, **overrides):
    data = {
        "commodity": "豆角",
        "village": aw.village_1.pk,
        "stall": "东关集市3号摊",
        "certificate_shown": "1",
        "level": SampleLevel.STREET,
        "delta_a0": "0.300",
        "delta_at": "0.250",
    }
    data.update(overrides)
    return data


def test_field_page_offers_only_the_supervisors_villages_and_the_aliases(aw, client_for):
    page = client_for(aw.supervisor).get(reverse("agri:field")).content.decode()
    assert "东关村" in page and "西关村" not in page
    assert 'value="豆角" label="→ 豇豆"' in page


def test_negative_reading_passes_the_sample_by_alias(aw, client_for):
    response = client_for(aw.supervisor).post(reverse("agri:field"), field_post(aw))
    sample = Sample.objects.get()
    assert response.url == reverse("agri:field_sample", args=[sample.pk])
    assert (sample.commodity.name, sample.status, sample.certificate_shown, sample.sampler) == (
        "豇豆",
        SampleStatus.PASSED,
        True,
        aw.supervisor,
    )
    assert "合格：已记录" in client_for(aw.supervisor).get(response.url).content.decode()


def test_positive_reading_asks_for_two_repeats_then_confirms(aw, client_for, grower):
    client = client_for(aw.supervisor)
    client.post(
        reverse("agri:field"), field_post(aw, commodity="韭菜", producer=grower.pk, stall="", delta_at="0.1")
    )
    sample = Sample.objects.get()
    assert sample.status == SampleStatus.REPEATING
    url = reverse("agri:field_sample", args=[sample.pk])
    page = client.get(url).content.decode()
    assert "请录入第 1 次复测" in page and "易出现假阳性" in page
    client.post(url, {"delta_a0": "0.300", "delta_at": "0.280"})
    assert "请录入第 2 次复测" in client.get(url).content.decode()
    client.post(url, {"delta_a0": "0.300", "delta_at": "0.120"})
    sample.refresh_from_db()
    assert sample.status == SampleStatus.CONFIRMING
    assert [t.result for t in sample.rapid_tests.all()] == ["positive", "negative", "positive"]
    assert "送检定量确证" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"commodity": "不存在的菜"}, "没有找到"),
        ({"delta_a0": "0"}, "确保该值大于或等于"),
        ({"delta_at": "abc"}, "输入一个数字"),
        ({"stall": ""}, "请选择生产经营主体或填写市场摊位"),
    ],
)
def test_bad_input_comes_back_with_a_message_and_records_nothing(aw, client_for, overrides, message):
    response = client_for(aw.supervisor).post(reverse("agri:field"), field_post(aw, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Sample.objects.exists() and not RapidTest.objects.exists()


def test_another_village_is_refused(aw, client_for):
    response = client_for(aw.supervisor).post(reverse("agri:field"), field_post(aw, village=aw.village_2.pk))
    assert response.status_code == 200 and not Sample.objects.exists()


def test_staff_without_a_village_cannot_record(aw, client_for):
    assert client_for(aw.w.grid_a).get(reverse("agri:field")).status_code == 403
    assert client_for(aw.w.resident).get(reverse("agri:field")).status_code == 403


def record(aw, village=None, actor=None, **kw):
    actor = actor or aw.supervisor
    sample = actions.record_sample(
        actor=actor,
        commodity=aw.commodity("豇豆"),
        village=village or aw.village_1,
        level=kw.pop("level", SampleLevel.STREET),
        stall="摊位",
        sampled_at=kw.pop("sampled_at", NOW - dt.timedelta(hours=1)),
    )
    actions.record_rapid_test(actor=actor, sample=sample, method=RapidMethod.ENZYME, **kw)
    return sample


def test_sample_list_is_scoped_and_filtered(aw, client_for):
    mine = record(aw, delta_a0="0.3", delta_at="0.3")
    theirs = record(aw, village=aw.village_2, actor=aw.w.admin, delta_a0="0.3", delta_at="0.3")
    old = record(aw, sampled_at=NOW - dt.timedelta(days=40), delta_a0="0.3", delta_at="0.1")
    client = client_for(aw.supervisor)
    url = reverse("agri:samples")
    listed = {s.pk for s in client.get(url).context["page_obj"]}
    assert listed == {mine.pk, old.pk}
    assert {s.pk for s in client_for(aw.w.admin).get(url).context["page_obj"]} == {mine.pk, theirs.pk, old.pk}
    filtered = client.get(url, {"status": SampleStatus.REPEATING}).context["page_obj"]
    assert [s.pk for s in filtered] == [old.pk]
    recent = client.get(url, {"start": "2026-05-01", "end": "2026-05-20"}).context["page_obj"]
    assert [s.pk for s in recent] == [mine.pk]
    assert client.get(url, {"start": "not-a-date", "page": "x"}).status_code == 200
    assert client.get(reverse("agri:sample_detail", args=[theirs.pk])).status_code == 404


def test_sample_detail_shows_the_limit_standard_and_the_case(aw, client_for):
    sample = actions.record_sample(
        actor=aw.supervisor,
        commodity=aw.commodity("韭菜"),
        village=aw.village_1,
        level=SampleLevel.STREET,
        stall="摊位",
        sampled_at=dt.datetime(2024, 3, 1, 10, 0, tzinfo=TZ),
    )
    for at in ("0.1", "0.1"):
        actions.record_rapid_test(
            actor=aw.supervisor, sample=sample, method=RapidMethod.ENZYME, delta_a0="0.3", delta_at=at
        )
    actions.record_lab_results(actor=aw.supervisor, sample=sample, results=[(aw.pesticide("腐霉利"), "6")])
    sample.refresh_from_db()
    page = client_for(aw.supervisor).get(reverse("agri:sample_detail", args=[sample.pk])).content.decode()
    assert "GB 2763.1-2022" in page and "5.0000" in page and "超标" in page
    assert f'href="/cases/{sample.case_id}/"' in page


def test_certificate_issue_list_and_void(aw, client_for, grower):
    client = client_for(aw.supervisor)
    data = {
        "producer": grower.pk,
        "commodity": "豆角",
        "style": "producer",
        "basis": "self_test",
        "quantity": "200",
        "unit": "kg",
        "origin": "东关村",
        "contact_phone": "13912345678",
        "count": "2",
    }
    assert client.post(reverse("agri:certificate_issue"), {**data, "quantity": "-1"}).status_code == 200
    response = client.post(reverse("agri:certificate_issue"), data)
    assert response.url == reverse("agri:certificates")
    assert Certificate.objects.count() == 2
    page = client.get(reverse("agri:certificates")).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    first = Certificate.objects.order_by("number").first()
    client.post(reverse("agri:certificate_void", args=[first.pk]), {"reason": ""})
    first.refresh_from_db()
    assert first.status == "valid"
    client.post(reverse("agri:certificate_void", args=[first.pk]), {"reason": "重量写错"})
    first.refresh_from_db()
    assert (first.status, first.void_reason) == ("void", "重量写错")
    # A grid worker holds no agri capability at all: refused outright.
    outsider = client_for(aw.w.grid_b)
    assert (
        outsider.post(reverse("agri:certificate_void", args=[first.pk]), {"reason": "x"}).status_code == 403
    )


def test_dashboard_figures(aw, client_for):
    for _ in range(3):
        record(aw, delta_a0="0.3", delta_at="0.3")
    with clock.at(NOW):
        response = client_for(aw.supervisor).get(reverse("agri:dashboard"))
    ctx = response.context
    assert (ctx["quota"].count, ctx["quota"].minimum, ctx["pass_rate_text"]) == (3, 10, "100.0%")
    assert ctx["chart"]["weeks"][-1]["count"] == 3
    assert "echarts.min.js" in response.content.decode()
