"""`minsheng import_registry <registry> <file.xlsx> --user <username> [--dry-run]`: the importer for the IT team,
of every registered spreadsheet resource (org's registries, agri's ledgers and reference tables …).

The named user's permissions and scope apply exactly as on the web page, and the changes are recorded under their
name. Any bad row leaves the file unimported; the errors are listed (the first ones, and how many there were).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.core.management.registry import add_registry_argument, resource_as
from minsheng.core.spreadsheet import import_workbook


class Command(BaseCommand):
    help = "从 xlsx 导入一个台账（任何一行有错误时整个文件都不写入）"

    def add_arguments(self, parser: CommandParser) -> None:
        add_registry_argument(parser)
        parser.add_argument("file", help="xlsx 文件")
        parser.add_argument("--user", required=True, help="以该账号的权限导入（用户名）")
        parser.add_argument("--dry-run", action="store_true", help="仅校验，不写入")

    def handle(self, *args: Any, registry: Any, file: Any, user: Any, dry_run: Any, **options: Any) -> None:
        resource, _actor = resource_as(registry, user, importing=True)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        with path.open("rb") as fileobj:
            report = import_workbook(resource, fileobj, dry_run=dry_run, filename=path.name)
        for error in report.errors:
            self.stderr.write(str(error))
        if report.errors_truncated:
            self.stderr.write(f"……共 {report.error_count} 处错误，仅列出前 {len(report.errors)} 处")
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
