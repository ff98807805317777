"""Workbench and metrics at city scale: 1,000,000 cases on PostgreSQL.

Loads a synthetic ledger with COPY (load data for measuring, not demo data: the demo's history is replayed through
the actions), then measures in one process, side by side:
- the workbench list page (all cases, 50 a page, as the street administrator) against a bare baseline — the same
  page of rows and a count by raw SQL — as p50/p95 and their ratio; and its query count at 20 and 100 rows a page;
- a month of city-wide metrics (cases.metrics.summary and a breakdown by unit) against a bare COUNT of the month.
Aims (issue): list p95 < 300 ms, metrics < 500 ms, query count independent of page size.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/minsheng_bench_1m python -m bench workbench
"""

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/minsheng_bench_1m"
N_CASES = int(os.environ.get("BENCH_CASES", "1000000"))
REPEAT = 30

SETUP = r"""
from minsheng.accounts import actions as a
from minsheng.accounts.choices import Role
from minsheng.org import actions as o
from minsheng.org.choices import NodeKind
from minsheng.cases.models import Unit
street = o.create_node(parent=None, kind=NodeKind.STREET, name="基准街道", code="370724001000")
admin = a.create_user(username="benchadmin", password=None)
a.grant_membership(user=admin, role=Role.STREET_ADMIN, node=street)
for i in range(1, 9):
    c = o.create_node(parent=street, kind=NodeKind.COMMUNITY, name=f"基准社区{i}", code=f"3707240010{i:02d}")
    u = Unit.objects.create(name=f"基准社区{i}居委会", kind="community", node=c, leader=admin)
    for j in range(1, 6):
        e = o.create_node(parent=c, kind=NodeKind.ESTATE, name=f"基准社区{i}小区{j}")
        o.create_grid(community=c, name=f"基准社区{i}网格{j}", nodes=[e])
"""


def prepare(url: str) -> None:
    """A fresh database, migrated, with a small street and N_CASES cases."""
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "minsheng.settings",
        "MINSHENG_DEBUG": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True, cwd=ROOT, capture_output=True)
    started = time.perf_counter()
    load_cases(url)
    print(f"  loaded {N_CASES:,} cases with COPY in {time.perf_counter() - started:.0f} s")


def load_cases(url: str) -> None:
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    with psycopg.connect(url) as conn:
        q = conn.execute
        kind = q("SELECT id FROM cases_casekind WHERE code='appeal'").fetchone()[0]
        categories = [r[0] for r in q("SELECT id FROM cases_category WHERE depth=3")]
        places = q(
            "SELECT n.id, g.id, u.id FROM org_node n JOIN org_grid_nodes gn ON gn.node_id=n.id "
            "JOIN org_grid g ON g.id=gn.grid_id JOIN cases_unit u ON u.node_id=g.community_id"
        ).fetchall()
        handler = q("SELECT id FROM accounts_user WHERE username='benchadmin'").fetchone()[0]
        statuses = (
            ["archived"] * 80 + ["resolved"] * 5 + ["handling"] * 6 + ["dispatched"] * 4 + ["replied"] * 2
        )
        statuses += ["rejected", "merged", "accepted"]
        columns = (
            "created_at, updated_at, number, kind_id, channel, category_id, title, description, urgency, status, "
            "node_id, grid_id, lat, lng, address, reporter_name, reporter_phone, anonymous, lead_unit_id, "
            "handler_id, is_key, key_plan, is_supervised, reported_at, accepted_at, dispatched_at, signed_at, "
            "replied_at, resolved_at, archived_at, sign_due, finish_due, finish_warn_at, resolved_on_time, "
            "return_count, rework_count, redo_count, extension_count, reopen_count, followup_attempts, "
            "satisfaction, resolved_by_feedback, source_id, search_key"
        )
        span = 730 * 86400
        with conn.cursor().copy(f"COPY cases_case ({columns}) FROM STDIN") as copy:
            for i in range(N_CASES):
                reported = now - dt.timedelta(seconds=rng.randrange(span))
                status = rng.choice(statuses)
                node, grid, unit = rng.choice(places)
                accepted = reported + dt.timedelta(hours=1) if status != "rejected" else None
                due = accepted + dt.timedelta(days=7) if accepted else None
                done = status in ("archived", "resolved")
                replied = (
                    reported + dt.timedelta(hours=rng.uniform(4, 200))
                    if done or status == "replied"
                    else None
                )
                resolved = replied + dt.timedelta(hours=3) if done else None
                on_time = (replied <= due) if done else None
                satisfaction = (
                    rng.choice(["satisfied"] * 9 + ["basic", "unsatisfied"]) if status == "archived" else ""
                )
                copy.write_row(
                    (
                        now, now, f"B-{i:07d}", kind, "online", rng.choice(categories), "基准诉求", "基准诉求内容",
                        "normal", status, node, grid, None, None, "", "", "", False,
                        unit if accepted else None, handler if accepted else None, False, "", False, reported,
                        accepted, accepted, accepted, replied, resolved, resolved if status == "archived" else None,
                        accepted, due, due - dt.timedelta(days=1) if due else None, on_time,
                        0, int(rng.random() < 0.05), 0, 0, 0, 0, satisfaction, True if satisfaction else None, "", "基准",
                    )
                )  # fmt: skip
        conn.commit()
        q("ANALYZE cases_case")
        conn.commit()


