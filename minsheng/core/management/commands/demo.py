"""`minsheng demo`: load the demonstration 街道 through the real actions. Idempotent: a second run adds nothing.

Each installed app may have a `demo` module with `load(out) -> list[tuple[role, username, password]]`; they run in
INSTALLED_APPS order, so later apps (cases, agri, iot …) build on what earlier ones made.
"""

import importlib
import time

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "加载演示数据（城关街道（演示数据））"

    def handle(self, *args, **options):
        started = time.monotonic()
        logins: list[tuple[str, str, str]] = []
        for config in apps.get_app_configs():
            if not config.name.startswith("minsheng."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            logins.extend(module.load(self.stdout) or [])
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪（{time.monotonic() - started:.1f} 秒）"))
        if logins:
            self.stdout.write("演示账号（所有账号密码相同，仅用于演示）：")
            for role, username, password in logins:
                self.stdout.write(f"  {role:<12} {username:<16} {password}")
