"""Reference data loaded by the data migration: GB/T 4754-2017 sections, the default tags, the stage time limits,
and the 企业诉求 categories with the enterprise clock (山东 接诉即办: 1 / 3 / 15 / 30 working days)."""

from minsheng.cases.categories import add_categories

#: 国民经济行业分类 GB/T 4754-2017 门类.
INDUSTRIES = [
    ("A", "农、林、牧、渔业"),
    ("B", "采矿业"),
    ("C", "制造业"),
    ("D", "电力、热力、燃气及水生产和供应业"),
    ("E", "建筑业"),
    ("F", "批发和零售业"),
    ("G", "交通运输、仓储和邮政业"),
    ("H", "住宿和餐饮业"),
    ("I", "信息传输、软件和信息技术服务业"),
    ("J", "金融业"),
    ("K", "房地产业"),
    ("L", "租赁和商务服务业"),
    ("M", "科学研究和技术服务业"),
    ("N", "水利、环境和公共设施管理业"),
    ("O", "居民服务、修理和其他服务业"),
    ("P", "教育"),
    ("Q", "卫生和社会工作"),
    ("R", "文化、体育和娱乐业"),
    ("S", "公共管理、社会保障和社会组织"),
    ("T", "国际组织"),
]

TAGS = [
    ("龙头企业", "red"),
    ("规上", "blue"),
    ("小微", "green"),
    ("新落地", "orange"),
    ("初创", "orange"),
    ("高新技术", "blue"),
    ("专精特新", "blue"),
    ("外贸", "gray"),
]

#: stage, working days, basis. Only the lead's limit is a published rule (江门: answered within 1 day, assessed
#: within 3); the others are this 街道's defaults, editable in 系统配置 (decision 0030).
STAGE_LIMITS = [
    ("lead", 3, "江门市招商线索管理办法：1日内登记答复、3日内研判"),
    ("talks", 40, "本街道默认：洽谈两个月内签约或研判放弃（每两周报告进展）"),
    ("signed", 20, "本街道默认：签约后一个月内成立专班、启动落地推进"),
    ("landing", 120, "本街道默认：立项、供地、开工半年内完成"),
    ("production", 60, "本街道默认：开工至投产后三个月内转入运营服务"),
]

#: (code, name, parent) — codes start with letters so they never meet another app's numeric codes.
CASE_CATEGORIES = [
    ("QY", "企业诉求", None),
    ("QY01", "政策咨询", "QY"),
    ("QY02", "一般诉求", "QY"),
    ("QY03", "复杂跨部门诉求", "QY"),
]
DEFAULT_CATEGORY = "QY02"
#: The enterprise clock: category, urgency, accept (working hours; 7.5 = one working day: 核实启动), sign, finish
#: amount, unit, needs approval. 15 working days to solve or have the service confirmed, up to 30 for complex
#: cross-department problems; a consultation is answered within 3 working days.
TIME_LIMITS = [
    ("QY", "normal", 7.5, 7.5, 15, "working_days", False),
    ("QY", "urgent", 3.75, 3.75, 3, "working_days", False),
    ("QY", "emergency", 1, 1, 1, "working_days", False),
    ("QY01", "normal", 7.5, 7.5, 3, "working_days", False),
    ("QY03", "normal", 7.5, 7.5, 30, "working_days", True),
]


def load(apps, schema_editor=None) -> None:
    """Idempotent: a row already there is left as the admins changed it."""
    Industry = apps.get_model("enterprise", "Industry")
    Tag = apps.get_model("enterprise", "EnterpriseTag")
    StageLimit = apps.get_model("enterprise", "StageLimit")
    CaseKind = apps.get_model("cases", "CaseKind")
    Category = apps.get_model("cases", "Category")
    TimeLimit = apps.get_model("cases", "TimeLimit")
    for code, name in INDUSTRIES:
        Industry.objects.get_or_create(code=code, defaults={"name": name})
    for order, (name, color) in enumerate(TAGS, start=1):
        Tag.objects.get_or_create(name=name, defaults={"color": color, "order": order})
    for stage, days, basis in STAGE_LIMITS:
        StageLimit.objects.get_or_create(stage=stage, defaults={"working_days": days, "basis": basis})
    CaseKind.objects.get_or_create(
        code="enterprise", defaults={"name": "企业诉求", "requires_follow_up": True, "reopen_days": 15}
    )
    add_categories(Category, CASE_CATEGORIES)
    for code, urgency, accept, sign, amount, unit, approval in TIME_LIMITS:
        category = Category.objects.get(code=code)
        TimeLimit.objects.get_or_create(
            category=category,
            urgency=urgency,
            defaults={
                "accept_hours": accept,
                "sign_hours": sign,
                "finish_amount": amount,
                "finish_unit": unit,
                "needs_approval": approval,
            },
        )
