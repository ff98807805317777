"""Workbench and metrics at city scale: 1,000,000 cases on PostgreSQL.

Loads a synthetic ledger with COPY (load data for measuring, not demo data: the demo's history is replayed through
the actions), then measures in one process, side by side:
- the workbench list page (all cases, 50 a page, as the street administrator) against a bare baseline — the same
  page of rows and a count by raw SQL — as p50/p95 and their ratio; and its query count at 20 and 100 rows a page;
- a month of city-wide metrics (cases.metrics.summary and a breakdown by unit) against a bare COUNT of the month.
Aims (issue): list p95 < 300 ms, metrics < 500 ms, query count independent of page size.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/minsheng_bench_1m python -m bench workbench

County mode (BENCH_STREETS > 1): a county above BENCH_STREETS 街道, each built as `minsheng demo --streets N` builds
its smaller 街道 (minsheng.ops.demo.build_street) plus a grid per place, the cases spread evenly over all of them.
Everything is measured twice, as the administrator of the first 街道 (who sees his own) and as the county's
administrator (who sees every 街道), and the query counts of both are printed side by side:

    BENCH_STREETS=10 BENCH_CASES=10000000 \
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_county_10m python -m bench workbench

Pages mode (BENCH_PAGES=1): what one click of the web load test (bench/web_users.py) costs, in process — the
workbench lists a community worker and a 街道 leader open (待办, 全部, 全部 page 2) and a case page from the list —
on an already loaded database with the web bench's people (ms_webload_1m by default; nothing is written: the
sign-ins run in a transaction that is rolled back). Each page
is asked BENCH_PAGE_REPEAT times (7) in each of BENCH_PAGE_ROUNDS rounds (3), one process per round, and reported
as median and p95 of the wall time, median CPU time of the Django process (the database's own CPU is not in it) and
queries. With BENCH_PAGES_AGAINST=<another checkout of the repository> the rounds alternate between that code and
this one on the same database and machine state, and the ratios of the medians are printed (decision 0075):

    BENCH_PAGES=1 BENCH_PAGES_AGAINST=/path/to/old/checkout python -m bench workbench
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

WEBLOAD_URL = "postgres://postgres@127.0.0.1:5432/ms_webload_1m"

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/minsheng_bench_1m"
N_CASES = int(os.environ.get("BENCH_CASES", "1000000"))
N_STREETS = int(os.environ.get("BENCH_STREETS", "1"))
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

SETUP_COUNTY = r"""
from minsheng.accounts import actions as a
from minsheng.accounts.choices import Role
from minsheng.ops.demo import STREETS, build_street
from minsheng.org import actions as o
from minsheng.org.choices import NodeKind
county = o.create_node(parent=None, kind=NodeKind.COUNTY, name="基准县", code="370724000000")
boss = a.create_user(username="benchcounty", password=None)
a.grant_membership(user=boss, role=Role.COUNTY_ADMIN, node=county)
admin = a.create_user(username="benchadmin", password=None)
names = [("城关街道", "CG"), *STREETS]
for i in range(N_STREETS):
    name, prefix = names[i] if i < len(names) else (f"第{i + 1}街道", f"S{i + 1:02d}")
    made = build_street(county, i, f"{name}（基准数据）", prefix)
    if i == 0:
        a.grant_membership(user=admin, role=Role.STREET_ADMIN, node=made["street"])
    for j, t in enumerate(made["territories"]):
        for k, place in enumerate(t["places"]):
            o.create_grid(community=t["node"], name=f"{t['node'].name}网格{k + 1}", code=f"B{i:03d}{j}{k}", nodes=[place])
