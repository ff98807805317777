"""`minsheng export_registry <registry> <out.xlsx> --user <username> [--unmasked]`: the exporter for the IT team,
of every registered spreadsheet resource.

The named user's scope applies exactly as on the web page; `--unmasked` shows personal data only where that user
may see it, and every export is recorded in the audit log under their name.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from minsheng.core.context import acting
from minsheng.core.spreadsheet import export_workbook, resources


class Command(BaseCommand):
    help = "把一个台账导出为 xlsx（按该账号的管辖范围，个人信息默认脱敏）"

    def add_arguments(self, parser):
        parser.add_argument(
            "registry", choices=sorted(resources()), help="台账（组织、人口、农业台账与标准表）"
        )
        parser.add_argument("out", help="输出的 xlsx 文件")
        parser.add_argument("--user", required=True, help="以该账号的权限导出（用户名）")
        parser.add_argument(
            "--unmasked", action="store_true", help="不脱敏（须有查看个人信息的权限，记录审计）"
        )

    def handle(self, *args, registry, out, user, unmasked, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到账号：{user}")
        resource = resources()[registry](actor)
        if not actor.has_cap(resource.export_capability):
            raise CommandError(f"账号 {user} 没有导出台账的权限")
        try:
            with acting(actor), open(out, "wb") as fileobj:
                rows = export_workbook(resource, fileobj, unmasked=unmasked)
        except OSError as exc:
            raise CommandError(f"无法写入 {out}：{exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"已导出 {rows} 行到 {out}"))
