"""`minsheng import_registry <registry> <file.xlsx> --user <username> [--dry-run]`: the importer for the IT team,
of every registered spreadsheet resource (org's registries, agri's ledgers and reference tables …).

The named user's permissions and scope apply exactly as on the web page, and the changes are recorded under their
name. Any bad row leaves the file unimported; the errors are listed (the first ones, and how many there were).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from minsheng.core.spreadsheet import import_workbook, resources


class Command(BaseCommand):
    help = "从 xlsx 导入一个台账（任何一行有错误时整个文件都不写入）"

    def add_arguments(self, parser):
        parser.add_argument(
            "registry", choices=sorted(resources()), help="台账（组织、人口、农业台账与标准表）"
        )
        parser.add_argument("file", help="xlsx 文件")
        parser.add_argument("--user", required=True, help="以该账号的权限导入（用户名）")
        parser.add_argument("--dry-run", action="store_true", help="仅校验，不写入")

    def handle(self, *args, registry, file, user, dry_run, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到账号：{user}")
        resource = resources()[registry](actor)
        if not actor.has_cap(resource.import_capability):
            raise CommandError(f"账号 {user} 没有导入台账的权限")
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