"""


#: Each community's unit gets a handler of its own (a case is handled by someone of the unit it went to; nobody
#: handles a whole 街道's cases).
HANDLERS = r"""
from minsheng.accounts import actions as a
from minsheng.cases.models import Unit
from minsheng.org.models import Grid
for unit in Unit.objects.filter(node__in=Grid.objects.values("community")):
    user = a.create_user(username=f"benchhandler{unit.pk}", password=None, display_name=f"{unit.name}承办人")
    unit.members.add(user)
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
    setup = SETUP if N_STREETS == 1 else f"N_STREETS = {N_STREETS}\n{SETUP_COUNTY}"
    subprocess.run([*manage, "shell", "-c", setup], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run([*manage, "shell", "-c", HANDLERS], env=env, check=True, cwd=ROOT, capture_output=True)
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
        handlers = dict(
            q(
                "SELECT m.unit_id, m.user_id FROM cases_unit_members m JOIN accounts_user u ON u.id = m.user_id "
                "WHERE u.username LIKE 'benchhandler%'"
            ).fetchall()
        )
        # A case of the last month may still be anywhere in the loop; an older one is nearly always done — one
        # in five hundred still handled (a long job, or one forgotten: what the overdue figures are for).
        recent = (
            ["archived"] * 80 + ["resolved"] * 5 + ["handling"] * 6 + ["dispatched"] * 4 + ["replied"] * 2
        )
        recent += ["rejected", "merged", "accepted"]
        older = ["archived"] * 96 + ["resolved"] * 2 + ["rejected", "merged"]
        month = 30 * 86400
        columns = (
            "created_at, updated_at, number, kind_id, channel, category_id, title, description, urgency, status, "
            "node_id, grid_id, lat, lng, address, reporter_name, reporter_phone, anonymous, lead_unit_id, "
            "handler_id, is_key, key_plan, is_supervised, reported_at, accepted_at, dispatched_at, signed_at, "
            "replied_at, resolved_at, archived_at, sign_due, finish_due, finish_warn_at, resolved_on_time, "
            "return_count, rework_count, redo_count, extension_count, reopen_count, followup_attempts, "
            "satisfaction, resolved_by_feedback, source_id, search_key"
        )
        # Indexes not backing a constraint are dropped for the load and built again after it (a sort each instead
        # of ten million random inserts into each).
        indexes = q(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'cases_case' AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        ).fetchall()
        for name, _ in indexes:
            q(f'DROP INDEX "{name}"')
        # Two years of cases, written in the order they were reported, as a ledger grows: a month's cases sit
        # together on disk (random order would spread one month over every page of the table).
        span = 730 * 86400
        ages = sorted((rng.randrange(span) for _ in range(N_CASES)), reverse=True)
        with conn.cursor().copy(f"COPY cases_case ({columns}) FROM STDIN") as copy:
            for i in range(N_CASES):
                reported = now - dt.timedelta(seconds=ages[i])
                if ages[i] <= month:
                    status = rng.choice(recent)
                else:
                    status = "handling" if rng.random() < 0.002 else rng.choice(older)
                node, grid, unit = rng.choice(places)
                handler = handlers[unit]
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
                        now, now, f"B-{i:08d}", kind, "online", rng.choice(categories), "基准诉求", "基准诉求内容",
                        "normal", status, node, grid, None, None, "", "", "", False,
                        unit if accepted else None, handler if accepted else None, False, "", False, reported,
                        accepted, accepted, accepted, replied, resolved, resolved if status == "archived" else None,
                        accepted, due, due - dt.timedelta(days=1) if due else None, on_time,
                        0, int(rng.random() < 0.05), 0, 0, 0, 0, satisfaction, True if satisfaction else None, "", "基准",
                    )
                )  # fmt: skip
        conn.commit()
        q("SET maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            q(definition)
        conn.commit()
        # What autovacuum does to a live table: statistics, and the visibility map that lets a count be answered
        # from an index alone.
        conn.autocommit = True
        q("VACUUM (ANALYZE) cases_case")


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
    """Every figure as the 街道 administrator; in county mode also as the county administrator."""
    import django

    django.setup()
    from minsheng.accounts.models import User

    users = ["benchadmin"] if N_STREETS == 1 else ["benchadmin", "benchcounty"]
    results = {name: measure_as(User.objects.get(username=name)) for name in users}
    if N_STREETS > 1:
        street, county = results["benchadmin"]["queries"], results["benchcounty"]["queries"]
        print(f"  queries per list page, 1 街道 vs {N_STREETS} 街道 in scope: {street[20]} / {county[20]} at 20 rows, "
              f"{street[100]} / {county[100]} at 100 rows; month metrics {results['benchadmin']['metric_queries']}"
              f" / {results['benchcounty']['metric_queries']}")  # fmt: skip
    return results


def measure_as(user) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from minsheng.accounts.choices import Cap
    from minsheng.cases import efficiency, metrics
    from minsheng.cases.models import Case

    client = Client()
    client.force_login(user)
    paths = user.scope_paths(Cap.CASES_VIEW)
    scope = " OR ".join(["path LIKE %s"] * len(paths))
    in_scope = f"node_id IN (SELECT id FROM org_node WHERE {scope})"
    likes = [p + "%" for p in paths]
    label = f"all {N_STREETS} 街道" if user.username == "benchcounty" else "one 街道"
    print(f"  as {user.username} ({label}):")

    def page(size: int = 50):
        r = client.get(f"/cases/all/?page_size={size}")
        assert r.status_code == 200, r.status_code

    def bare_page():
        # what the page does at its core: a count capped at 10,001 and the newest 50 rows, in scope
        with connection.cursor() as c:
            c.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM cases_case WHERE {in_scope} LIMIT 10001) t", likes
            )
            c.execute(f"SELECT * FROM cases_case WHERE {in_scope} ORDER BY reported_at DESC LIMIT 50", likes)
            c.fetchall()

    counts = {}
    page(20)  # the process's cached tables (categories, units, grids …) are read once, not per page
    for size in (20, 100):
        with CaptureQueriesContext(connection) as ctx:
            page(size)
        counts[size] = len(ctx.captured_queries)
    list_ms, bare_ms = timed(page), timed(bare_page)

    end = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    start = end.replace(day=1)
    month = metrics.filter_cases(Case.objects.visible_to(user), start=start, end=end)

    def month_summary():
        metrics.summary(month)

    def month_by_unit():
        metrics.breakdown(month, by="lead_unit")

    def month_board():
        efficiency.board(month, by="lead_unit")

    def bare_month():
        with connection.cursor() as c:
            c.execute(
                f"SELECT count(*) FROM cases_case WHERE reported_at >= %s AND reported_at < %s AND {in_scope}",
                [start, end + dt.timedelta(days=1), *likes],
            )

    with CaptureQueriesContext(connection) as ctx:
        month_summary()
        month_by_unit()
        month_board()
    metric_queries = len(ctx.captured_queries)
    summary_ms, unit_ms, board_ms = timed(month_summary, 10), timed(month_by_unit, 10), timed(month_board, 5)
    bare_month_ms = timed(bare_month, 10)
    in_month = month.count()
    med = statistics.median
    print(f"    list page (50 rows of {N_CASES:,}): p50 {med(list_ms):.0f} ms, p95 {p95(list_ms):.0f} ms; "
          f"bare SQL p50 {med(bare_ms):.0f} ms; ratio (p50) {med(list_ms) / med(bare_ms):.1f}×")  # fmt: skip
    print(f"    queries per list page: {counts[20]} at 20 rows, {counts[100]} at 100 rows")
    print(f"    month {start:%Y-%m} ({in_month:,} cases): summary {med(summary_ms):.0f} ms (max {max(summary_ms):.0f}), "
          f"by unit {med(unit_ms):.0f} ms, efficiency board {med(board_ms):.0f} ms; bare COUNT "
          f"{med(bare_month_ms):.0f} ms; ratio (summary) {med(summary_ms) / med(bare_month_ms):.1f}×; "
          f"{metric_queries} queries for the three")  # fmt: skip
    return {
        "list_p95": p95(list_ms),
        "summary": med(summary_ms),
        "queries": counts,
        "metric_queries": metric_queries,
    }


