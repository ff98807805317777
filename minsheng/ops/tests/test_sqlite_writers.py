"""The embedded default under a crowd: 20 people submitting at once to one `minsheng serve` on SQLite (WAL, busy
timeout) never get a 500 — every request is stored (201) or, at worst, told to retry (503 with Retry-After)."""

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest

from .topology import REPO, free_port, wait_listening

pytestmark = pytest.mark.topology
WRITERS, EACH = 20, 5

SETUP = r"""
import json
from minsheng.testing.world import build_world
from minsheng.cases.models import Category
from rest_framework.authtoken.models import Token
w = build_world("Writers-pass-2026")
print(json.dumps({"token": Token.objects.create(user=w["admin"]).key, "node": w["estate_a"].pk,
                  "category": Category.objects.get(code="050101").pk}))
"""


def test_twenty_concurrent_writers_on_sqlite_never_get_a_server_error(tmp_path):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the embedded default's test: runs once, in the SQLite pass")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINSHENG_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(PYTHONPATH=str(REPO), MINSHENG_VAR_DIR=str(tmp_path), MINSHENG_DEBUG="1")

    def manage(*args):
        done = subprocess.run(
            [sys.executable, "-m", "minsheng.cli", *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    data = json.loads(manage("shell", "-c", SETUP).strip().splitlines()[-1])
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "minsheng.cli", "serve", "--port", str(port), "--threads", "20"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    statuses: list[int] = []
    try:
        wait_listening(port, timeout=60, proc=server)
        start = threading.Barrier(WRITERS)

        def writer(n):
            start.wait()
            for i in range(EACH):
                body = json.dumps(
                    {
                        "channel": "online",
                        "category": data["category"],
                        "node": data["node"],
                        "description": f"第{n}位居民的第{i}条诉求：楼道灯不亮",
                    }
                ).encode()
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1/cases/",
                    data=body,
                    headers={"Authorization": f"Token {data['token']}", "Content-Type": "application/json"},
                )
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        statuses.append(response.status)
                except urllib.error.HTTPError as exc:
                    statuses.append(exc.code)
                    if exc.code == 503:
                        assert exc.headers["Retry-After"]

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(180)
    finally:
        server.terminate()
        server.wait(10)
    assert len(statuses) == WRITERS * EACH
    assert set(statuses) <= {201, 503}, statuses
    stored = manage("shell", "-c", "from minsheng.cases.models import Case; print(Case.objects.count())")
    assert int(stored.strip().splitlines()[-1]) == statuses.count(201)
