"""A real server for a benchmark: a fresh database, migrated, with a small world, served by `minsheng serve`."""

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_manage(env: dict, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return out.stdout


@contextlib.contextmanager
def served(database_url: str | None = None, threads: int = 4):
    """Yield (port, env) of a server on a fresh database (SQLite in a temp dir, or the given PostgreSQL URL)."""
    var = tempfile.mkdtemp(prefix="minsheng-bench-")
    env = {
        **os.environ,
        "MINSHENG_VAR_DIR": var,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "MINSHENG_DEBUG": "1",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    run_manage(env, "migrate", "--noinput", "-v0")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "serve", "--port", str(port), "--threads", str(threads)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            time.sleep(0.2)
        yield port, env
    finally:
        proc.terminate()
        proc.wait(10)


class Client:
    """A keep-alive HTTP client: one connection, requests one after another."""

    def __init__(self, port: int, headers: dict | None = None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = headers or {}

    def post_json(self, path: str, body: dict) -> tuple[int, dict]:
        self.conn.request(
            "POST", path, json.dumps(body), {"Content-Type": "application/json", **self.headers}
        )
        r = self.conn.getresponse()
        return r.status, json.loads(r.read() or b"{}")

    def get(self, path: str) -> tuple[int, bytes]:
        self.conn.request("GET", path, headers=self.headers)
        r = self.conn.getresponse()
        return r.status, r.read()
