"""The centre's own categories in the engine, with time limits that never run ahead of the statutory clocks.

A dispute's case and a petition's case are handled by the engine, whose deadline clock warns and escalates by the
category's time limit. The appeal categories' limits (5 working days by default, 15 for 矛盾纠纷) would call a
petition overdue weeks before its 60 statutory days. These two categories carry limits in working days that cover
the statutory periods (a month of mediation ends within 24 working days, 60 natural days within 45), so the
engine's clock stays quiet while the centre's own statutory clocks (decision 0027) remind on the exact dates.
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CATEGORIES = [
    # code, name, working days for 办结
    ("M1", "人民调解", 24),
    ("M2", "信访事项", 45),
]


def _step(n: int) -> str:
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def _number(path: str) -> int:
    n = 0
    for ch in path:
        n = n * 36 + ALPHABET.index(ch)
    return n


def add_categories(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    TimeLimit = apps.get_model("cases", "TimeLimit")
    from pypinyin import Style, lazy_pinyin

    for code, name, days in CATEGORIES:
        category = Category.objects.filter(code=code).first()
        if category is None:
            last = Category.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
            path = _step(_number(last) + 1 if last else 1)
            full = "".join(lazy_pinyin(name)).lower()
            initials = "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p).lower()
            category = Category.objects.create(
                path=path, depth=1, numchild=0, code=code, name=name, search_key=f"{full} {initials}"
            )
        TimeLimit.objects.get_or_create(
            category=category,
            urgency="normal",
            defaults={
                "accept_hours": 8,
                "sign_hours": 8,
                "finish_amount": days,
                "finish_unit": "working_days",
                "needs_approval": False,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("mediation", "0002_case_kinds"), ("cases", "0002_defaults")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
