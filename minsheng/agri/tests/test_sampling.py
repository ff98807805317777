import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.accounts.choices import Cap
from minsheng.agri import actions, queries
from minsheng.agri.choices import (
    LabVerdict,
    ProducerKind,
    RapidMethod,
    RapidResult,
    SampleLevel,
    SampleStatus,
)
from minsheng.agri.metrics import pass_rate, weekly_quota
from minsheng.agri.models import Sample
from minsheng.cases.models import Case

TZ = ZoneInfo("Asia/Shanghai")
MAY_2026 = dt.datetime(2026, 5, 20, 9, 0, tzinfo=TZ)


@pytest.fixture
def grower(aw):
    return actions.create_producer(
        actor=aw.supervisor,
        name="王家庄豇豆合作社",
        kind=ProducerKind.COOPERATIVE,
        village=aw.village_1,
        credit_code="93370724MA3C12345T",
        crops=[aw.commodity("豇豆")],
        area_mu=Decimal("120.5"),
        contact_name="王建国",
        phone="13905390001",
    )


def sample_of(aw, name="豇豆", producer=None, **kw):
    kw.setdefault("level", SampleLevel.STREET)
    kw.setdefault("sampled_at", MAY_2026)
    return actions.record_sample(
        actor=aw.supervisor,
        commodity=aw.commodity(name),
        village=aw.village_1,
        producer=producer,
        stall="" if producer else "东关集市3号摊",
        **kw,
    )


def enzyme(aw, sample, a0, at):
    return actions.record_rapid_test(
        actor=aw.supervisor, sample=sample, method=RapidMethod.ENZYME, delta_a0=a0, delta_at=at
    )


def test_inhibition_rate_and_bands(aw, settings):
    # the worked example of GB/T 5009.199: ΔA0 0.303, ΔAt 0.131 → 56.77 %
    assert actions.inhibition_rate("0.303", "0.131") == Decimal("56.77")
    assert actions.classify_inhibition(Decimal("50")) == RapidResult.POSITIVE
    assert actions.classify_inhibition(Decimal("45")) == RapidResult.SUSPECT
    assert actions.classify_inhibition(Decimal("39.99")) == RapidResult.NEGATIVE
    settings.AGRI_ENZYME_SUSPECT_FROM = 30
    assert actions.classify_inhibition(Decimal("35")) == RapidResult.SUSPECT
    with pytest.raises(ValidationError):
        actions.inhibition_rate("0", "0.1")


def test_negative_first_reading_passes(aw):
    sample = sample_of(aw)
    test = enzyme(aw, sample, "0.300", "0.250")
    sample.refresh_from_db()
    assert (test.result, test.false_positive_warning, sample.status) == (
        RapidResult.NEGATIVE,
        False,
        SampleStatus.PASSED,
    )
    with pytest.raises(ValidationError):
        enzyme(aw, sample, "0.300", "0.100")


def test_positive_then_two_negative_repeats_passes(aw):
    sample = sample_of(aw, "韭菜")
    first = enzyme(aw, sample, "0.303", "0.131")
    assert first.false_positive_warning  # 韭菜 juice inhibits the enzyme by itself
    sample.refresh_from_db()
    assert sample.status == SampleStatus.REPEATING
    enzyme(aw, sample, "0.303", "0.280")
    sample.refresh_from_db()
    assert sample.status == SampleStatus.REPEATING
    enzyme(aw, sample, "0.303", "0.290")
    sample.refresh_from_db()
    assert sample.status == SampleStatus.PASSED
    assert list(sample.rapid_tests.values_list("repeat_index", flat=True)) == [0, 1, 2]


