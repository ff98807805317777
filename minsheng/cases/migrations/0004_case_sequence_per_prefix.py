"""Case numbers per 街道: the counter is keyed by (prefix, year) instead of the year alone.

The old counter's rows move under the deployment's default prefix (MINSHENG_CASE_PREFIX), so a single-街道
deployment goes on numbering from where it was and every existing number stays what it is.
"""

from django.conf import settings
from django.db import migrations, models


def copy_counters(apps, schema_editor):
    old = apps.get_model("cases", "CaseSequence")
    new = apps.get_model("cases", "CaseSequenceByPrefix")
    prefix = settings.MINSHENG_CASE_PREFIX
    new.objects.bulk_create(new(prefix=prefix, year=row.year, last=row.last) for row in old.objects.all())


def copy_back(apps, schema_editor):
    old = apps.get_model("cases", "CaseSequence")
    new = apps.get_model("cases", "CaseSequenceByPrefix")
    for row in new.objects.filter(prefix=settings.MINSHENG_CASE_PREFIX):
        old.objects.create(year=row.year, last=row.last)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_kind_view_capability_letter_channel"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseSequenceByPrefix",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("prefix", models.CharField(max_length=8)),
                ("year", models.PositiveSmallIntegerField()),
                ("last", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("prefix", "year"), name="case_sequence_unique_prefix_year")
                ],
            },
        ),
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(name="CaseSequence"),
        migrations.RenameModel(old_name="CaseSequenceByPrefix", new_name="CaseSequence"),
    ]
