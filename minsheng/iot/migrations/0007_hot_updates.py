"""Cheaper writes for the rows every ingestion batch changes (docs/benchmarks.md, "Sensor ingestion").

- Sensor.last_seen loses its index and iot_sensor / iot_rulestate keep 30 % of each page free (PostgreSQL's
  fillfactor): an update that changes no indexed column and finds room on its page is a HOT update — no new
  index entries, the old version pruned in place. The batch's UPDATE of 3,000 sensors went from 73 ms to 10 ms.
- Reading.sensor and RuleState.sensor lose their own index: the unique (sensor, …) index already starts with it.
"""

import django.db.models.deletion
from django.db import migrations, models

HOT_TABLES = ("iot_sensor", "iot_rulestate")


def fillfactor(value):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in HOT_TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {int(value)})")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("iot", "0006_threshold_help_texts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reading",
            name="sensor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="readings",
                to="iot.sensor",
            ),
        ),
        migrations.AlterField(
            model_name="rulestate",
            name="sensor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="rule_states",
                to="iot.sensor",
            ),
        ),
        migrations.AlterField(
            model_name="sensor",
            name="last_seen",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最后上报"),
        ),
        migrations.RunPython(fillfactor(70), fillfactor(100)),
    ]
