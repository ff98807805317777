"""`minsheng serve`: the production-grade WSGI server (waitress) with static files from WhiteNoise."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "在本机启动 Web 服务（waitress）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, host: Any, port: Any, threads: Any, **options: Any) -> None:
        from waitress import serve

        from minsheng.wsgi import application

        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        if settings.CELERY_TASK_ALWAYS_EAGER:
            from minsheng.core.periodic import InProcessScheduler

            InProcessScheduler().start()
            self.stdout.write("periodic jobs run in-process (no broker configured)")
        self.stdout.write(self.style.SUCCESS(f"民生 is serving on http://{host}:{port}/  (Ctrl+C to stop)"))
        serve(application, host=host, port=port, threads=threads, ident="minsheng")
