"""`minsheng run`: what `make run` does, in one process — migrate, load the demo 街道, start the history, serve.

A warm start (the database already at its latest migration, the 街道 loaded, the history complete) pays for one
Django start-up: the migration plan is read, not run; the demo's 街道 finds itself loaded and says so; the background history is not started again once it has finished (`minsheng demo` leaves `demo-complete` in
the var directory). A cold one migrates, loads the 街道 (its tree, people and the logins a newcomer needs), then
starts the rest of the demo — agriculture first, then the appeals' two-year history, greenhouses, meetings, the
centre, enterprises, activities, the cluster — in a background process through the real actions, and serves
while it runs.
"""

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

#: Written by a full `minsheng demo` when it has finished; a warm `minsheng run` then starts no history.
COMPLETE_MARK = "demo-complete"
HISTORY_LOG = "demo-history.log"
HISTORY_PID = "demo-history.pid"


def pending_migrations(database: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations the database still lacks (0: at head). Reads the plan only: no system checks."""
    executor = MigrationExecutor(connections[database])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _ignore_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def history_complete() -> bool:
    return (Path(settings.VAR_DIR) / COMPLETE_MARK).exists()


def history_running() -> bool:
    """A history an earlier `minsheng run` started still runs (Ctrl+C stops the server, not the history): a second
    one beside it would load the later apps twice."""
    try:
        pid = int((Path(settings.VAR_DIR) / HISTORY_PID).read_text())
        return "demo" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except (OSError, ValueError):
        return False


class Command(BaseCommand):
    help = "迁移数据库、加载演示街道、后台生成演示历史，并启动 Web 服务（make run）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-demo", action="store_true", help="不加载演示数据")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据库与演示数据，不启动服务")

    def handle(self, *args: Any, host: Any, port: Any, no_demo: Any, no_serve: Any, **options: Any) -> None:
        if pending_migrations():
            call_command("migrate", interactive=False, verbosity=0)
        if not no_demo:
            call_command("demo", only=["org"], stdout=self.stdout)
            self.start_history()
        if not no_serve:
            call_command("serve", host=host, port=port, stdout=self.stdout)

    def start_history(self) -> subprocess.Popen[bytes] | None:
        """The rest of the demo, in a background process; its output goes to var/demo-history.log."""
        if history_complete() or history_running():
            return None
        var = Path(settings.VAR_DIR)
        var.mkdir(parents=True, exist_ok=True)
        with open(var / HISTORY_LOG, "ab") as log:
            # Agriculture first (a minute), then everything else: the apps run in INSTALLED_APPS order, where
            # the appeals' two-year history comes before agriculture.
            process = subprocess.Popen(
                [sys.executable, "-m", "minsheng.cli", "demo", "--first", "agri"],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                # Ctrl+C stops the server, not the history: it is not resumable, and the next run serves it whole.
                preexec_fn=_ignore_interrupt,
            )
        (var / HISTORY_PID).write_text(str(process.pid))
        self.stdout.write(f"演示历史在后台生成（进度见工作台，输出见 {var / HISTORY_LOG}）")
        return process
