from django.db import migrations

DEFAULT_TAGS = [
    ("elderly", "老年人"),
    ("dibao", "低保"),
    ("party", "党员"),
    ("alone", "独居"),
    ("disabled", "残疾人"),
    ("veteran", "退役军人"),
    ("left_behind", "留守人员"),
    ("tekun", "特困"),
]


def add_tags(apps, schema_editor):
    ResidentTag = apps.get_model("org", "ResidentTag")
    for code, name in DEFAULT_TAGS:
        ResidentTag.objects.get_or_create(code=code, defaults={"name": name})


def remove_tags(apps, schema_editor):
    apps.get_model("org", "ResidentTag").objects.filter(code__in=[c for c, _ in DEFAULT_TAGS]).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(add_tags, remove_tags)]
