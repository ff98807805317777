import datetime as dt
from decimal import Decimal

from minsheng.agri.choices import LabVerdict, RuleKind
from minsheng.agri.judge import banned_on, judge, limit_in_force
from minsheng.agri.models import Commodity


def test_alias_finds_the_commodity(aw):
    assert aw.commodity("豆角").name == "豇豆"
    assert aw.commodity("豇豆").path_label() == "蔬菜 > 豆类蔬菜 > 豇豆"
    assert Commodity.objects.resolve("不存在的菜") is None


def test_procymidone_on_chinese_chives_changes_with_the_amendment(aw):
    """GB 2763-2021 sets 腐霉利/韭菜 at 0.2 mg/kg; GB 2763.1-2022 (in force 2023-05-11) raises it to 5."""
    procymidone, chives = aw.pesticide("腐霉利"), aw.commodity("韭菜")
    before = limit_in_force(procymidone, chives, dt.date(2023, 5, 10))
    after = limit_in_force(procymidone, chives, dt.date(2023, 5, 11))
    assert (before.mg_per_kg, before.standard.code) == (Decimal("0.2"), "GB 2763-2021")
    assert (after.mg_per_kg, after.standard.code) == (Decimal("5"), "GB 2763.1-2022")
    assert judge(procymidone, chives, Decimal("1.2"), dt.date(2023, 5, 10)).verdict == LabVerdict.OVER_LIMIT
    assert judge(procymidone, chives, Decimal("1.2"), dt.date(2023, 5, 11)).verdict == LabVerdict.PASS
    # before GB 2763-2021 took effect, and after GB 2763-2026 replaced both: no limit on record, no judgement
    assert limit_in_force(procymidone, chives, dt.date(2021, 9, 2)) is None
    assert limit_in_force(procymidone, chives, dt.date(2026, 3, 1)) is None
    assert judge(procymidone, chives, Decimal("1.2"), dt.date(2026, 3, 1)).verdict == LabVerdict.NO_LIMIT


def test_group_limit_applies_to_members_but_not_to_the_excluded_one(aw):
    """噻虫胺: 茄果类蔬菜 (番茄除外) 0.05 — 辣椒 inherits it from the group, 番茄 does not."""
    clothianidin, day = aw.pesticide("噻虫胺"), dt.date(2022, 6, 1)
    assert limit_in_force(clothianidin, aw.commodity("辣椒"), day).mg_per_kg == Decimal("0.05")
    assert limit_in_force(clothianidin, aw.commodity("番茄"), day) is None
    assert judge(clothianidin, aw.commodity("辣椒"), Decimal("0.06"), day).failed


def test_most_specific_node_wins(aw):
    from minsheng.agri.models import MaximumResidueLimit, StandardDoc

    clothianidin, pepper = aw.pesticide("噻虫胺"), aw.commodity("辣椒")
    MaximumResidueLimit.objects.create(
        pesticide=clothianidin,
        commodity=pepper,
        mg_per_kg=Decimal("1"),
        standard=StandardDoc.objects.get(code="GB 2763-2021"),
        source="test",
    )
    assert limit_in_force(clothianidin, pepper, dt.date(2022, 6, 1)).mg_per_kg == Decimal("1")
    assert limit_in_force(
        clothianidin, aw.commodity("其他茄果类蔬菜"), dt.date(2022, 6, 1)
    ).mg_per_kg == Decimal("0.05")


def test_omethoate_on_a_vegetable_partial_ban_then_full_ban(aw):
    """禁限用农药名录: 氧乐果 may not be used on 蔬菜、瓜果、茶叶、菌类、中草药材 (partial ban); 农业农村部公告第736号
    bans its sale and use altogether from 2026-06-01."""
    omethoate, cowpea, day = aw.pesticide("氧乐果"), aw.commodity("豆角"), dt.date(2026, 5, 31)
    before = banned_on(omethoate, cowpea, day)
    assert before.kind == RuleKind.SCOPED_BAN
    after = banned_on(omethoate, cowpea, dt.date(2026, 6, 1))
    assert (after.kind, after.announcement) == (RuleKind.FULL_BAN, "农业农村部公告第736号")
    # banned: any detection fails, with or without a limit
    verdict = judge(omethoate, cowpea, Decimal("0.001"), day)
    assert verdict.verdict == LabVerdict.BANNED and verdict.failed
    assert judge(omethoate, cowpea, Decimal("0"), day).verdict == LabVerdict.PASS


def test_a_scoped_ban_leaves_other_crops_alone_until_the_full_ban(aw):
    """公告2552: 乐果 banned on vegetables only from 2019-08-01; 公告536: 甲拌磷 banned altogether from 2024-09-01."""
    dimethoate, celery = aw.pesticide("乐果"), aw.commodity("芹菜")
    assert banned_on(dimethoate, celery, dt.date(2019, 7, 31)) is None
    assert banned_on(dimethoate, celery, dt.date(2019, 8, 1)).announcement == "农业农村部公告第2552号"
    phorate, tea = aw.pesticide("甲拌磷"), aw.commodity("茶叶")
    assert banned_on(phorate, tea, dt.date(2024, 8, 31)).kind == RuleKind.SCOPED_BAN
    assert banned_on(phorate, tea, dt.date(2024, 9, 1)).kind == RuleKind.FULL_BAN


def test_every_reference_row_carries_its_source(aw):
    from minsheng.agri.models import MaximumResidueLimit, PesticideRule, StandardDoc

    assert PesticideRule.objects.filter(announcement="农业部公告第199号").count() == 18
    assert PesticideRule.objects.filter(announcement="农业部公告第322号").count() == 5
    assert PesticideRule.objects.filter(announcement="农业部公告第1586号").count() == 10
    for model in (StandardDoc, MaximumResidueLimit, PesticideRule):
        assert not model.objects.filter(source="").exists()


def test_cherry_and_ginger_are_in_the_tree_with_the_bans_they_inherit(aw):
    """The article's products: 大樱桃 (the 樱悦田园 cluster) and 生姜 (its campaign). No limit of their own was
    verified; the sourced bans on 水果 and 蔬菜 reach them through the tree."""
    cherry, ginger = aw.commodity("大樱桃"), aw.commodity("姜")
    assert cherry.path_label() == "水果 > 核果类水果 > 樱桃"
    assert ginger.path_label() == "蔬菜 > 根茎类和薯芋类蔬菜 > 生姜"
    day = dt.date(2025, 5, 20)
    assert banned_on(aw.pesticide("氧乐果"), cherry, day).kind == RuleKind.SCOPED_BAN
    assert banned_on(aw.pesticide("毒死蜱"), ginger, day).kind == RuleKind.SCOPED_BAN
    assert banned_on(aw.pesticide("毒死蜱"), cherry, day) is None  # 毒死蜱's ban covers vegetables only
    assert judge(aw.pesticide("克百威"), ginger, Decimal("0.01"), day).verdict == LabVerdict.BANNED
