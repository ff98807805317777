"""Default case kinds, the three-level category tree and time limits (research notes: 12345 practice).

Admins edit all of these afterwards; this only gives a new installation a working start.
"""

from django.db import migrations

KINDS = [
    ("appeal", "诉求", True, 15),
    ("petition", "信访", True, 30),
    ("dispute", "矛盾纠纷", True, 30),
    ("rectification", "整改", False, 0),
    ("alarm", "告警处置", False, 0),
    ("enterprise", "企业诉求", True, 15),
]

# code, name, children (code suffix, name, grandchildren)
CATEGORIES = [
    ("01", "环境卫生", [("01", "垃圾清运", ["暴露垃圾", "垃圾桶满溢", "建筑垃圾"]), ("02", "道路保洁", ["道路不洁", "积水积雪"]), ("03", "绿化养护", ["绿化破坏", "树木修剪"])]),
    ("02", "安全隐患", [("01", "消防安全", ["消防通道堵塞", "电动车违规充电", "消防设施损坏"]), ("02", "设施安全", ["井盖缺失", "墙体脱落", "护栏损坏"])]),
    ("03", "矛盾纠纷", [("01", "邻里纠纷", ["漏水纠纷", "占用公共空间"]), ("02", "家庭纠纷", ["婚姻家庭", "赡养抚养"]), ("03", "物业纠纷", ["物业费争议"])]),
    ("04", "停车", [("01", "乱停乱放", ["占用消防通道停车", "占用车位"]), ("02", "停车设施", ["车位不足", "充电桩"])]),
    ("05", "下水道/排水", [("01", "管道堵塞", ["下水道堵塞", "化粪池满溢"]), ("02", "排水设施", ["雨水井损坏", "路面积水"])]),
    ("06", "电梯", [("01", "电梯故障", ["电梯停运", "电梯困人"]), ("02", "电梯维保", ["维保不到位", "加装电梯"])]),
    ("07", "水电气暖", [("01", "供水", ["停水", "水压不足", "水质问题"]), ("02", "供电", ["停电", "线路老化"]), ("03", "供气", ["燃气泄漏", "停气"]), ("04", "供暖", ["暖气不热", "暖气漏水"])]),
    ("08", "物业服务", [("01", "服务质量", ["保洁不到位", "保安不到位"]), ("02", "公共设施维修", ["楼道灯损坏", "门禁损坏"])]),
    ("09", "违章搭建", [("01", "违法建设", ["私搭乱建", "占用绿地"])]),
    ("10", "噪音", [("01", "生活噪音", ["装修噪音", "广场舞噪音"]), ("02", "经营噪音", ["商铺噪音", "施工噪音"])]),
    ("11", "政策咨询", [("01", "民生政策", ["社保医保", "低保救助", "养老服务"]), ("02", "办事指南", ["证照办理", "其他咨询"])]),
    ("99", "其他", [("01", "其他问题", ["其他"])]),
]

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def step(n: int) -> str:
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def add_defaults(apps, schema_editor):
    CaseKind = apps.get_model("cases", "CaseKind")
    Category = apps.get_model("cases", "Category")
    TimeLimit = apps.get_model("cases", "TimeLimit")
    for code, name, follow_up, reopen in KINDS:
        CaseKind.objects.get_or_create(
            code=code, defaults={"name": name, "requires_follow_up": follow_up, "reopen_days": reopen}
        )
    if Category.objects.exists():
        return
    from pypinyin import Style, lazy_pinyin

    def key(text):
        full = "".join(lazy_pinyin(text)).lower()
        initials = "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER) if p).lower()
        return f"{full} {initials}"

    by_code = {}
    for i, (code, name, children) in enumerate(CATEGORIES, start=1):
        top = Category.objects.create(
            path=step(i), depth=1, numchild=len(children), code=code, name=name, search_key=key(name)
        )
        by_code[code] = top
        for j, (sub, sub_name, leaves) in enumerate(children, start=1):
            mid = Category.objects.create(
                path=top.path + step(j),
                depth=2,
                numchild=len(leaves),
                code=code + sub,
                name=sub_name,
                search_key=key(sub_name),
            )
            for k, leaf in enumerate(leaves, start=1):
                Category.objects.create(
                    path=mid.path + step(k),
                    depth=3,
                    numchild=0,
                    code=f"{code}{sub}{k:02d}",
                    name=leaf,
                    search_key=key(leaf),
                )
    limits = [
        # category, urgency, accept h, sign h, amount, unit, approval
        (None, "normal", 2, 2, 5, "working_days", False),
        (None, "urgent", 1, 1, 24, "hours", False),
        (None, "emergency", 0.5, 0.5, 2, "hours", False),
        ("07", "normal", 1, 1, 24, "hours", False),
        ("11", "normal", 2, 2, 1, "working_days", False),
        ("09", "normal", 4, 4, 15, "working_days", True),
        ("03", "normal", 2, 2, 15, "working_days", False),
    ]
    for code, urgency, accept, sign, amount, unit, approval in limits:
        TimeLimit.objects.create(
            category=by_code.get(code) if code else None,
            urgency=urgency,
            accept_hours=accept,
            sign_hours=sign,
            finish_amount=amount,
            finish_unit=unit,
            needs_approval=approval,
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
