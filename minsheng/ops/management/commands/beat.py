"""`minsheng beat`: the Celery beat scheduler as a process of its own (run exactly one; a second is harmless)."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "启动定时任务调度进程（Celery beat）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            help="beat 记录上次运行时间的文件（默认 <MINSHENG_VAR_DIR>/celerybeat-schedule）",
        )

    def handle(self, *args, schedule, **options):
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "未配置 CELERY_BROKER_URL / REDIS_URL：嵌入式部署由 minsheng serve 在进程内运行定时任务"
            )
        from minsheng.celery import app

        schedule = schedule or str(settings.VAR_DIR / "celerybeat-schedule")
        app.start(["beat", "--loglevel=INFO", f"--schedule={schedule}"])
        sys.exit(0)
