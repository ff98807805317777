"""The event kinds the engine ships: the article's activities plus the trainings and meetings other domains host."""

from django.db import migrations

KINDS = [
    ("market", "公益市集", "orange"),
    ("calligraphy", "书画笔会", "purple"),
    ("performance", "文艺演出", "red"),
    ("clinic", "健康义诊", "green"),
    ("publicity", "宣传宣讲", "blue"),
    ("festival", "节日主题活动", "pink"),
    ("volunteer", "志愿服务", "teal"),
    ("party", "党建活动", "red"),
    ("culture", "文体活动", "cyan"),
    ("training", "培训", "indigo"),
    ("matchmaking", "对接会", "amber"),
    ("agri_training", "农技培训", "lime"),
    ("expert_training", "专家培训", "lime"),
]


def add_kinds(apps, schema_editor):
    EventKind = apps.get_model("activities", "EventKind")
    for sort, (code, name, color) in enumerate(KINDS, start=1):
        EventKind.objects.get_or_create(code=code, defaults={"name": name, "color": color, "sort": sort * 10})


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