# -- pages mode: one click of the web load test, this code against another checkout -----------------------------

#: (label, user, path) — "case" is the first case of that user's 全部 (all) list; todo is 待办.
PAGES = [
    ("todo list, community worker", "webload-staff-000", "/cases/"),
    ("all list, community worker", "webload-staff-000", "/cases/all/"),
    ("all p.2, community worker", "webload-staff-000", "/cases/all/?page=2"),
    ("case page, community worker", "webload-staff-000", "case"),
    ("all list, street leader", "webload-leader-009", "/cases/all/"),
    ("case page, street leader", "webload-leader-009", "case"),
]

#: Run in a process of its own with the code under test first on PYTHONPATH; imports only the application.
PAGE_WORKER = r"""
import json, os, re, sys, time
import django
django.setup()
from django.core import signals
from django.db import close_old_connections, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from minsheng.accounts.models import User
pages, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
clients, out = {}, {}
# Nothing is written to the measured database: the sign-ins (a session row, last_login) and anything else happen in
# one transaction that is rolled back, held across requests as Django's TestCase does.
signals.request_started.disconnect(close_old_connections)
signals.request_finished.disconnect(close_old_connections)
with transaction.atomic():
    for label, username, path in pages:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        if path == "case":
            listed = client.get("/cases/all/").content.decode()
            path = "/cases/%s/" % re.search(r'href="/cases/(\d+)/"', listed).group(1)
        assert client.get(path).status_code == 200, path  # warm
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        queries = len(ctx.captured_queries)  # the next request's request_started empties the log
        wall, cpu = [], []
        for _ in range(repeat):
            w, c = time.perf_counter(), time.process_time()
            client.get(path)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        out[label] = {"wall": wall, "cpu": cpu, "queries": queries}
    transaction.set_rollback(True)
print(json.dumps(out))
"""


