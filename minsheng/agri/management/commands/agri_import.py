"""`minsheng agri_import <table> <file.xlsx> --user <username> [--dry-run]`: the agri tables' importer for the IT
team (producers, stores, supervisors, letters, publicity, waste, standards, pesticides, limits, bans).

The named user's permissions and scope apply exactly as on /agri/io/; any bad row leaves the file unimported."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from minsheng.agri.spreadsheets import AGRI_TABLES
from minsheng.core.spreadsheet import import_workbook


class Command(BaseCommand):
    help = "从 xlsx 导入一张农业台账或标准表（任何一行有错误时整个文件都不写入）"

    def add_arguments(self, parser):
        parser.add_argument("table", choices=sorted(AGRI_TABLES), help="台账")
        parser.add_argument("file", help="xlsx 文件")
        parser.add_argument("--user", required=True, help="以该账号的权限导入（用户名）")
        parser.add_argument("--dry-run", action="store_true", help="仅校验，不写入")

    def handle(self, *args, table, file, user, dry_run, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到账号：{user}")
        resource = AGRI_TABLES[table](actor)
        if not actor.has_cap(resource.import_capability):
            raise CommandError(f"账号 {user} 没有导入该表的权限")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        with path.open("rb") as fileobj:
            report = import_workbook(resource, fileobj, dry_run=dry_run, filename=path.name)
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