def test_repeat_positive_confirms_and_a_banned_detection_opens_rectification(aw, grower):
    """豇豆 with 氧乐果 on 2026-05-20: banned on vegetables (禁限用农药名录) → fails whatever the amount."""
    sample = sample_of(aw, "豆角", producer=grower)
    enzyme(aw, sample, "0.300", "0.100")
    enzyme(aw, sample, "0.300", "0.110")
    sample.refresh_from_db()
    assert sample.status == SampleStatus.CONFIRMING
    rows = actions.record_lab_results(
        actor=aw.supervisor, sample=sample, results=[(aw.pesticide("氧乐果"), "0.005")]
    )
    sample.refresh_from_db()
    assert rows[0].verdict == LabVerdict.BANNED
    assert sample.status == SampleStatus.FAILED
    case = Case.objects.get(pk=sample.case_id)
    assert (case.kind.code, case.channel, case.category.code, case.node) == (
        "rectification",
        "system",
        "2001",
        aw.village_1,
    )
    assert case.source == sample
    assert "王家庄豇豆合作社" in case.description
    # The producer is the case's contact: the handler tells him, the 回访 asks him.
    assert (case.reporter_name, case.reporter_phone) == ("王建国", "13905390001")


def test_lab_result_within_the_limit_passes_and_no_limit_is_refused(aw):
    sample = sample_of(aw, "韭菜", sampled_at=dt.datetime(2024, 3, 1, 10, 0, tzinfo=TZ))
    for at in ("0.100", "0.100"):
        enzyme(aw, sample, "0.300", at)
    with pytest.raises(ValidationError):  # 噻虫胺 on 韭菜: no limit on record
        actions.record_lab_results(
            actor=aw.supervisor, sample=sample, results=[(aw.pesticide("噻虫胺"), "0.1")]
        )
    rows = actions.record_lab_results(
        actor=aw.supervisor, sample=sample, results=[(aw.pesticide("腐霉利"), "1.2")]
    )
    sample.refresh_from_db()
    # in 2024 GB 2763.1-2022 sets 5 mg/kg
    assert (rows[0].verdict, rows[0].limit_value, sample.status) == (
        LabVerdict.PASS,
        Decimal("5"),
        SampleStatus.PASSED,
    )
    assert sample.case_id is None


def test_colloidal_gold_card_needs_a_pesticide_and_confirms_on_a_positive_repeat(aw):
    sample = sample_of(aw, "芹菜")
    with pytest.raises(ValidationError):
        actions.record_rapid_test(actor=aw.supervisor, sample=sample, method=RapidMethod.GOLD, positive=True)
    acephate = aw.pesticide("乙酰甲胺磷")
    for _ in range(2):
        actions.record_rapid_test(
            actor=aw.supervisor, sample=sample, method=RapidMethod.GOLD, pesticide=acephate, positive=True
        )
    sample.refresh_from_db()
    assert sample.status == SampleStatus.CONFIRMING


def test_supervisor_records_only_in_his_villages(aw):
    with pytest.raises(PermissionDenied):
        actions.record_sample(
            actor=aw.supervisor,
            commodity=aw.commodity("豇豆"),
            village=aw.village_2,
            level=SampleLevel.STREET,
            stall="西关集市",
        )
    with pytest.raises(PermissionDenied):
        actions.create_store(actor=aw.supervisor, name="西关农资店", village=aw.village_2)
    # a 网格员 is no recorder even in his own community; the street admin is, anywhere under the street
    with pytest.raises(PermissionDenied):
        actions.record_sample(
            actor=aw.w.grid_a,
            commodity=aw.commodity("豇豆"),
            village=aw.w.community_a,
            level=SampleLevel.STREET,
            stall="摊位",
        )
    store = actions.create_store(
        actor=aw.w.admin, name="西关农资店", village=aw.village_2, designated_outlet=True
    )
    assert store.designated_outlet
    sample = sample_of(aw)
    with pytest.raises(PermissionDenied):
        actions.record_rapid_test(
            actor=aw.w.grid_b, sample=sample, method=RapidMethod.ENZYME, delta_a0="0.3", delta_at="0.1"
        )
    assert queries.supervised_villages(aw.supervisor) == [aw.village_1]
    assert list(Sample.objects.visible_to(aw.supervisor, Cap.AGRI_VIEW)) == [sample]


def test_sample_needs_a_source_a_known_level_and_a_past_time(aw):
    with pytest.raises(ValidationError) as err:
        actions.record_sample(
            actor=aw.supervisor,
            commodity=aw.commodity("豇豆"),
            village=aw.village_1,
            level="province",
            sampled_at=dt.datetime(2999, 1, 1, tzinfo=TZ),
        )
    assert set(err.value.message_dict) == {"level", "producer", "sampled_at"}


