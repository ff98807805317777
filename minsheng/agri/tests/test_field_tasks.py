"""Counting a sample towards a sampling task as it is recorded (the field page and POST samples/), and the
dashboard's responsibility-letter coverage and packaging-waste total."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from minsheng.agri import actions
from minsheng.agri.choices import LetterLevel, SampleLevel, TaskKind
from minsheng.agri.models import Sample

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 9, 15, 10, 0, tzinfo=TZ)
SAMPLES = "/api/v1/agri/samples/"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def tasks(aw):
    """The street's weekly routine task, a county task of this month, one that ended and a 韭菜-only one."""

    def task(name, **kw):
        values = {
            "level": SampleLevel.STREET,
            "node": aw.w.street,
            "start": dt.date(2026, 9, 1),
            "end": dt.date(2026, 9, 30),
        }
        values.update(kw)
        return actions.create_task(actor=aw.w.admin, name=name, **values)

    return {
        "weekly": task("九月街道周抽检", weekly_quota=10),
        "county": task("县级九月抽检", level=SampleLevel.COUNTY, target=20),
        "ended": task("八月街道抽检", start=dt.date(2026, 8, 1), end=dt.date(2026, 8, 31), weekly_quota=10),
        "leek": task("韭菜专项", kind=TaskKind.ROUTINE, commodity=aw.commodity("韭菜"), target=5),
    }


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


def test_field_page_offers_open_tasks_and_preselects_the_weekly_one(aw, client_for, tasks):
    form = client_for(aw.supervisor).get(reverse("agri:field")).context["form"]
    offered = set(form.fields["task"].queryset)
    assert offered == {tasks["weekly"], tasks["county"], tasks["leek"]}  # not the task that ended in August
    assert form.initial["task"] == tasks["weekly"].pk and form.initial["task_auto"] is True
    html = client_for(aw.supervisor).get(reverse("agri:field")).content.decode()
    assert f'data-level="county" data-path="{aw.w.street.path}"' in html


def test_default_task_counts_a_matching_sample(aw, client_for, tasks):
    response = client_for(aw.supervisor).post(
        reverse("agri:field"), field_post(aw, task=tasks["weekly"].pk, task_auto="True")
    )
    assert response.status_code == 302
    assert Sample.objects.get().task == tasks["weekly"]


def test_default_task_is_dropped_quietly_when_the_sample_does_not_match(aw, client_for, tasks):
    # A county sample submitted with the page's default still selected (no script): recorded, counted nowhere.
    response = client_for(aw.supervisor).post(
        reverse("agri:field"),
        field_post(aw, level=SampleLevel.COUNTY, task=tasks["weekly"].pk, task_auto="True"),
    )
    assert response.status_code == 302
    assert Sample.objects.get().task is None


def test_a_chosen_task_that_does_not_fit_is_refused_with_the_reason(aw, client_for, tasks):
    response = client_for(aw.supervisor).post(
        reverse("agri:field"), field_post(aw, task=tasks["leek"].pk, task_auto="False")
    )
    assert response.status_code == 200
    assert "样品品种不在任务范围内" in response.content.decode()
    assert not Sample.objects.exists()  # sample, reading and assignment are one transaction


def test_a_chosen_task_is_counted(aw, client_for, tasks):
    client = client_for(aw.supervisor)
    response = client.post(
        reverse("agri:field"),
        field_post(aw, level=SampleLevel.COUNTY, task=tasks["county"].pk, task_auto="False"),
    )
    assert response.status_code == 302
    sample = Sample.objects.get()
    assert sample.task == tasks["county"]
    detail = client.get(reverse("agri:sample_detail", args=[sample.pk])).content.decode()
    assert reverse("agri:task", args=[tasks["county"].pk]) in detail


def test_a_task_that_ended_cannot_be_posted(aw, client_for, tasks):
    response = client_for(aw.supervisor).post(
        reverse("agri:field"), field_post(aw, task=tasks["ended"].pk, task_auto="False")
    )
    assert response.status_code == 200 and not Sample.objects.exists()


def test_api_records_a_sample_towards_a_task(aw, api_for, tasks):
    api = api_for(aw.supervisor)
    data = {
        "commodity": "豆角",
        "village": aw.village_1.pk,
        "stall": "东关集市3号摊",
        "delta_a0": "0.300",
        "delta_at": "0.250",
    }
    response = api.post(SAMPLES, {**data, "task": tasks["weekly"].pk}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["task"] == tasks["weekly"].pk
    assert Sample.objects.get().task == tasks["weekly"]

    wrong = api.post(SAMPLES, {**data, "task": tasks["county"].pk}, format="json")
    assert wrong.status_code == 400 and "task" in wrong.data
    unknown = api.post(SAMPLES, {**data, "task": 999999}, format="json")
    assert unknown.status_code == 400 and "task" in unknown.data
    assert Sample.objects.count() == 1


def test_dashboard_shows_letter_coverage_and_waste_of_the_year(aw, client_for):
    actions.record_letter(
        actor=aw.w.admin,
        level=LetterLevel.VILLAGE,
        year=2026,
        signed_on=dt.date(2026, 1, 5),
        village=aw.village_1,
        party_a="街道",
        party_b="东关村委会",
    )
    for village, day, kg in (
        (aw.village_1, dt.date(2026, 3, 1), "1200"),
        (aw.village_2, dt.date(2026, 6, 1), "4340"),
        (aw.village_1, dt.date(2025, 12, 20), "999"),  # last year: not counted
    ):
        actions.record_waste(actor=aw.w.admin, recovered_on=day, village=village, kg=Decimal(kg))

    response = client_for(aw.w.admin).get(reverse("agri:dashboard"))
    html = response.content.decode()
    villages = response.context["letters"][0]
    assert (villages["cov"].covered, villages["cov"].total) == (1, 2) and villages["text"] == "50.0%"
    assert "5540.00 kg" in html and "约 5.54 吨" in html
    assert f"{reverse('agri:letters')}?year=2026" in html
    assert f"{reverse('agri:waste')}?start=2026-01-01&amp;end=2026-09-15" in html

    # the village supervisor sees his own village only
    mine = client_for(aw.supervisor).get(reverse("agri:dashboard"))
    assert mine.context["waste_kg"] == Decimal("1200")
    assert (mine.context["letters"][0]["cov"].covered, mine.context["letters"][0]["cov"].total) == (1, 1)
