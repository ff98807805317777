"""GB/T 4754 sections, default tags and stage limits, and the 企业诉求 categories with the enterprise clock."""

from django.db import migrations


def load(apps, schema_editor):
    from minsheng.enterprise.reference import load

    load(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("enterprise", "0001_initial"), ("cases", "0002_defaults")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
