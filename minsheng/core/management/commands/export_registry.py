"""`minsheng export_registry <registry> <out.xlsx> --user <username> [--unmasked]`: the exporter for the IT team,
of every registered spreadsheet resource.

The named user's scope applies exactly as on the web page; `--unmasked` shows personal data only where that user
may see it, and every export is recorded in the audit log under their name.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.core.context import acting
from minsheng.core.management.registry import add_registry_argument, resource_as
from minsheng.core.spreadsheet import export_workbook


class Command(BaseCommand):
    help = "把一个台账导出为 xlsx（按该账号的管辖范围，个人信息默认脱敏）"

    def add_arguments(self, parser: CommandParser) -> None:
        add_registry_argument(parser)
        parser.add_argument("out", help="输出的 xlsx 文件")
        parser.add_argument("--user", required=True, help="以该账号的权限导出（用户名）")
        parser.add_argument(
            "--unmasked", action="store_true", help="不脱敏（须有查看个人信息的权限，记录审计）"
        )

    def handle(self, *args: Any, registry: Any, out: Any, user: Any, unmasked: Any, **options: Any) -> None:
        resource, actor = resource_as(registry, user, importing=False)
        try:
            with acting(actor), open(out, "wb") as fileobj:
                rows = export_workbook(resource, fileobj, unmasked=unmasked)
        except OSError as exc:
            raise CommandError(f"无法写入 {out}：{exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"已导出 {rows} 行到 {out}"))