def pages() -> None:
    import json
    import tempfile

    url = os.environ.get("BENCH_DATABASE_URL", WEBLOAD_URL)
    repeat = int(os.environ.get("BENCH_PAGE_REPEAT", "7"))
    rounds = int(os.environ.get("BENCH_PAGE_ROUNDS", "3"))
    trees = {"this": ROOT}
    if os.environ.get("BENCH_PAGES_AGAINST"):
        trees = {"against": Path(os.environ["BENCH_PAGES_AGAINST"]).resolve(), "this": ROOT}
    found: dict[str, dict[str, dict]] = {name: {} for name in trees}
    for _ in range(rounds):
        for name, tree in trees.items():
            env = {
                **os.environ,
                "PYTHONPATH": str(tree),
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "minsheng.settings",
                "MINSHENG_VAR_DIR": os.environ.get("MINSHENG_VAR_DIR")
                or tempfile.mkdtemp(prefix="bench-pages-"),
            }
            env.pop("MINSHENG_DEBUG", None)  # as deployed: cached templates, no query log
            done = subprocess.run(
                [sys.executable, "-W", "ignore", "-c", PAGE_WORKER, json.dumps(PAGES), str(repeat)],
                env=env,
                cwd=tree,
                check=True,
                capture_output=True,
                text=True,
            )
            for label, got in json.loads(done.stdout.strip().splitlines()[-1]).items():
                into = found[name].setdefault(label, {"wall": [], "cpu": [], "queries": got["queries"]})
                into["wall"] += got["wall"]
                into["cpu"] += got["cpu"]
    med = statistics.median
    n = repeat * rounds
    print(
        f"  {n} requests a page a tree, {rounds} rounds alternating; ms: wall median / p95, CPU median; queries"
    )
    for label, _user, _path in PAGES:
        cells = []
        for name in trees:
            got = found[name][label]
            cells.append(f"{name}: {med(got['wall']):6.1f} / {p95(got['wall']):6.1f}, CPU {med(got['cpu']):6.1f}, "
                         f"{got['queries']:2d} q")  # fmt: skip
        line = f"  {label:<28} " + " | ".join(cells)
        if len(trees) == 2:
            old, new = found["against"][label], found["this"][label]
            line += (f" | ÷ wall {med(old['wall']) / med(new['wall']):.1f}×, "
                     f"CPU {med(old['cpu']) / med(new['cpu']):.1f}×")  # fmt: skip
        print(line)


def main() -> None:
    if os.environ.get("BENCH_PAGES") == "1":
        pages()
        return
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if os.environ.get("BENCH_REUSE") != "1":  # BENCH_REUSE=1 measures an already loaded database again
        prepare(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    measure()
