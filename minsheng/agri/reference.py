"""The reference data a new installation starts with: only values read in a named public source, each with it.

What the research could not verify is left out (see docs/agri.md) — a judgement on a guessed limit is worse than
"no limit on record", which the system refuses to judge. Loaded by a data migration with historical models, and
again by the tests after a transactional test has emptied the tables; idempotent.
"""

import datetime as dt
from decimal import Decimal

from minsheng.cases.categories import add_categories

D = dt.date

STANDARDS = [
    # code, title, effective from, withdrawn on, source
    (
        "GB 2763-2021",
        "食品安全国家标准 食品中农药最大残留限量",
        D(2021, 9, 3),
        D(2026, 3, 1),
        "国家卫生健康委 农业农村部 市场监管总局公告2021年第4号，2021-03-03发布，2021-09-03实施"
        "（https://g.haiweili.com/GB2763-2021）；由GB 2763-2026代替（公告2026年第2号）",
    ),
    (
        "GB 2763.1-2022",
        "食品安全国家标准 食品中2,4-滴丁酸钠盐等112种农药最大残留限量",
        D(2023, 5, 11),
        D(2026, 3, 1),
        "2022-11-11公告发布，自发布之日起6个月实施，与GB 2763-2021配套使用"
        "（http://bzwz-gov.com/article.php?id=366）；由GB 2763-2026代替",
    ),
    (
        "GB 2763-2026",
        "食品安全国家标准 食品中农药最大残留限量",
        D(2026, 3, 1),
        None,
        "国家卫生健康委 农业农村部 市场监管总局公告2026年第2号，2026-03-01实施，代替GB 2763-2021和GB 2763.1-2022"
        "（https://bysee-sra.com/article.aspx?id=1076）；限量值尚未录入",
    ),
]

# The GB 2763 food classification, only as far as the sourced limits and bans need it: (name, parent).
COMMODITIES = [
    ("蔬菜", None),
    ("鳞茎类蔬菜", "蔬菜"),
    ("韭菜", "鳞茎类蔬菜"),
    ("叶菜类蔬菜", "蔬菜"),
    ("芹菜", "叶菜类蔬菜"),
    ("豆类蔬菜", "蔬菜"),
    ("豇豆", "豆类蔬菜"),
    ("茄果类蔬菜", "蔬菜"),
    ("番茄", "茄果类蔬菜"),
    ("其他茄果类蔬菜", "茄果类蔬菜"),
    ("辣椒", "其他茄果类蔬菜"),
    ("水果", None),
    ("茶叶", None),
    # The article's own products beyond the campaign's "三棵菜": 生姜 (named in its campaign) and 大樱桃 (the 樱悦田园
    # cluster). GB 2763 places them under 根茎类和薯芋类蔬菜 and 核果类水果; no limit of their own was verified, so
    # they are judged by the bans on 蔬菜 and 水果 they inherit (see docs/agri.md).
    ("根茎类和薯芋类蔬菜", "蔬菜"),
    ("生姜", "根茎类和薯芋类蔬菜"),
    ("核果类水果", "水果"),
    ("樱桃", "核果类水果"),
    ("食用菌", None),
    ("药用植物", None),
]
ALIASES = [
    ("豆角", "豇豆"),
    ("长豆角", "豇豆"),
    ("西红柿", "番茄"),
    ("姜", "生姜"),
    ("大樱桃", "樱桃"),
    ("车厘子", "樱桃"),
]

# Chemical class only where a public source says so (cholinesterase inhibitors show on enzyme-inhibition cards).
_OP_SOURCE = (
    "郁佳等《食品中有机磷农药检测方法综述》（https://conference.wf.pub/article:159_wfid%3Aconference6492258）"
)
CHEM_CLASSES = {
    "甲胺磷": ("organophosphate", _OP_SOURCE),
    "对硫磷": ("organophosphate", _OP_SOURCE),
    "内吸磷": ("organophosphate", _OP_SOURCE),
    "甲拌磷": ("organophosphate", _OP_SOURCE),
    "乐果": ("organophosphate", "https://www.qingchuanbo.com/bingchonghai/118934.html"),
    "克百威": ("carbamate", "https://www.qingchuanbo.com/bingchonghai/48688.html"),
}

