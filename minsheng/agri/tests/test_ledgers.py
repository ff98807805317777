"""Ledgers, campaigns, sampling tasks and holiday duty: the actions and the figures built on them."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.agri import actions, metrics, queries
from minsheng.agri.choices import LetterLevel, ProducerKind, RapidMethod, SampleLevel, SampleStatus, TaskKind
from minsheng.agri.models import Sample, SamplingTask
from minsheng.core.calendar import holiday_periods
from minsheng.core.models import CalendarOverride

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 9, 15, 10, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def producer(aw, village=None, name="王家庄豇豆合作社"):
    return actions.create_producer(
        actor=aw.w.admin, name=name, kind=ProducerKind.COOPERATIVE, village=village or aw.village_1
    )


def sample(aw, when, *, name="豇豆", level=SampleLevel.STREET, village=None, negative=True):
    s = actions.record_sample(
        actor=aw.w.admin,
        commodity=aw.commodity(name),
        village=village or aw.village_1,
        level=level,
        stall="东关集市3号摊",
        sampled_at=when,
    )
    if negative is not None:
        actions.record_rapid_test(
            actor=aw.w.admin,
            sample=s,
            method=RapidMethod.ENZYME,
            delta_a0="0.300",
            delta_at="0.290" if negative else "0.100",
        )
    s.refresh_from_db()
    return s


def at(day: dt.date, hour=9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


# -- responsibility letters -----------------------------------------------------------------------------------


def test_letter_coverage_per_level(aw):
    p1, _p2 = producer(aw), producer(aw, aw.village_2, "西关果蔬家庭农场")
    year = 2026
    actions.record_letter(
        actor=aw.w.admin,
        level=LetterLevel.VILLAGE,
        year=year,
        signed_on=dt.date(2026, 1, 10),
        village=aw.village_1,
        party_a="街道",
        party_b="东关村委会",
    )
    # the supervisor answers for one village: the letter's village follows from him
    letter = actions.record_letter(
        actor=aw.w.admin,
        level=LetterLevel.SUPERVISOR,
        year=year,
        signed_on=dt.date(2026, 1, 10),
        supervisor=aw.supervisor,
        party_a="街道",
        party_b="老李",
    )
    assert letter.village == aw.village_1
    actions.record_letter(
        actor=aw.supervisor,
        level=LetterLevel.PRODUCER,
        year=year,
        signed_on=dt.date(2026, 1, 12),
        producer=p1,
        party_a="老李",
        party_b="王社长",
    )
    # a letter of another year does not count
    actions.record_letter(
        actor=aw.w.admin,
        level=LetterLevel.VILLAGE,
        year=2025,
        signed_on=dt.date(2025, 1, 10),
        village=aw.village_2,
        party_a="街道",
        party_b="西关村委会",
    )
    cov = metrics.letter_coverage(year)
    assert (cov[LetterLevel.VILLAGE].covered, cov[LetterLevel.VILLAGE].total) == (1, 2)
    assert cov[LetterLevel.VILLAGE].rate == 50.0
    assert (cov[LetterLevel.SUPERVISOR].covered, cov[LetterLevel.SUPERVISOR].total) == (1, 1)
    assert (cov[LetterLevel.PRODUCER].covered, cov[LetterLevel.PRODUCER].total) == (1, 2)
    # scoped: the supervisor's own village only
    mine = metrics.letter_coverage(year, user=aw.supervisor)
    assert (mine[LetterLevel.VILLAGE].covered, mine[LetterLevel.VILLAGE].total) == (1, 1)
    assert (mine[LetterLevel.PRODUCER].covered, mine[LetterLevel.PRODUCER].total) == (1, 1)


def test_letter_rules(aw, media):
    p2 = producer(aw, aw.village_2, "西关果蔬家庭农场")
    base = {"year": 2026, "signed_on": dt.date(2026, 1, 10), "party_a": "街道", "party_b": "村委会"}
    actions.record_letter(actor=aw.w.admin, level=LetterLevel.VILLAGE, village=aw.village_1, **base)
    with pytest.raises(ValidationError) as exc:
        actions.record_letter(actor=aw.w.admin, level=LetterLevel.VILLAGE, village=aw.village_1, **base)
    assert "已登记" in str(exc.value)
    # the supervisor cannot record in another village
    with pytest.raises(PermissionDenied):
        actions.record_letter(actor=aw.supervisor, level=LetterLevel.PRODUCER, producer=p2, **base)
    # signed in the future, or years away from the letter's year
    with pytest.raises(ValidationError) as exc:
        actions.record_letter(
            actor=aw.w.admin,
            level=LetterLevel.VILLAGE,
            village=aw.village_2,
            **{**base, "signed_on": dt.date(2026, 12, 1)},
        )
    assert "signed_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        actions.record_letter(
            actor=aw.w.admin, level=LetterLevel.VILLAGE, village=aw.village_2, **{**base, "year": 2030}
        )
    assert "signed_on" in exc.value.message_dict
    # a supervisor-level letter needs a village supervisor
    with pytest.raises(ValidationError) as exc:
        actions.record_letter(actor=aw.w.admin, level=LetterLevel.SUPERVISOR, supervisor=aw.w.grid_a, **base)
    assert "supervisor" in exc.value.message_dict
    # scans: PDF/JPG/PNG only
    with pytest.raises(ValidationError) as exc:
        actions.record_letter(
            actor=aw.w.admin,
            level=LetterLevel.VILLAGE,
            village=aw.village_2,
            scan=SimpleUploadedFile("letter.exe", b"MZ"),
            **base,
        )
    assert "scan" in exc.value.message_dict
    letter = actions.record_letter(
        actor=aw.w.admin,
        level=LetterLevel.VILLAGE,
        village=aw.village_2,
        scan=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        **base,
    )
    assert letter.scan.name.startswith("agri/letters/2026/")
    assert letter.scan.read() == b"%PDF-1.4 test"


# -- publicity and waste --------------------------------------------------------------------------------------


def test_publicity_checks(aw):
    record = actions.record_publicity(
        actor=aw.supervisor,
        given_on=dt.date(2026, 9, 1),
        village=aw.village_1,
        material="明白纸",
        quantity=200,
    )
    assert record.quantity == 200
    with pytest.raises(ValidationError) as exc:
        actions.record_publicity(
            actor=aw.supervisor, given_on=dt.date(2026, 9, 1), village=aw.village_1, material=" ", quantity=0
        )
    assert set(exc.value.message_dict) == {"material", "quantity"}
    with pytest.raises(PermissionDenied):
        actions.record_publicity(
            actor=aw.supervisor,
            given_on=dt.date(2026, 9, 1),
            village=aw.village_2,
            material="明白纸",
            quantity=1,
        )


def test_waste_totals_by_store_village_and_month(aw):
    store = actions.create_store(actor=aw.w.admin, name="东关农资店", village=aw.village_1)
    actions.record_waste(actor=aw.supervisor, recovered_on=dt.date(2026, 7, 3), store=store, kg="120.5")
    actions.record_waste(actor=aw.supervisor, recovered_on=dt.date(2026, 8, 9), store=store, kg="79.5")
    actions.record_waste(actor=aw.w.admin, recovered_on=dt.date(2026, 8, 20), village=aw.village_2, kg="300")
    totals = metrics.waste_totals()
    assert totals.total_kg == Decimal("500.00")
    assert [(r["village__name"], r["kg"]) for r in totals.by_village] == [
        ("西关村", Decimal("300.00")),
        ("东关村", Decimal("200.00")),
    ]
    assert [(r["store__name"], r["kg"]) for r in totals.by_store] == [("东关农资店", Decimal("200.00"))]
    assert [(r["month"].month, r["kg"]) for r in totals.by_month] == [
        (7, Decimal("120.50")),
        (8, Decimal("379.50")),
    ]
    # a period and a scope
    assert metrics.waste_totals(start=dt.date(2026, 8, 1)).total_kg == Decimal("379.50")
    from minsheng.agri.models import WasteRecovery

    assert metrics.waste_totals(
        WasteRecovery.objects.visible_to(aw.supervisor, "agri.view")
    ).total_kg == Decimal("200.00")
    with pytest.raises(ValidationError):
        actions.record_waste(
            actor=aw.w.admin, recovered_on=dt.date(2026, 8, 20), village=aw.village_2, kg="0"
        )
    with pytest.raises(ValidationError):
        actions.record_waste(
            actor=aw.w.admin, recovered_on=dt.date(2026, 8, 20), village=aw.village_2, store=store, kg="3"
        )
    with pytest.raises(PermissionDenied):
        actions.record_waste(
            actor=aw.supervisor, recovered_on=dt.date(2026, 8, 20), village=aw.village_2, kg="3"
        )


# -- campaigns, tasks, compliance, pass rate ------------------------------------------------------------------


@pytest.fixture
def campaign(aw):
    return actions.create_campaign(
        actor=aw.w.admin,
        name="治违禁 控药残 促提升",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        products=[(aw.commodity("豇豆"), [aw.pesticide("克百威"), aw.pesticide("氧乐果")], "专项行动方案")],
    )


def test_campaign_products_link_reference_data(aw, campaign):
    product = campaign.products.get()
    assert product.commodity.name == "豇豆"
    assert sorted(p.name for p in product.pesticides.all()) == ["克百威", "氧乐果"]
    # staff add 辣椒 with no pesticides yet, then fill them in: the second save replaces the list
    chili = actions.set_campaign_product(actor=aw.w.admin, campaign=campaign, commodity=aw.commodity("辣椒"))
    assert chili.pesticides.count() == 0
    actions.set_campaign_product(
        actor=aw.w.admin,
        campaign=campaign,
        commodity=aw.commodity("辣椒"),
        pesticides=[aw.pesticide("噻虫胺")],
    )
    assert [p.name for p in campaign.products.get(commodity__name="辣椒").pesticides.all()] == ["噻虫胺"]
    with pytest.raises(PermissionDenied):
        actions.create_campaign(
            actor=aw.supervisor, name="x", start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 1)
        )
    with pytest.raises(ValidationError):
        actions.create_campaign(
            actor=aw.w.admin, name="治违禁 控药残 促提升", start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 1)
        )


def test_task_weekly_compliance_per_iso_week(aw, campaign):
    # ISO week 35 of 2026 is Mon 24 Aug – Sun 30 Aug; week 36 is 31 Aug – 6 Sep
    task = actions.create_task(
        actor=aw.w.admin,
        name="街道蔬菜周抽检",
        level=SampleLevel.STREET,
        node=aw.w.street,
        start=dt.date(2026, 8, 24),
        end=dt.date(2026, 9, 6),
        kind=TaskKind.CAMPAIGN,
        campaign=campaign,
        commodity=aw.commodity("蔬菜"),
        weekly_quota=2,
    )
    [sample(aw, at(dt.date(2026, 8, 24))), sample(aw, at(dt.date(2026, 8, 30), 23))]
    week36 = [sample(aw, at(dt.date(2026, 8, 31), 0)), sample(aw, at(dt.date(2026, 9, 2)), negative=None)]
    actions.void_sample(actor=aw.w.admin, sample=week36[1])  # cancelled: does not count
    other_level = sample(aw, at(dt.date(2026, 9, 1)), level=SampleLevel.COUNTY)
    outside = sample(aw, at(dt.date(2026, 9, 7)))
    assert actions.assign_matching(actor=aw.w.admin, task=task) == 3
    weeks = metrics.task_compliance(task)
    assert [(w.iso_week, w.count, w.met) for w in weeks] == [(35, 2, True), (36, 1, False)]
    # a sample that does not fit the task is refused, with the reason
    for bad in (other_level, outside):
        with pytest.raises(ValidationError):
            actions.assign_sample(actor=aw.w.admin, sample=bad, task=task)
    assert Sample.objects.filter(task=task).count() == 3


def test_pass_rate_by_campaign_excludes_cancelled_and_invalid(aw, campaign):
    task = actions.create_task(
        actor=aw.w.admin,
        name="专项抽检",
        level=SampleLevel.STREET,
        node=aw.w.street,
        start=dt.date(2026, 9, 1),
        end=dt.date(2026, 9, 14),
        kind=TaskKind.CAMPAIGN,
        campaign=campaign,
        target=10,
    )
    passed = [sample(aw, at(dt.date(2026, 9, d))) for d in (1, 2, 3)]
    positive = sample(aw, at(dt.date(2026, 9, 4)), negative=False)  # first reading positive → repeats pending
    assert positive.status == SampleStatus.REPEATING
    invalid = sample(aw, at(dt.date(2026, 9, 5)), negative=False)
    cancelled = sample(aw, at(dt.date(2026, 9, 6)), negative=None)
    for s in (*passed, positive, invalid, cancelled):
        actions.assign_sample(actor=aw.w.admin, sample=s, task=task)
    actions.void_sample(actor=aw.w.admin, sample=invalid, invalid=True)
    actions.void_sample(actor=aw.w.admin, sample=cancelled)
    # the positive one fails: two repeats, the first positive → lab; 克百威 is banned on vegetables
    for _ in range(1):
        actions.record_rapid_test(
            actor=aw.w.admin, sample=positive, method=RapidMethod.ENZYME, delta_a0="0.3", delta_at="0.1"
        )
    actions.record_lab_results(actor=aw.w.admin, sample=positive, results=[(aw.pesticide("克百威"), "0.05")])
    rate = metrics.pass_rate_by_campaign(campaign)
    assert (rate.passed, rate.failed, rate.pending, rate.rate) == (3, 1, 0, 75.0)
    # samples outside the campaign do not count; by-level and by-commodity tables use the same exclusions
    sample(aw, at(dt.date(2026, 9, 7)), level=SampleLevel.COUNTY)
    assert metrics.pass_rate_by_campaign(campaign).concluded == 4
    table = dict(metrics.pass_rate_table(by="level", start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30)))
    assert (table["街道"].passed, table["街道"].failed, table["县级"].passed) == (3, 1, 1)
    by_campaign = dict(metrics.pass_rate_table(by="campaign"))
    assert by_campaign["治违禁 控药残 促提升"].rate == 75.0
    by_commodity = dict(metrics.pass_rate_table(by="commodity"))
    assert by_commodity["豇豆"].concluded == 5


def test_task_needs_manager_and_fits_campaign(aw, campaign):
    base = {"name": "t", "level": SampleLevel.STREET, "node": aw.w.street, "weekly_quota": 10}
    with pytest.raises(PermissionDenied):
        actions.create_task(actor=aw.supervisor, start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30), **base)
    with pytest.raises(ValidationError):
        actions.create_task(
            actor=aw.w.admin, start=dt.date(2025, 9, 1), end=dt.date(2026, 9, 30), campaign=campaign, **base
        )
    with pytest.raises(ValidationError):
        actions.create_task(actor=aw.w.admin, start=dt.date(2026, 9, 30), end=dt.date(2026, 9, 1), **base)


# -- holidays -----------------------------------------------------------------------------------------------------


def test_holiday_periods_come_from_the_calendar(aw):
    periods = {p.name: p for p in holiday_periods(2026)}
    national = periods["国庆节"]
    assert (national.start, national.end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 7))
    assert len(national.days) == 7
    # an admin's override that makes a holiday day a workday splits the period
    CalendarOverride.objects.create(date=dt.date(2026, 10, 7), is_workday=True)
    from django.core.cache import cache

    cache.clear()
    national = {p.name: p for p in holiday_periods(2026)}["国庆节"]
    assert national.end == dt.date(2026, 10, 6)
    # 2027 is not in the library yet: the admin's named rest days make the periods
    assert holiday_periods(2027) == []
    for day in (dt.date(2027, 1, 1), dt.date(2027, 1, 2), dt.date(2027, 1, 3)):
        CalendarOverride.objects.create(date=day, is_workday=False, name="元旦" if day.day == 1 else "")
    cache.clear()
    assert [(p.name, p.start, p.end) for p in holiday_periods(2027)] == [
        ("元旦", dt.date(2027, 1, 1), dt.date(2027, 1, 3))
    ]


def test_duty_roster_only_on_holidays(aw):
    cadre = account_actions.create_user(username="cadre", display_name="街道干部小张", password="x-Pass-2026")
    account_actions.grant_membership(user=cadre, role=Role.STREET_CADRE, node=aw.w.street)
    shift = actions.assign_duty(
        actor=aw.w.admin, day=dt.date(2026, 10, 2), node=aw.w.street, person=cadre, leader=True
    )
    assert shift.holiday == "国庆节"
    # the 调休 Saturday after National Day is a workday, and so is an ordinary Friday
    for day in (dt.date(2026, 10, 10), dt.date(2026, 10, 9)):
        with pytest.raises(ValidationError) as exc:
            actions.assign_duty(actor=aw.w.admin, day=day, node=aw.w.street, person=cadre)
        assert "不是法定节假日" in str(exc.value)
    with pytest.raises(ValidationError):
        actions.assign_duty(actor=aw.w.admin, day=dt.date(2026, 10, 2), node=aw.w.street, person=cadre)
    with pytest.raises(ValidationError):  # a resident is not staff
        actions.assign_duty(
            actor=aw.w.admin, day=dt.date(2026, 10, 3), node=aw.w.street, person=aw.w.resident
        )
    with pytest.raises(PermissionDenied):
        actions.assign_duty(actor=aw.supervisor, day=dt.date(2026, 10, 3), node=aw.w.street, person=cadre)
    actions.remove_duty(actor=aw.w.admin, shift=shift)
    # past shifts stay on record
    past = actions.assign_duty(actor=aw.w.admin, day=dt.date(2026, 5, 1), node=aw.w.street, person=cadre)
    with pytest.raises(ValidationError):
        actions.remove_duty(actor=aw.w.admin, shift=past)


def test_pre_holiday_suggestion_and_task(aw, settings):
    # 15 Sept 2026: 中秋节 (25–27 Sept) and 国庆节 (1–7 Oct) are coming; the three working days before each
    suggestions = queries.pre_holiday_suggestions(NOW.date())
    windows = {s.period.name: (s.start, s.end) for s in suggestions}
    assert windows["中秋节"] == (dt.date(2026, 9, 22), dt.date(2026, 9, 24))
    assert windows["国庆节"] == (dt.date(2026, 9, 28), dt.date(2026, 9, 30))
    assert "劳动节" not in windows
    national = next(s for s in suggestions if s.period.name == "国庆节")
    task = actions.create_pre_holiday_task(actor=aw.w.admin, suggestion=national, node=aw.w.street)
    assert (task.kind, task.start, task.end, task.holiday) == (
        TaskKind.PRE_HOLIDAY,
        dt.date(2026, 9, 28),
        dt.date(2026, 9, 30),
        "国庆节",
    )
    assert actions.create_pre_holiday_task(actor=aw.w.admin, suggestion=national, node=aw.w.street) == task
    assert SamplingTask.objects.filter(kind=TaskKind.PRE_HOLIDAY).count() == 1
    again = {s.period.name: s.task for s in queries.pre_holiday_suggestions(NOW.date())}
    assert again["国庆节"] == task and again["中秋节"] is None
    # N is configurable; the 调休 Saturday before 春节 2026 (14 Feb) counts as a working day
    settings.AGRI_PRE_HOLIDAY_DAYS = 5
    spring = next(p for p in holiday_periods(2026) if p.name == "春节")
    assert queries.pre_holiday_window(spring) == (dt.date(2026, 2, 10), dt.date(2026, 2, 14))
