"""`minsheng serve`: the production-grade WSGI server (waitress) with static files from WhiteNoise."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def waitress_options() -> dict[str, Any]:
    """Behind a reverse proxy (`MINSHENG_BEHIND_PROXY=1`), waitress must be told to believe it: otherwise it drops
    X-Forwarded-Proto, every request looks like plain HTTP, and the HTTPS redirect sends it to itself for ever.
    Only the proxy's own address is trusted; X-Forwarded-For then gives the client's address (login throttling)."""
    if not settings.BEHIND_PROXY:
        return {}
    return {
        "trusted_proxy": settings.TRUSTED_PROXY,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto x-forwarded-host x-forwarded-port",
        "clear_untrusted_proxy_headers": True,
    }


class Command(BaseCommand):
    help = "在本机启动 Web 服务（waitress）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, host: Any, port: Any, threads: Any, **options: Any) -> None:
        from waitress import serve

        if not settings.DEBUG:
            # Before the application is built: WhiteNoise indexes the collected files when it starts.
            call_command("collectstatic", interactive=False, verbosity=0)
        from minsheng.wsgi import application

        if settings.CELERY_TASK_ALWAYS_EAGER:
            from minsheng.core.periodic import InProcessScheduler

            InProcessScheduler().start()
            self.stdout.write("periodic jobs run in-process (no broker configured)")
        proxy = waitress_options()
        if proxy:
            self.stdout.write(f"behind a reverse proxy: trusting {proxy['trusted_proxy']}")
        self.stdout.write(self.style.SUCCESS(f"民生 is serving on http://{host}:{port}/  (Ctrl+C to stop)"))
        serve(application, host=host, port=port, threads=threads, ident="minsheng", **proxy)
