"""`minsheng demo`: load the demonstration 街道 through the real actions. Idempotent: a second run adds nothing.

Each installed app may have a `demo` module with `load(out) -> list[tuple[role, username, password]]`; they run in
INSTALLED_APPS order, so later apps (cases, agri, iot …) build on what earlier ones made. `--skip cases` leaves an
app out and `--only cases` runs just that one: `make run` loads the 街道 first and replays the appeals' two-year
history in the background while the server already answers.
"""

import importlib
import time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "加载演示数据（城关街道（演示数据））"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--skip", action="append", default=[], metavar="APP", help="跳过该应用的演示数据")
        parser.add_argument(
            "--only", action="append", default=[], metavar="APP", help="只加载这些应用的演示数据"
        )
        parser.add_argument(
            "--first",
            action="append",
            default=[],
            metavar="APP",
            help="先加载这些应用的演示数据，再按顺序加载其余的（make run 在后台先加载农业）",
        )
        parser.add_argument(
            "--streets",
            type=int,
            default=1,
            metavar="N",
            help="建一个县：演示街道之外再加 N−1 个街道（供负载测试；默认只有一个街道）",
        )
        parser.add_argument(
            "--cases-per-street", type=int, default=200, metavar="N", help="--streets 时每个新增街道的诉求数"
        )

    def handle(
        self, *args: Any, skip: Any, only: Any, streets: Any, cases_per_street: Any, **options: Any
    ) -> None:
        first = options.get("first") or []
        labels = {c.label for c in apps.get_app_configs() if c.name.startswith("minsheng.")}
        unknown = (set(skip) | set(only) | set(first)) - labels
        if unknown:
            raise CommandError(f"未知应用：{', '.join(sorted(unknown))}（可选：{', '.join(sorted(labels))}）")
        started = time.monotonic()
        logins: list[tuple[str, str, str]] = []
        demos = {}
        for config in apps.get_app_configs():
            if config.label not in labels:
                continue
            try:
                demos[config.label] = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
        # --streets: an app's demo that builds a county offers prepare_county() and add_streets().
        builders = [m for m in demos.values() if hasattr(m, "add_streets")] if streets > 1 else []
        try:
            for builder in builders:
                builder.prepare_county(self.stdout)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        ordered = sorted(
            demos.items(), key=lambda item: item[0] not in first
        )  # stable: the rest keep their order
        for label, module in ordered:
            if label in skip or (only and label not in only):
                continue
            logins.extend(module.load(self.stdout) or [])
        for builder in builders:
            logins.extend(builder.add_streets(self.stdout, streets, cases_per_street))
        if not skip and not only and streets == 1:
            # The whole demo is in: a warm `minsheng run` need not start the background history again.
            from .run import COMPLETE_MARK

            (Path(settings.VAR_DIR) / COMPLETE_MARK).write_text(time.strftime("%Y-%m-%d %H:%M:%S\n"))
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪（{time.monotonic() - started:.1f} 秒）"))
        if logins:
            self.stdout.write("演示账号（所有账号密码相同，仅用于演示）：")
            for role, username, password in logins:
                self.stdout.write(f"  {role:<12} {username:<16} {password}")
