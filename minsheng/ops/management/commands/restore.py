"""`minsheng restore <folder>`: a backup into an empty database and an empty media folder (docs/deploy.md)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from minsheng.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "把备份恢复到空数据库和空附件目录，然后执行迁移"

    def add_arguments(self, parser):
        parser.add_argument("folder", help="minsheng backup 写出的备份目录")

    def handle(self, *args, folder, **options):
        try:
            manifest = restore(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # A backup of an older release comes up to this one's schema.
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复 {manifest['created_at']} 的备份（{manifest['media_files']} 个附件），并已执行迁移"
            )
        )