_GB2021 = "GB 2763-2021"
_GB2022 = "GB 2763.1-2022"
LIMITS = [
    # pesticide, commodity, excluded, mg/kg, standard, source
    ("腐霉利", "韭菜", [], Decimal("0.2"), _GB2021, "GB 2763-2021 腐霉利 韭菜 0.2 mg/kg"),
    (
        "腐霉利",
        "韭菜",
        [],
        Decimal("5"),
        _GB2022,
        "GB 2763.1-2022 腐霉利 韭菜 5 mg/kg（修订GB 2763-2021的0.2）",
    ),
    ("乙酰甲胺磷", "芹菜", [], Decimal("0.02"), _GB2021, "GB 2763-2021 乙酰甲胺磷 芹菜 0.02 mg/kg"),
    (
        "噻虫胺",
        "茄果类蔬菜",
        ["番茄"],
        Decimal("0.05"),
        _GB2021,
        "GB 2763-2021 噻虫胺 茄果类蔬菜（番茄除外）0.05 mg/kg",
    ),
]

_LIST_2019 = "农业农村部《禁限用农药名录》（2019）"
FULL_BANS = [
    # names, effective from, announcement, source
    (
        "六六六 滴滴涕 毒杀芬 二溴氯丙烷 杀虫脒 二溴乙烷 除草醚 艾氏剂 狄氏剂 汞制剂 砷类 铅类 敌枯双 氟乙酰胺 甘氟 毒鼠强 "
        "氟乙酸钠 毒鼠硅",
        None,
        "农业部公告第199号",
        _LIST_2019,
    ),
    ("甲胺磷 甲基对硫磷 对硫磷 久效磷 磷胺", None, "农业部公告第322号", _LIST_2019),
    (
        "苯线磷 地虫硫磷 甲基硫环磷 磷化钙 磷化镁 磷化锌 硫线磷 蝇毒磷 治螟磷 特丁硫磷",
        None,
        "农业部公告第1586号",
        _LIST_2019,
    ),
    ("三氯杀螨醇", D(2018, 10, 1), "", _LIST_2019),
    ("溴甲烷 硫丹", D(2019, 1, 1), "", _LIST_2019 + "（农业用途）"),
    (
        "甲拌磷 甲基异柳磷 水胺硫磷 灭线磷",
        D(2024, 9, 1),
        "农业农村部公告第536号",
        "农业农村部公告第536号：自2024-09-01起禁止销售和使用",
    ),
    (
        "氧乐果 克百威 灭多威 涕灭威",
        D(2026, 6, 1),
        "农业农村部公告第736号",
        "农业农村部公告第736号（2023-12-25）：自2026-06-01起禁止销售和使用",
    ),
]

SCOPED_BANS = [
    # names, scope text, scope nodes, effective from, announcement, source
    (
        "甲拌磷 甲基异柳磷 克百威 水胺硫磷 氧乐果 灭多威 涕灭威 灭线磷",
        "禁止在蔬菜、瓜果、茶叶、菌类、中草药材上使用",
        ["蔬菜", "水果", "茶叶", "食用菌", "药用植物"],
        None,
        "",
        _LIST_2019,
    ),
    (
        "内吸磷 硫环磷 氯唑磷",
        "禁止在蔬菜、瓜果、茶叶、中草药材上使用",
        ["蔬菜", "水果", "茶叶", "药用植物"],
        None,
        "",
        _LIST_2019,
    ),
    (
        "乙酰甲胺磷 丁硫克百威 乐果",
        "自2019-08-01起禁止在蔬菜、瓜果、茶叶、菌类、中草药材上使用",
        ["蔬菜", "水果", "茶叶", "食用菌", "药用植物"],
        D(2019, 8, 1),
        "农业农村部公告第2552号",
        _LIST_2019,
    ),
    ("毒死蜱 三唑磷", "自2016-12-31起禁止在蔬菜上使用", ["蔬菜"], D(2016, 12, 31), "", _LIST_2019),
]

