"""The meeting kinds the article names, and the case kind their items are filed under. Admins edit both later."""

from django.db import migrations

#: code, name, case channel, default expected roles, description
KINDS = [
    ("mazha", "马扎议事会", "mazha", ["community_worker", "property_manager", "resident_rep", "resident"],
     "小区院落里搬个马扎围坐议事"),
    ("four_party", "四方联席会议", "four_party",
     ["community_worker", "property_manager", "owners_committee", "resident_rep"], "社区、物业、业委会、居民四方联席"),
    ("monday", "周一议事日", "monday", ["community_worker", "grid_worker", "property_manager", "resident_rep"],
     "每周一社区和小区的议事日"),
    ("open_day", "阳光开放日", "open_day", ["property_manager", "community_worker", "resident"],
     "每月28日物业服务阳光开放日"),
    ("tea_room", "睦邻茶室", "mazha", ["community_worker", "party_member", "resident"], "睦邻茶室拉家常、听民意"),
    ("joint", "联席会议", "four_party",
     ["community_worker", "grid_worker", "property_manager", "owners_committee", "police"], "多部门联席会商"),
]
ORDER = {code: i * 10 for i, (code, *_rest) in enumerate(KINDS, start=1)}
CASE_KIND = ("deliberation", "议事走访事项", True, 15)


def add_kinds(apps, schema_editor):
    MeetingKind = apps.get_model("deliberation", "MeetingKind")
    CaseKind = apps.get_model("cases", "CaseKind")
    for code, name, channel, roles, description in KINDS:
        MeetingKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "channel": channel,
                "default_roles": roles,
                "description": description,
                "order": ORDER[code],
            },
        )
    code, name, follow_up, reopen = CASE_KIND
    CaseKind.objects.get_or_create(
        code=code, defaults={"name": name, "requires_follow_up": follow_up, "reopen_days": reopen}
    )


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0001_initial"), ("cases", "0002_defaults")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
