"""The centre's case kinds in the engine: 矛盾纠纷 and 信访 (readable only with petition.view).

The engine's own defaults may already hold rows with these codes; they are taken over, not duplicated.
"""

from django.db import migrations

KINDS = [
    # code, name, follow-up, reopen days, capability needed to read
    ("dispute", "矛盾纠纷", True, 30, ""),
    ("petition", "信访", True, 30, "petition.view"),
]


def add_kinds(apps, schema_editor):
    CaseKind = apps.get_model("cases", "CaseKind")
    for code, name, follow_up, reopen, capability in KINDS:
        kind, created = CaseKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "requires_follow_up": follow_up,
                "reopen_days": reopen,
                "view_capability": capability,
            },
        )
        if not created and kind.view_capability != capability:
            kind.view_capability = capability
            kind.save(update_fields=["view_capability"])


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_initial"), ("cases", "0003_kind_view_capability_letter_channel")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
