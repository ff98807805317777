"""Web load: 200 staff sessions and 50 residents on H5 against 1,000,000 cases, behind nginx (issue 17).

The production topology of docs/deploy.md on this machine: a fresh Redis (cache and Celery broker), several
`minsheng serve` processes (waitress, the shipped unit's command line), one Celery worker, the real nginx with the
shipped site file (HTTPS with a self-signed certificate), PostgreSQL with the workbench bench's 1,000,000 cases
(bench/workbench.py's COPY loader) and 200 staff accounts spread over the 街道's communities. locust runs the people
of bench/web_users.py headless with a fixed user count, spawn rate and duration (decision 0065 for the think
times), twice, side by side:

1. the product: staff sign in and click through the workbench list, case pages and (street leaders) the cockpit;
   residents submit appeals through the H5 form, text-message code included;
2. the baseline: the same users at the same pace, every request to a bare Django view (bench.baseline.bare_page)
   behind the same nginx and web processes.

Figures are taken from the moment every user has started (logins are reported apart, over the ramp-up): p50, p95,
p99 per page, errors and requests per second, the same for the bare view, and the ratio of the p95s.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_webload_1m python -m bench web

Knobs: BENCH_REUSE=1 (the database is loaded: only the accounts are checked), BENCH_WEB_STAFF (200),
BENCH_WEB_RESIDENTS (50), BENCH_WEB_DURATION (seconds measured after the ramp-up, 180), BENCH_WEB_SPAWN_RATE
(users started per second, 2), BENCH_WEB_PROCESSES (web processes, 3), BENCH_WEB_THREADS (threads each, 8),
BENCH_WEB_THINK_SCALE (think times × this, 1), BENCH_LOCUST (the command that runs locust, default `python -m locust`), BENCH_WEB_KEEP=1 (keep the run's folder
with every process's log and nginx's access log).
"""

import contextlib
import fcntl
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from bench import workbench

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ms_webload_1m"
PASSWORD = "Webload-2026-bench"
AIM_P95_MS = 500
PAGES = ["workbench list", "case page", "cockpit", "h5 home", "h5 form", "h5 send code", "h5 buildings"]
PAGES += ["h5 check code", "h5 submit", "h5 submitted"]


def knob(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


STAFF = knob("BENCH_WEB_STAFF", 200)
RESIDENTS = knob("BENCH_WEB_RESIDENTS", 50)
DURATION = knob("BENCH_WEB_DURATION", 180)
SPAWN_RATE = knob("BENCH_WEB_SPAWN_RATE", 2)
PROCESSES = knob("BENCH_WEB_PROCESSES", 3)
THREADS = knob("BENCH_WEB_THREADS", 8)

PEOPLE = r"""
from django.contrib.auth.hashers import make_password
from minsheng.accounts import actions as a
from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node
street = Node.objects.filter(kind=NodeKind.STREET).order_by("path").first()
communities = list(Node.objects.filter(kind=NodeKind.COMMUNITY, path__startswith=street.path).order_by("path"))
for name in NAMES:
    if User.objects.filter(username=name).exists():
        continue
    user = a.create_user(username=name, password=None, display_name=name)
    if "-leader-" in name:
        a.grant_membership(user=user, role=Role.STREET_LEADER, node=street)
    else:
        community = communities[int(name.rsplit("-", 1)[1]) % len(communities)]
        a.grant_membership(user=user, role=Role.COMMUNITY_WORKER, node=community)
User.objects.filter(username__in=NAMES).update(password=make_password(PASSWORD))
"""


def staff_names(count: int) -> list[str]:
    """Every tenth a street leader (the cockpit's readers), the others community workers taken round the
    communities; interleaved so that any smaller count keeps the mix."""
    return [f"webload-leader-{i:03d}" if i % 10 == 9 else f"webload-staff-{i:03d}" for i in range(count)]


def add_people(url: str, names: list[str]) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "minsheng.settings",
        "MINSHENG_DEBUG": "1",
    }
    env.setdefault("MINSHENG_VAR_DIR", tempfile.mkdtemp(prefix="minsheng-bench-"))
    script = f"NAMES = {names!r}\nPASSWORD = {PASSWORD!r}\n" + PEOPLE
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])