def test_producer_credit_code_is_checked(aw):
    with pytest.raises(ValidationError) as err:
        actions.create_producer(
            actor=aw.supervisor,
            name="错码合作社",
            kind=ProducerKind.COOPERATIVE,
            village=aw.village_1,
            credit_code="93370724MA3C12345X",
        )
    assert "credit_code" in err.value.message_dict


def test_pass_rate_by_level_and_period_excludes_cancelled_and_invalid(aw, grower):
    passed = sample_of(aw)
    enzyme(aw, passed, "0.3", "0.29")
    failed = sample_of(aw, producer=grower)
    enzyme(aw, failed, "0.3", "0.1")
    enzyme(aw, failed, "0.3", "0.1")
    actions.record_lab_results(actor=aw.supervisor, sample=failed, results=[(aw.pesticide("克百威"), "0.02")])
    actions.void_sample(actor=aw.supervisor, sample=sample_of(aw))
    spoiled = sample_of(aw)
    enzyme(aw, spoiled, "0.3", "0.1")
    actions.void_sample(actor=aw.supervisor, sample=spoiled, invalid=True)
    sample_of(aw)  # pending
    sample_of(aw, level=SampleLevel.COUNTY)  # pending, other level
    sample_of(aw, sampled_at=MAY_2026 - dt.timedelta(days=40))  # other period

    may = pass_rate(level=SampleLevel.STREET, start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31))
    assert (may.passed, may.failed, may.pending, may.rate) == (1, 1, 1, 50.0)
    assert pass_rate(level=SampleLevel.CITY).rate is None


def test_weekly_quota_counts_street_vegetable_batches_in_the_iso_week(aw):
    # ISO week 21 of 2026: Monday 18 May – Sunday 24 May (local time)
    monday = dt.datetime(2026, 5, 18, 0, 5, tzinfo=TZ)
    for day in range(9):
        sample_of(aw, sampled_at=monday + dt.timedelta(days=day % 7))
    sample_of(aw, level=SampleLevel.COUNTY, sampled_at=monday)  # not 街道
    sample_of(aw, "茶叶", sampled_at=monday)  # not a vegetable
    sample_of(aw, sampled_at=monday - dt.timedelta(minutes=10))  # Sunday of week 20
    actions.void_sample(actor=aw.supervisor, sample=sample_of(aw, sampled_at=monday))
    week = weekly_quota(2026, 21)
    assert (week.count, week.minimum, week.met) == (9, 10, False)
    sample_of(aw, "辣椒", sampled_at=monday + dt.timedelta(days=6, hours=23))
    assert weekly_quota(2026, 21).met
    assert weekly_quota(2026, 21, minimum=12).met is False


def test_pass_rate_by_commodity_takes_the_subtree(aw, grower):
    ok = sample_of(aw, "豇豆")
    enzyme(aw, ok, "0.3", "0.29")
    pepper = sample_of(aw, "辣椒")
    enzyme(aw, pepper, "0.3", "0.1")
    enzyme(aw, pepper, "0.3", "0.1")
    actions.record_lab_results(actor=aw.supervisor, sample=pepper, results=[(aw.pesticide("克百威"), "0.2")])
    assert pass_rate(commodity="豆类蔬菜").rate == 100.0
    assert pass_rate(commodity="茄果类蔬菜").rate == 0.0
    assert (pass_rate(commodity="蔬菜").passed, pass_rate(commodity="蔬菜").failed) == (1, 1)


def test_quota_streak_counts_consecutive_weeks_met(aw):
    from minsheng.agri.metrics import quota_streak

    # weeks 19, 20 and 21 of 2026 met (2 batches each against a quota of 2); week 18 did not
    for monday in (dt.date(2026, 5, 4), dt.date(2026, 5, 11), dt.date(2026, 5, 18)):
        for hour in (9, 10):
            sample_of(aw, sampled_at=dt.datetime.combine(monday, dt.time(hour), tzinfo=TZ))
    assert quota_streak(dt.date(2026, 5, 24), minimum=2) == 3
    assert quota_streak(dt.date(2026, 5, 25), minimum=2) == 0  # week 22 has nothing yet
