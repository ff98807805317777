"""`minsheng serve`: the production-grade WSGI server (waitress) with static files from WhiteNoise."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "在本机启动 Web 服务（waitress）"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        from waitress import serve

        from minsheng.wsgi import application

        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        if settings.CELERY_TASK_ALWAYS_EAGER:
            from minsheng.core.periodic import InProcessScheduler

            InProcessScheduler().start()
            self.stdout.write("periodic jobs run in-process (no broker configured)")
        self.stdout.write(self.style.SUCCESS(f"民生 is serving on http://{host}:{port}/  (Ctrl+C to stop)"))
        proxy = {}
        if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
            # Behind nginx on this machine: believe its X-Forwarded-* (waitress drops them from anyone else).
            proxy = {
                "trusted_proxy": "127.0.0.1",
                "trusted_proxy_count": 1,
                "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto x-forwarded-host",
            }
        serve(application, host=host, port=port, threads=threads, ident="minsheng", **proxy)
