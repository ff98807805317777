"""Intake: cases through the REST API vs a bare Django view inserting the same row, same server, same database.

The API runs the whole intake (token auth, validation, scoping, location → grid, number sequence, deadlines,
event row, audit log); the bare view only parses JSON and inserts the row. Requests alternate in rounds so machine
noise hits both alike. Aim: ratio ≥ 0.5.
"""

import os
import statistics
import time

from .server import Client, run_manage, served

N = int(os.environ.get("BENCH_INTAKE_N", "300"))
ROUNDS = 3

SETUP = r"""
from minsheng.accounts import actions as a
from minsheng.accounts.choices import Role
from minsheng.org import actions as o
from minsheng.org.choices import NodeKind
from minsheng.cases.models import Category
from rest_framework.authtoken.models import Token
street = o.create_node(parent=None, kind=NodeKind.STREET, name="基准街道", code="370724001000")
community = o.create_node(parent=street, kind=NodeKind.COMMUNITY, name="基准社区", code="370724001001")
estate = o.create_node(parent=community, kind=NodeKind.ESTATE, name="基准小区")
u = a.create_user(username="bench", password=None)
a.grant_membership(user=u, role=Role.COMMUNITY_WORKER, node=community)
print(Token.objects.create(user=u).key, estate.pk, Category.objects.get(code="050101").pk)
"""


def main(database_url: str | None = None) -> dict:
    database_url = database_url or os.environ.get("BENCH_DATABASE_URL")
    with served(database_url) as (port, env):
        token, node, category = run_manage(env, "shell", "-c", SETUP).split()[-3:]
        api = Client(port, {"Authorization": f"Token {token}"})
        bare = Client(port)
        body = {
            "channel": "online",
            "category": int(category),
            "node": int(node),
            "description": "1号楼下水道堵塞，污水外溢",
        }
        for client, path in ((api, "/api/v1/cases/"), (bare, "/bench/bare-intake/")):  # warm up
            for i in range(20):
                status, _ = client.post_json(path, {**body, "n": i})
                assert status == 201, (path, status)
        api_rates, bare_rates = [], []
        for r in range(ROUNDS):
            for client, path, rates in (
                (api, "/api/v1/cases/", api_rates),
                (bare, "/bench/bare-intake/", bare_rates),
            ):
                start = time.perf_counter()
                for i in range(N):
                    client.post_json(path, {**body, "n": r * N + i})
                rates.append(N / (time.perf_counter() - start))
    api_rate, bare_rate = statistics.median(api_rates), statistics.median(bare_rates)
    engine = "PostgreSQL" if database_url else "SQLite"
    load = os.getloadavg()[0]
    print(
        f"  {engine}: API intake {api_rate:.0f} req/s, bare insert {bare_rate:.0f} req/s, "
        f"ratio {api_rate / bare_rate:.2f} (rounds: API {', '.join(f'{r:.0f}' for r in api_rates)}; "
        f"bare {', '.join(f'{r:.0f}' for r in bare_rates)}; load average {load:.2f})"
    )
    return {"api": api_rate, "bare": bare_rate, "ratio": api_rate / bare_rate, "load": load}
