"""Sourced reference data: standards, commodity tree, verified limits, bans; the rectification case category."""

from django.db import migrations


def load(apps, schema_editor):
    from minsheng.agri.reference import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("agri", "0001_initial"), ("cases", "0002_defaults")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
