"""`minsheng worker`: a Celery worker with the beat scheduler embedded, for deployments with a broker."""

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "启动后台任务进程（Celery worker，含定时任务）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-beat", action="store_true", help="不在本进程运行定时任务（另起 celery beat）"
        )
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *args: Any, no_beat: Any, concurrency: Any, **options: Any) -> None:
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "未配置 CELERY_BROKER_URL / REDIS_URL：嵌入式部署由 minsheng serve 在进程内运行定时任务"
            )
        from minsheng.celery import app

        argv = ["worker", "--loglevel=INFO", f"--concurrency={concurrency}"]
        if not no_beat:
            argv.append("--beat")
        app.worker_main(argv)
        sys.exit(0)