def prepare(url: str, names: list[str]) -> None:
    if os.environ.get("BENCH_REUSE") != "1":
        workbench.prepare(url)  # in reporting order, vacuumed, as a live table is
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "minsheng.settings",
        "MINSHENG_DEBUG": "1",
    }
    env.setdefault("MINSHENG_VAR_DIR", tempfile.mkdtemp(prefix="minsheng-bench-"))
    workbench_migrate = [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"]
    subprocess.run(
        workbench_migrate, env=env, cwd=ROOT, check=True
    )  # a reused database gets this code's indexes
    with psycopg.connect(url) as conn:
        have = {
            r[0] for r in conn.execute("SELECT username FROM accounts_user WHERE username LIKE 'webload-%'")
        }
    if set(names) - have:
        add_people(url, names)


# -- the topology --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def topology(url: str, folder: Path, *, processes: int = PROCESSES, threads: int = THREADS):
    """Redis, the web processes, a worker and nginx as deployed; yields nginx's HTTPS address."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    from minsheng.ops.tests.topology import (
        NGINX,
        OPENSSL,
        REDIS,
        Topology,
        base_env,
        free_port,
        nginx_main,
        nginx_site,
        unit_command,
        wait_listening,
    )

    topo = Topology(folder, url)
    redis_port = free_port()
    (folder / "var").mkdir(parents=True, exist_ok=True)
    env = base_env(folder, url, redis_port, free_port())
    env.pop("MINSHENG_PERIODIC_EVERY")  # the deployment's own schedule (no beat runs here anyway)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        MINSHENG_SMS_BACKEND="bench.sms.FileBackend",
        BENCH_SMS_DIR=str(folder / "sms"),
    )
    topo.env = env
    try:
        topo.start(
            "redis",
            [REDIS, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        wait_listening(redis_port, proc=topo.procs["redis"])
        topo.manage("collectstatic", "--noinput", "-v0")
        ports = [free_port() for _ in range(processes)]
        for i, port in enumerate(ports, 1):
            argv = unit_command("minsheng-web@.service", str(port))
            argv[argv.index("--threads") + 1] = str(threads)
            topo.start(f"web{i}", argv)
        topo.start("worker", unit_command("minsheng-worker.service"))
        http_port, https_port = free_port(), free_port()
        subprocess.run(
            [
                OPENSSL,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=minsheng.test",
            ]
            + ["-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
            check=True,
            capture_output=True,
        )
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "acme"):
            (folder / kind).mkdir(exist_ok=True)
        site = nginx_site(
            http_port=http_port,
            https_port=https_port,
            upstreams=ports,
            folder=folder,
            static=folder / "var" / "static",
        )
        (folder / "site.conf").write_text(site)
        # Room for every user's connection and the upstream ones (the test topology's 256 is for a handful).
        main = nginx_main(folder).replace("worker_connections 256;", "worker_connections 4096;")
        (folder / "nginx.conf").write_text(main)
        topo.start("nginx", [NGINX, "-c", str(folder / "nginx.conf")])
        for i, port in enumerate(ports, 1):
            wait_listening(port, timeout=120, proc=topo.procs[f"web{i}"])
        wait_listening(https_port, proc=topo.procs["nginx"])
        yield f"https://127.0.0.1:{https_port}", topo
    finally:
        topo.stop_all()


# -- a run of locust -----------------------------------------------------------------------------------------


def locust_command() -> list[str]:
    configured = os.environ.get("BENCH_LOCUST")
    return shlex.split(configured) if configured else [sys.executable, "-m", "locust"]


def run_locust(
    host: str, folder: Path, mode: str, *, staff: int, residents: int, duration: int, rate: int
) -> Path:
    """One headless locust run; returns its per-request log."""
    users = staff + residents
    ramp = -(-users // rate)
    log = folder / f"requests-{mode}.tsv"
    env = {
        **os.environ,
        "BENCH_WEB_MODE": mode,
        "BENCH_WEB_ACCOUNTS": str(folder / "accounts.json"),
        "BENCH_WEB_LOG": str(log),
        "BENCH_SMS_DIR": str(folder / "sms"),
        "BENCH_WEB_STAFF": str(staff),
        "BENCH_WEB_RESIDENTS": str(residents),
    }
    argv = [*locust_command(), "-f", str(ROOT / "bench" / "web_users.py"), "--headless", "--host", host]
    argv += ["-u", str(users), "-r", str(rate), "-t", f"{ramp + duration}s", "--stop-timeout", "30"]
    argv += ["--only-summary", "--loglevel", "WARNING"]
    done = subprocess.run(argv, env=env, cwd=folder, capture_output=True, text=True)
    (folder / f"locust-{mode}.log").write_text(done.stdout + done.stderr)
    if not log.exists():
        raise RuntimeError(f"locust wrote no requests ({done.returncode}):\n{done.stderr[-3000:]}")
    return log


def percentile(xs: list[float], q: float) -> float:
    """The q-th percentile by the nearest-rank method (no interpolation between two requests)."""
    ordered = sorted(xs)
    return ordered[max(0, min(len(ordered) - 1, int(-(-q * len(ordered) // 100)) - 1))]


def summarise(log: Path) -> dict:
    """Figures per request name over the steady state (from the moment every user has started), logins over
    the whole run; a negative or missing duration invalidates the run."""
    spawned, rows = None, []
    for line in log.read_text().splitlines():
        parts = line.split("\t")
        if parts[0] == "#spawned":
            spawned = float(parts[1])
            continue
        rows.append((float(parts[0]), parts[1], float(parts[2]), parts[3] == "1", int(parts[4]), parts[5]))
    if spawned is None:
        raise RuntimeError("RUN INVALID: locust never finished starting its users")
    if any(ms < 0 for _, _, ms, *_ in rows):
        raise RuntimeError("RUN INVALID: a negative duration")
    steady = [r for r in rows if r[0] >= spawned]
    span = max(r[0] + r[2] / 1000 for r in steady) - spawned if steady else 0
    out: dict = {"span": span, "pages": {}, "errors": [], "requests": len(steady)}
    names = sorted({r[1] for r in rows})
    for name in names:
        chosen = rows if name.startswith("login") else steady
        ms = [r[2] for r in chosen if r[1] == name]
        errors = [r for r in chosen if r[1] == name and not r[3]]
        if not ms:
            continue
        out["pages"][name] = {
            "n": len(ms),
            "p50": statistics.median(ms),
            "p95": percentile(ms, 95),
            "p99": percentile(ms, 99),
            "errors": len(errors),
            "rate": len(ms) / span if span and chosen is steady else None,
        }
        out["errors"] += [f"{name}: {r[4]} {r[5]}" for r in errors]
    out["rate"] = len(steady) / span if span else 0
    steady_ms = [r[2] for r in steady if not r[1].startswith("login")]
    out["all"] = {"p50": statistics.median(steady_ms), "p95": percentile(steady_ms, 95)} if steady_ms else {}
    return out


def uptime() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def report(product: dict, bare: dict) -> None:
    base = bare["pages"].get("bare")
    print(
        f"  {'page':<16}{'requests':>9}{'req/s':>7}{'p50':>7}{'p95':>7}{'p99':>7}{'errors':>7}  p95 ÷ bare p95"
    )
    order = [n for n in PAGES if n in product["pages"]] + [n for n in product["pages"] if n not in PAGES]
    for name in order:
        f = product["pages"][name]
        rate = f"{f['rate']:.1f}" if f["rate"] is not None else "ramp"
        ratio = f"{f['p95'] / base['p95']:.1f}×" if base and base["p95"] else "-"
        print(
            f"  {name:<16}{f['n']:>9}{rate:>7}{f['p50']:>7.0f}{f['p95']:>7.0f}{f['p99']:>7.0f}{f['errors']:>7}  {ratio}"
        )
    if base:
        print(f"  {'bare view':<16}{base['n']:>9}{base['rate']:>7.1f}{base['p50']:>7.0f}{base['p95']:>7.0f}"
              f"{base['p99']:>7.0f}{base['errors']:>7}")  # fmt: skip
    errors = sum(f["errors"] for f in product["pages"].values())
    worst = max((f["p95"] for n, f in product["pages"].items() if not n.startswith("login")), default=0)
    print(f"  product: {product['requests']} requests in {product['span']:.0f} s = {product['rate']:.1f} req/s, "
          f"{errors} errors; all pages p50 {product['all'].get('p50', 0):.0f} ms, p95 {product['all'].get('p95', 0):.0f} ms; "
          f"worst page p95 {worst:.0f} ms (aim < {AIM_P95_MS})")  # fmt: skip
    print(
        f"  bare view: {bare['requests']} requests = {bare['rate']:.1f} req/s, {len(bare['errors'])} errors"
    )
    if base and base["p95"]:
        print(
            f"  ratio of p95, all product pages to the bare view: {product['all']['p95'] / base['p95']:.1f}×"
        )
    for line in (product["errors"] + bare["errors"])[:10]:
        print(f"    error: {line}")


@contextlib.contextmanager
def bench_lock():
    """The machine's benchmark lock (BENCH_LOCK, default /tmp/minsheng-bench.lock; "none" to go without), taken here
    for the measurement only, so that loading the data does not hold it: do not wrap this command in flock(1)."""
    path = os.environ.get("BENCH_LOCK", "/tmp/minsheng-bench.lock")
    if path == "none":
        yield
        return
    with open(path, "a") as handle:
        print(f"  waiting for {path} …", flush=True)
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run(
    url: str, *, staff: int, residents: int, duration: int, rate: int, processes: int, threads: int
) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="minsheng-webload-"))
    names = staff_names(staff)
    (folder / "accounts.json").write_text(json.dumps({"password": PASSWORD, "staff": names}))
    try:
        with bench_lock(), topology(url, folder, processes=processes, threads=threads) as (host, _topo):
            print(f"  {processes} web processes × {threads} threads behind nginx at {host}; "
                  f"{staff} staff + {residents} residents, {rate} started a second, {duration} s measured")  # fmt: skip
            product = summarise(
                run_locust(
                    host, folder, "product", staff=staff, residents=residents, duration=duration, rate=rate
                )
            )
            bare = summarise(
                run_locust(
                    host, folder, "bare", staff=staff, residents=residents, duration=duration, rate=rate
                )
            )
            print(f"  load average at the end of the measurement: {uptime()}")
        report(product, bare)
        return {"product": product, "bare": bare, "folder": folder}
    finally:
        if os.environ.get("BENCH_WEB_KEEP") == "1":
            print(f"  run folder kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    started = time.perf_counter()
    prepare(url, staff_names(STAFF))
    print(f"  database ready in {time.perf_counter() - started:.0f} s")
    run(
        url,
        staff=STAFF,
        residents=RESIDENTS,
        duration=DURATION,
        rate=SPAWN_RATE,
        processes=PROCESSES,
        threads=THREADS,
    )