def timed(fn, n: int = REPEAT) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1]


def measure() -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from minsheng.accounts.models import User
    from minsheng.cases import efficiency, metrics
    from minsheng.cases.models import Case

    client = Client()
    admin = User.objects.get(username="benchadmin")
    client.force_login(admin)

    def page(size: int = 50):
        r = client.get(f"/cases/all/?page_size={size}")
        assert r.status_code == 200, r.status_code

    def bare_page():
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM cases_case")
            c.execute("SELECT * FROM cases_case ORDER BY reported_at DESC LIMIT 50")
            c.fetchall()

    counts = {}
    for size in (20, 100):
        with CaptureQueriesContext(connection) as ctx:
            page(size)
        counts[size] = len(ctx.captured_queries)
    list_ms, bare_ms = timed(page), timed(bare_page)

    end = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    start = end.replace(day=1)
    month = metrics.filter_cases(Case.objects.visible_to(admin), start=start, end=end)

    def month_summary():
        metrics.summary(month)

    def month_by_unit():
        metrics.breakdown(month, by="lead_unit")

    def month_board():
        efficiency.board(month, by="lead_unit")

    def bare_month():
        with connection.cursor() as c:
            c.execute(
                "SELECT count(*) FROM cases_case WHERE reported_at >= %s AND reported_at < %s",
                [start, end + dt.timedelta(days=1)],
            )

    summary_ms, unit_ms, board_ms = timed(month_summary, 10), timed(month_by_unit, 10), timed(month_board, 5)
    bare_month_ms = timed(bare_month, 10)
    med = statistics.median
    print(f"  list page (50 rows of {N_CASES:,}): p50 {med(list_ms):.0f} ms, p95 {p95(list_ms):.0f} ms; "
          f"bare SQL p50 {med(bare_ms):.0f} ms; ratio (p50) {med(list_ms) / med(bare_ms):.1f}×")  # fmt: skip
    print(f"  queries per list page: {counts[20]} at 20 rows, {counts[100]} at 100 rows")
    print(f"  month {start:%Y-%m} city-wide: summary {med(summary_ms):.0f} ms, by unit {med(unit_ms):.0f} ms, "
          f"efficiency board {med(board_ms):.0f} ms; bare COUNT {med(bare_month_ms):.0f} ms; "
          f"ratio (summary) {med(summary_ms) / med(bare_month_ms):.1f}×")  # fmt: skip
    return {"list_p95": p95(list_ms), "summary": med(summary_ms), "queries": counts}


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if os.environ.get("BENCH_REUSE") != "1":  # BENCH_REUSE=1 measures an already loaded database again
        prepare(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    measure()
