"""A petition's 受理 clock in the engine covers its statutory 告知 period.

The engine counts the 受理 and 签收 clocks towards 超期 as well as 办结. A petition's case waits in 登记 until the
centre tells the petitioner whether it is accepted — up to 15 natural days (信访工作条例) — so the 8 working hours
0003 gave it called every petition late on its second day. 15 natural days hold at most 13 working days (with 调休
makeup days), and the default office day is 7.5 hours: 120 working hours never run ahead of the statutory day, and
the centre's own clock (decision 0027) reminds on the exact date. Disputes are accepted and signed in the step
that registers them, so their 8 hours stay.
"""

from django.db import migrations

PETITION_ACCEPT_HOURS = 120
OLD_ACCEPT_HOURS = 8


def widen(apps, schema_editor):
    TimeLimit = apps.get_model("cases", "TimeLimit")
    TimeLimit.objects.filter(category__code="M2", urgency="normal", accept_hours=OLD_ACCEPT_HOURS).update(
        accept_hours=PETITION_ACCEPT_HOURS
    )


def narrow(apps, schema_editor):
    TimeLimit = apps.get_model("cases", "TimeLimit")
    TimeLimit.objects.filter(category__code="M2", urgency="normal", accept_hours=PETITION_ACCEPT_HOURS).update(
        accept_hours=OLD_ACCEPT_HOURS
    )


class Migration(migrations.Migration):
    dependencies = [("mediation", "0003_engine_categories")]
    operations = [migrations.RunPython(widen, narrow)]