#: The category rectification cases opened by a failed sample are filed under (code, name, parent code).
CASE_CATEGORIES = [
    ("20", "农产品质量安全", None),
    ("2001", "农残抽检不合格", "20"),
    ("2002", "农资门店检查问题", "20"),
]
RECTIFICATION_CATEGORY = "2001"
STORE_CATEGORY = "2002"


def add_article_products(apps) -> None:
    """樱桃 and 生姜 (with their GB 2763 parents and aliases) in a database loaded before they were listed."""
    Commodity = apps.get_model("agri", "Commodity")
    CommodityAlias = apps.get_model("agri", "CommodityAlias")
    nodes = {c.name: c for c in Commodity.objects.all()}
    for name, parent in COMMODITIES:
        if name not in nodes and (parent is None or parent in nodes):
            nodes[name] = Commodity.objects.create(name=name, parent=nodes.get(parent))
    for alias, name in ALIASES:
        if name in nodes:
            CommodityAlias.objects.get_or_create(name=alias, defaults={"commodity": nodes[name]})


def load(apps) -> None:
    StandardDoc = apps.get_model("agri", "StandardDoc")
    Commodity = apps.get_model("agri", "Commodity")
    CommodityAlias = apps.get_model("agri", "CommodityAlias")
    Pesticide = apps.get_model("agri", "Pesticide")
    Limit = apps.get_model("agri", "MaximumResidueLimit")
    Rule = apps.get_model("agri", "PesticideRule")

    standards = {}
    for code, title, start, end, source in STANDARDS:
        standards[code], _ = StandardDoc.objects.get_or_create(
            code=code,
            defaults={"title": title, "effective_from": start, "withdrawn_on": end, "source": source},
        )
    nodes = {}
    for name, parent in COMMODITIES:
        nodes[name], _ = Commodity.objects.get_or_create(name=name, defaults={"parent": nodes.get(parent)})
    for alias, name in ALIASES:
        CommodityAlias.objects.get_or_create(name=alias, defaults={"commodity": nodes[name]})

    def pesticide(name):
        chem_class, source = CHEM_CLASSES.get(name, ("unknown", ""))
        return Pesticide.objects.get_or_create(
            name=name, defaults={"chem_class": chem_class, "source": source}
        )[0]

    for name, commodity, excluded, value, standard, source in LIMITS:
        row, created = Limit.objects.get_or_create(
            pesticide=pesticide(name),
            commodity=nodes[commodity],
            standard=standards[standard],
            defaults={"mg_per_kg": value, "source": source},
        )
        if created:
            row.excluded.set([nodes[n] for n in excluded])
    for names, start, announcement, source in FULL_BANS:
        for name in names.split():
            Rule.objects.get_or_create(
                pesticide=pesticide(name),
                kind="full_ban",
                effective_from=start,
                defaults={"announcement": announcement, "source": source, "scope_text": "全面禁用"},
            )
    for names, text, scopes, start, announcement, source in SCOPED_BANS:
        for name in names.split():
            rule, created = Rule.objects.get_or_create(
                pesticide=pesticide(name),
                kind="scoped_ban",
                effective_from=start,
                defaults={"announcement": announcement, "source": source, "scope_text": text},
            )
            if created:
                rule.scopes.set([nodes[n] for n in scopes])
    add_case_categories(apps)


def add_case_categories(apps) -> None:
    Category = apps.get_model("cases", "Category")
    add_categories(Category, CASE_CATEGORIES)
