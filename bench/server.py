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


def fresh_database(url: str) -> None:
    """Drop and create the PostgreSQL database of `url` (a benchmark starts from an empty one)."""
    import psycopg

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def run_manage(env: dict, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return out.stdout


@contextlib.contextmanager
def served(database_url: str | None = None, threads: int = 4):
    """Yield (port, env) of a server on a fresh database (SQLite in a temp dir, or the given PostgreSQL URL).

    The server runs as production does: DEBUG off (no query log kept per request), the product's connection
    settings (persistent connections, as `minsheng.settings` sets them for everyone), static files collected.
    """
    var = tempfile.mkdtemp(prefix="minsheng-bench-")
    env = {
        **os.environ,
        "MINSHENG_VAR_DIR": var,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "MINSHENG_DEBUG": "0",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
        fresh_database(database_url)
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
        deadline = time.monotonic() + 120  # collectstatic runs first
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
