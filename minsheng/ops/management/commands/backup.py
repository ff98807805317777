"""`minsheng backup`: the database and the media folder into a dated folder (docs/deploy.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from minsheng.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库和附件到一个带日期的目录"

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", dest="destination", help="备份目录的上级目录（默认 <MINSHENG_VAR_DIR>/backups）"
        )

    def handle(self, *args, destination, **options):
        try:
            folder = backup(Path(destination or settings.VAR_DIR / "backups"))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"备份完成：{folder}"))
