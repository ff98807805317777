"""Links and filters between the agri pages: certificates searched, samples filtered by task, a producer's letter,
the task page's weeks newest first."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from minsheng.agri import actions
from minsheng.agri.choices import (
    CHECKLIST_CODES,
    CertificateBasis,
    CertificateStyle,
    LetterLevel,
    ProducerKind,
    SampleLevel,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 9, 15, 10, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def grower(aw):
    return actions.create_producer(
        actor=aw.supervisor, name="东关豇豆合作社", kind=ProducerKind.COOPERATIVE, village=aw.village_1
    )


def issue(aw, producer, product):
    return actions.issue_batch(
        actor=aw.supervisor,
        count=1,
        producer=producer,
        commodity=aw.commodity("豇豆"),
        product_name=product,
        style=CertificateStyle.PRODUCER,
        basis=CertificateBasis.QUALITY_CONTROL,
        quantity=Decimal("10"),
        unit="kg",
        origin="东关村",
        contact_phone="13800000000",
        upstream_numbers="",
    )[0]


def test_certificates_are_searched_by_number_producer_or_product(aw, client_for, grower):
    other = actions.create_producer(
        actor=aw.supervisor, name="东关李氏农场", kind=ProducerKind.FAMILY_FARM, village=aw.village_1
    )
    mine, theirs = issue(aw, grower, "精品豇豆"), issue(aw, other, "长豇豆")
    c = client_for(aw.supervisor)
    found = c.get(reverse("agri:certificates"), {"q": "合作社"}).content.decode()
    assert mine.number in found and theirs.number not in found
    assert theirs.number in c.get(reverse("agri:certificates"), {"q": theirs.number}).content.decode()
    actions.void_certificate(actor=aw.supervisor, certificate=theirs, reason="开错了")
    void = c.get(reverse("agri:certificates"), {"status": "void"}).content.decode()
    assert theirs.number in void and mine.number not in void
    assert "没有符合条件的合格证" in c.get(reverse("agri:certificates"), {"q": "不存在"}).content.decode()


def test_samples_are_filtered_by_task_and_the_task_page_lists_weeks_newest_first(aw, client_for):
    task = actions.create_task(
        actor=aw.w.admin,
        name="九月街道抽检",
        level=SampleLevel.STREET,
        node=aw.w.street,
        start=dt.date(2026, 9, 1),
        end=dt.date(2026, 9, 30),
        weekly_quota=1,
    )
    counted, other = (
        actions.record_sample(
            actor=aw.supervisor,
            commodity=aw.commodity("豇豆"),
            village=aw.village_1,
            level=SampleLevel.STREET,
            stall=stall,
            sampled_at=dt.datetime(2026, 9, 8, 9, tzinfo=TZ),
        )
        for stall in ("计入的摊位", "未计入的摊位")
    )
    actions.assign_sample(actor=aw.supervisor, sample=counted, task=task)
    c = client_for(aw.supervisor)
    page = c.get(reverse("agri:samples"), {"task": task.pk}).content.decode()
    assert "计入的摊位" in page and "未计入的摊位" not in page

    weeks = c.get(reverse("agri:task", args=[task.pk])).context["weeks"]
    # 2026-09-15 is in ISO week 38: weeks 36–38 have begun, newest first; 39 and 40 not yet.
    assert [w.iso_week for w in weeks] == [38, 37, 36]
    assert c.get(reverse("agri:task", args=[task.pk])).context["upcoming_weeks"] == 2


def test_producer_page_shows_this_years_letter_and_links_to_record_one(aw, client_for, grower):
    c = client_for(aw.supervisor)
    page = c.get(reverse("agri:producer_detail", args=[grower.pk])).content.decode()
    link = f"{reverse('agri:letter_new')}?producer={grower.pk}"
    assert "未签订" in page and link in page
    form = c.get(link).context["form"]
    assert form.initial["level"] == LetterLevel.PRODUCER and form.initial["producer"] == grower.pk
    actions.record_letter(
        actor=aw.supervisor,
        level=LetterLevel.PRODUCER,
        year=2026,
        signed_on=dt.date(2026, 3, 2),
        producer=grower,
        party_a="东关村委会",
        party_b="东关豇豆合作社",
    )
    assert "2026-03-02 已签订" in c.get(reverse("agri:producer_detail", args=[grower.pk])).content.decode()


def test_schedule_offers_the_recheck_and_hides_buttons_from_readers(aw, client_for, password):
    from minsheng.accounts import actions as account_actions
    from minsheng.accounts.choices import Role
    from minsheng.agri import actions
    from minsheng.agri.choices import CheckResult

    store = actions.create_store(actor=aw.w.admin, name="东关农资店", village=aw.village_1)
    clean = actions.create_store(actor=aw.w.admin, name="东关二号农资店", village=aw.village_1)
    answers = dict.fromkeys(CHECKLIST_CODES, CheckResult.YES)
    code = CHECKLIST_CODES[0]
    found = actions.record_inspection(
        actor=aw.supervisor, store=store, answers={**answers, code: CheckResult.NO}, notes={code: "台账不全"}
    )
    url = reverse("agri:inspection_schedule")
    rows = client_for(aw.supervisor).get(url)
    html = rows.content.decode()
    assert f"{reverse('agri:inspection_new', args=[store.pk])}?recheck={found.pk}" in html
    assert reverse("agri:inspection_new", args=[clean.pk]) in html
    # the open finding comes first, then the store still to visit
    assert [r.store for r in rows.context["rows"]] == [store, clean]

    leader = account_actions.create_user(username="leader", display_name="街道领导", password=password)
    account_actions.grant_membership(user=leader, role=Role.STREET_LEADER, node=aw.w.street)
    read_only = client_for(leader).get(url).content.decode()
    assert "东关二号农资店" in read_only
    assert reverse("agri:inspection_new", args=[clean.pk]) not in read_only
    assert "?recheck=" not in read_only


def test_dashboard_says_whose_samples_count_against_the_street_minimum(aw, client_for):
    mine = client_for(aw.supervisor).get(reverse("agri:dashboard"))
    assert "您负责的村的批次" in mine.content.decode() and mine.context["chart"]["street_wide"] is False
    street = client_for(aw.w.admin).get(reverse("agri:dashboard"))
    assert (
        "您负责的村的批次" not in street.content.decode() and street.context["chart"]["street_wide"] is True
    )


def test_a_supervisor_sees_his_share_of_a_street_task_without_verdicts(aw, client_for):
    task = actions.create_task(
        actor=aw.w.admin,
        name="九月街道抽检",
        level=SampleLevel.STREET,
        node=aw.w.street,
        start=dt.date(2026, 9, 1),
        end=dt.date(2026, 9, 30),
        weekly_quota=10,
    )
    url = reverse("agri:task", args=[task.pk])
    mine = client_for(aw.supervisor).get(url).content.decode()
    assert "只统计您负责的村的样品" in mine and "未达标" not in mine
    street = client_for(aw.w.admin).get(url).content.decode()
    assert "只统计您负责的村的样品" not in street and "未达标" in street


def test_producer_page_opens_the_certificate_form_for_that_producer(aw, client_for, grower):
    c = client_for(aw.supervisor)
    link = f"{reverse('agri:certificate_issue')}?producer={grower.pk}"
    assert link in c.get(reverse("agri:producer_detail", args=[grower.pk])).content.decode()
    form = c.get(link).context["form"]
    assert form.initial["producer"] == grower.pk and "东关村" in form.initial["origin"]
    # a producer out of reach is not preselected (and the page still opens)
    assert c.get(f"{reverse('agri:certificate_issue')}?producer=999999").context["form"].initial == {}


def test_letters_page_names_who_has_not_signed(aw, client_for, grower):
    actions.record_letter(
        actor=aw.w.admin,
        level=LetterLevel.VILLAGE,
        year=2026,
        signed_on=dt.date(2026, 1, 5),
        village=aw.village_1,
        party_a="街道",
        party_b="东关村委会",
    )
    cards = client_for(aw.w.admin).get(reverse("agri:letters")).context["cards"]
    missing = {c["label"]: c["missing"] for c in cards}
    assert missing["村级"] == ["西关村"]
    assert missing["监管员"] == ["村级监管员老李"]
    assert missing["生产经营主体"] == ["东关豇豆合作社"]
    # the supervisor sees his own village only: nothing missing at village level there
    mine = client_for(aw.supervisor).get(reverse("agri:letters")).context["cards"]
    assert mine[0]["missing"] == []
