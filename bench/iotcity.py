"""Sensors at city scale: 30,000 sensors in ten clusters, two consumers split by topic, 90 days of raw readings.

A county of ten 街道 with ten villages each; each 街道's villages form one cluster (片区) of 500 greenhouses and
3,000 sensors with its own topic prefix (`bench/jd01/…` … `bench/jd10/…`). The raw history is loaded with binary
COPY straight into the day partitions (not through MQTT): one reading per sensor every BENCH_IOT_CITY_INTERVAL
minutes (default 30) from the day before the 90-day raw window began until now. Then, side by side in one run:

- sustained ingestion: two `minsheng ingest` consumers, one per half of the clusters (`--topic bench/jd01/+/+/+
  … --topic bench/jd05/+/+/+` and jd06–jd10), while one publisher sends every sensor's readings as fast as the
  broker takes them; baseline: two `mosquitto_sub -q 1` subscribed to the same halves, draining the same stream
  to /dev/null. Readings/s per consumer and per subscriber, from the first publish to its half's last reading;
- retention: the periodic job (`retention.run`) with 90 days kept — it rolls up and drops the day that left the
  window — then the table cut to 30 days (partitions dropped directly, setup) and the job again with 30 days kept;
  the two runs should cost the same (one day's partition each, whatever the table's size);
- the readings API for one greenhouse-day (`GET /api/v1/iot/greenhouses/<id>/readings/?start=&end=`, six
  sensors, as a street administrator): p50/p95 over random greenhouses and days, against a bare SQL select of the
  same rows.
Aims (issue 17): sustained ≥ 0.6 of mosquitto_sub per consumer, retention time independent of table size,
greenhouse-day p95 < 100 ms.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ms_iot_city python -m bench iotcity
    BENCH_IOT_CITY_PHASES=setup,load  # build and load only (no measurement: run it without the bench lock)
    BENCH_IOT_CITY_PHASES=measure     # measure an already loaded database (under the lock)
"""

import datetime as dt
import os
import random
import statistics
import struct
import subprocess
import time

import numpy as np
import psycopg

from .iot import broker, manage, stop

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ms_iot_city"
CLUSTERS = 10
INTERVAL_MINUTES = int(os.environ.get("BENCH_IOT_CITY_INTERVAL", "30"))
ROUNDS = int(os.environ.get("BENCH_IOT_CITY_ROUNDS", "20"))  # × 30,000 readings
TIMEOUT = int(os.environ.get("BENCH_IOT_CITY_TIMEOUT", "900"))
API_SAMPLES = int(os.environ.get("BENCH_IOT_CITY_API_SAMPLES", "200"))
RAW_DAYS = 90
HALVES = [
    [f"jd{i:02d}" for i in range(1, CLUSTERS // 2 + 1)],
    [f"jd{i:02d}" for i in range(CLUSTERS // 2 + 1, CLUSTERS + 1)],
]

SETUP = r"""
from minsheng.accounts import actions as a
from minsheng.accounts.choices import Role
from minsheng.org import actions as o
from minsheng.org.choices import NodeKind
from minsheng.iot import demo
county = o.create_node(parent=None, kind=NodeKind.COUNTY, name="基准县", code="370724000000")
admin = a.create_user(username="benchadmin", password=None)
for s in range(1, 11):
    street = o.create_node(parent=county, kind=NodeKind.STREET, name=f"基准{s}街道", code=f"3707241{s:02d}000")
    a.grant_membership(user=admin, role=Role.STREET_ADMIN, node=street)
    villages = [o.create_node(parent=street, kind=NodeKind.VILLAGE, name=f"基准{s}街道{i}村") for i in range(10)]
    demo.build(villages, cluster_name=f"基准{s}街道片区", cluster_code=f"jd{s:02d}", prefix=f"jd{s:02d}-")
"""

PG_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: Binary COPY rows of (id int8, sensor_id int8, ts timestamptz, value float8): field count, then length + value.
ROW = np.dtype(
    [
        ("n", ">i2"),
        ("l1", ">i4"), ("id", ">i8"),
        ("l2", ">i4"), ("sensor", ">i8"),
        ("l3", ">i4"), ("ts", ">i8"),
        ("l4", ">i4"), ("value", ">f8"),
    ]
)  # fmt: skip
#: Illustrative levels per sensor kind: (mean, diurnal swing, noise).
LEVELS = {
    "air_temp": (17.0, 5.0, 0.6),
    "air_humidity": (62.0, -8.0, 2.0),
    "soil_temp": (16.0, 1.5, 0.2),
    "soil_moisture": (30.0, 0.0, 0.8),
    "co2": (650.0, -200.0, 30.0),
    "light": (12000.0, 12000.0, 800.0),
}


def env_for(url: str) -> dict:
    import tempfile

    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "MINSHENG_VAR_DIR": tempfile.mkdtemp(prefix="minsheng-bench-"),
        "MINSHENG_DEBUG": "1",
    }


def prepare(url: str) -> None:
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = env_for(url)
    for args in (("migrate", "--noinput", "-v0"), ("shell", "-c", SETUP)):
        if manage(env, *args, stdout=subprocess.DEVNULL).wait() != 0:
            raise RuntimeError(f"manage.py {args[0]} failed")


def raw_cutoff(now: dt.datetime) -> dt.datetime:
    return (now - dt.timedelta(days=RAW_DAYS)).replace(hour=0, minute=0, second=0, microsecond=0)


def load_history(url: str) -> int:
    """COPY the raw history into day partitions; returns the rows loaded.

    Each past day is COPYed into a plain table that is then attached as the day's partition (its indexes are
    built once, sorted, instead of row by row); today's partition exists already and is COPYed into directly.
    """
    now = dt.datetime.now(dt.UTC)
    first = raw_cutoff(now) - dt.timedelta(days=1)  # one day already outside the window: the next purge's
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    with psycopg.connect(url) as conn:
        q = conn.execute
        sensors = q("SELECT id, kind FROM iot_sensor ORDER BY id").fetchall()
        ids = np.array([s[0] for s in sensors], dtype=np.int64)
        kinds = [s[1] for s in sensors]
        mean = np.array([LEVELS[k][0] for k in kinds])
        swing = np.array([LEVELS[k][1] for k in kinds])
        noise = np.array([LEVELS[k][2] for k in kinds])
        bias = np.random.default_rng(1).normal(0, 1, len(ids)) * noise
        rng = np.random.default_rng(2)
        q("SET maintenance_work_mem = '1GB'")
        q("SET synchronous_commit = off")
        next_id, total, day = 1, 0, first
        started = time.monotonic()
        while day <= today:
            steps = [
                day + dt.timedelta(minutes=m)
                for m in range(0, 1440, INTERVAL_MINUTES)
                if day + dt.timedelta(minutes=m) <= now
            ]
            n = len(steps) * len(ids)
            rows = np.empty(n, dtype=ROW)
            rows["n"], rows["l1"], rows["l2"], rows["l3"], rows["l4"] = 4, 8, 8, 8, 8
            rows["id"] = np.arange(next_id, next_id + n)
            rows["sensor"] = np.tile(ids, len(steps))  # time-major, as readings arrive
            micros = np.array(
                [int((s - PG_EPOCH).total_seconds()) * 1_000_000 for s in steps], dtype=np.int64
            )
            rows["ts"] = np.repeat(micros, len(ids))
            # Asia/Shanghai is UTC+8: the diurnal peak at 14:00 local is 06:00 UTC.
            phase = np.array([np.cos((s.hour + s.minute / 60 - 6) / 24 * 2 * np.pi) for s in steps])
            values = mean + bias + np.outer(phase, swing) + rng.normal(0, 1, (len(steps), len(ids))) * noise
            rows["value"] = np.round(values, 1).ravel()
            payload = (
                b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0) + rows.tobytes() + struct.pack(">h", -1)
            )
            name = f"iot_reading_p{day:%Y%m%d}"
            exists = q("SELECT to_regclass(%s)", [name]).fetchone()[0] is not None
            if not exists:
                q(f"CREATE TABLE {name} (LIKE iot_reading INCLUDING DEFAULTS)")
            with conn.cursor().copy(
                f"COPY {name} (id, sensor_id, ts, value) FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.write(payload)
            if not exists:
                end = day + dt.timedelta(days=1)  # DDL takes no parameters: literal UTC instants
                q(
                    f"ALTER TABLE iot_reading ATTACH PARTITION {name} "
                    f"FOR VALUES FROM ('{day.isoformat()}') TO ('{end.isoformat()}')"
                )
            conn.commit()
            next_id += n
            total += n
            day += dt.timedelta(days=1)
            print(f"  {name}: {n:,} rows ({total:,} in {time.monotonic() - started:.0f} s)", flush=True)
        q("SELECT setval('iot_reading_id_seq_p', %s, false)", [next_id])
        conn.commit()
        conn.autocommit = True
        q("VACUUM (ANALYZE) iot_reading")
    return total


# -- sustained: two consumers split by topic against two mosquitto_sub --------------------------------------


def filters(half: list[str]) -> list[str]:
    return [f"bench/{code}/+/+/+" for code in half]


def publish(env, port, start: str) -> subprocess.Popen:
    return manage(
        env,
        "simulate-sensors",
        "--port", str(port), "--topic-root", "bench", "--qos", "1", "--format", "mixed", "--faults", "0",
        "--interval", "60", f"--start={start}", "--count", str(ROUNDS), "--rate", "0",
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def half_ids(conn) -> list[tuple[int, int, int]]:
    """(lowest sensor id, highest, count) of each half's sensors."""
    out = []
    for half in HALVES:
        out.append(
            conn.execute(
                "SELECT min(s.id), max(s.id), count(*) FROM iot_sensor s JOIN iot_greenhouse g "
                "ON g.id = s.greenhouse_id JOIN iot_cluster c ON c.id = g.cluster_id WHERE c.code = ANY(%s)",
                [half],
            ).fetchone()
        )
    return out


def stored(conn, since: dt.datetime, until: dt.datetime, halves) -> list[int]:
    row = conn.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER (WHERE sensor_id BETWEEN {lo} AND {hi})" for lo, hi, _ in halves)
        + " FROM iot_reading WHERE ts >= %s AND ts < %s",
        [since, until],
    ).fetchone()
    return list(row)


def sustained(env, port, conn) -> list[tuple[float, float]]:
    """[(consumer readings/s, mosquitto_sub readings/s)] per half."""
    halves = half_ids(conn)
    per_half = [n * ROUNDS for _, _, n in halves]
    messages = [n // 6 * ROUNDS for _, _, n in halves]  # one message per gateway = six readings
    # Baseline: two mosquitto_sub, one per half, draining the same stream to /dev/null.
    subs = []
    for half, count in zip(HALVES, messages, strict=True):
        args = ["mosquitto_sub", "-p", str(port), "-q", "1", "-C", str(count)]
        for topic in filters(half):
            args += ["-t", topic]
        subs.append(subprocess.Popen(args, stdout=subprocess.DEVNULL))
    time.sleep(1)
    started = time.monotonic()
    pub = publish(env, port, "-20d")
    ends = [0.0, 0.0]
    while any(not e for e in ends):
        for i, sub in enumerate(subs):
            if not ends[i] and sub.poll() is not None:
                ends[i] = time.monotonic()
        if time.monotonic() - started > 600 or pub.poll():
            raise RuntimeError(f"mosquitto_sub did not finish (publisher: {pub.poll()})")
        time.sleep(0.01)
    out = pub.communicate()[0]
    sub_rates = [n / (e - started) for n, e in zip(per_half, ends, strict=True)]
    print(f"  publisher (simulate-sensors, QoS 1, its own count): {out.split('(')[-1].split()[0]} readings/s")
    # The consumers, same stream (other timestamps: -10 days, every minute, off the history's half hours).
    start_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    since, until = start_at - dt.timedelta(minutes=1), start_at + dt.timedelta(minutes=ROUNDS + 1)
    before = stored(conn, since, until, halves)
    procs = [
        manage(
            env,
            "ingest",
            "--port",
            str(port),
            "--client-id",
            f"bench-city-{i}",
            *[arg for topic in filters(half) for arg in ("--topic", topic)],
            stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(env["MINSHENG_VAR_DIR"], f"ingest-{i}.log"), "w"),  # noqa: SIM115
        )  # fmt: skip
        for i, half in enumerate(HALVES)
    ]
    print(f"  consumers' logs: {env['MINSHENG_VAR_DIR']}/ingest-*.log", flush=True)
    try:
        time.sleep(4)  # connected and subscribed
        started = time.monotonic()
        pub = publish(env, port, start_at.isoformat())
        ends = [0.0, 0.0]
        while any(not e for e in ends):
            now = stored(conn, since, until, halves)
            for i in range(2):
                if not ends[i] and now[i] - before[i] >= per_half[i]:
                    ends[i] = time.monotonic()
                    print(
                        f"  consumer {i + 1}: {per_half[i]:,} readings in {ends[i] - started:.1f} s",
                        flush=True,
                    )
            if time.monotonic() - started > TIMEOUT or any(proc.poll() is not None for proc in procs):
                raise RuntimeError(f"stored only {now} of {per_half} (+{before}); consumers {procs}")
            time.sleep(0.5)  # each poll counts up to 600,000 fresh rows: not too often, it competes
        pub.wait()
    finally:
        for proc in procs:
            stop(proc)
    rates = [n / (e - started) for n, e in zip(per_half, ends, strict=True)]
    return list(zip(rates, sub_rates, strict=True))


# -- retention and the readings API, in this process ---------------------------------------------------------


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1]


def retention_runs() -> list[tuple[int, int, float, int]]:
    """[(days kept, partitions before, seconds, readings dropped)] for 90 then 30 days kept."""
    from django.db import connection
    from django.test.utils import override_settings

    from minsheng.iot import partitions, retention

    out = []
    for days in (RAW_DAYS, 30):
        with override_settings(IOT_RAW_RETENTION_DAYS=days):
            now = dt.datetime.now(dt.UTC)
            keep_from = retention.raw_cutoff(now) - dt.timedelta(days=1)
            # Setup (not measured): cut the table to the window plus the one day the job is to drop.
            with connection.cursor() as cursor:
                for part in partitions.partitions():
                    if part.start < keep_from:
                        cursor.execute(f"DROP TABLE {part.name}")
            before = len(partitions.partitions())
            t = time.perf_counter()
            result = retention.run(now)
            seconds = time.perf_counter() - t
            out.append((days, before, seconds, result["deleted"]))
            print(
                f"  retention run, {days} days kept ({before} day partitions): {seconds:.2f} s, "
                f"{result['deleted']:,} readings rolled up and dropped",
                flush=True,
            )
    return out


def api(samples: int) -> tuple[list[float], list[float], int]:
    """Greenhouse-day reads through the API and through bare SQL: (API ms, bare ms, points a read)."""
    from django.db import connection
    from django.test import Client

    from minsheng.accounts.models import User
    from minsheng.iot.models import Greenhouse

    client = Client()
    client.force_login(User.objects.get(username="benchadmin"))
    rng = random.Random(7)
    houses = list(Greenhouse.objects.values_list("pk", flat=True))
    today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    api_ms, bare_ms, points = [], [], 0
    for i in range(samples + 5):  # the first five warm up
        house = rng.choice(houses)
        start = today - dt.timedelta(days=rng.randrange(1, 29))
        end = start + dt.timedelta(days=1)
        t = time.perf_counter()
        response = client.get(
            f"/api/v1/iot/greenhouses/{house}/readings/",
            {"start": start.isoformat(), "end": end.isoformat()},
        )
        took = (time.perf_counter() - t) * 1000
        assert response.status_code == 200, response.content[:300]
        t = time.perf_counter()
        with connection.cursor() as cursor:
            # The greenhouse's sensors, then their rows: a join in one statement let the planner walk the day's
            # whole partition by time (≈ 360 ms) instead of the (sensor, ts) index.
            cursor.execute("SELECT id FROM iot_sensor WHERE greenhouse_id = %s", [house])
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT sensor_id, ts, value FROM iot_reading WHERE sensor_id = ANY(%s) AND ts >= %s AND ts <= %s "
                "ORDER BY sensor_id, ts",
                [ids, start, end],
            )
            cursor.fetchall()
        bare = (time.perf_counter() - t) * 1000
        if i >= 5:
            api_ms.append(took)
            bare_ms.append(bare)
            points = sum(len(s["points"]) for s in response.json())
    return api_ms, bare_ms, points


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    phases = os.environ.get("BENCH_IOT_CITY_PHASES", "setup,load,measure,retention").split(",")
    if "setup" in phases:
        t = time.monotonic()
        prepare(url)
        print(f"  county, 10 clusters, 30,000 sensors: {time.monotonic() - t:.0f} s", flush=True)
    if "load" in phases:
        t = time.monotonic()
        rows = load_history(url)
        print(
            f"  history: {rows:,} readings (one every {INTERVAL_MINUTES} min per sensor) COPYed in "
            f"{time.monotonic() - t:.0f} s",
            flush=True,
        )
    if not {"measure", "ingest", "api", "retention"} & set(phases):
        return
    print(f"  load average before measuring: {os.getloadavg()[0]:.2f}", flush=True)
    env = env_for(url)
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"})
    os.environ.setdefault("MINSHENG_VAR_DIR", env["MINSHENG_VAR_DIR"])
    import django

    django.setup()
    if "measure" in phases or "ingest" in phases:
        ingestion(url, env)
    if "measure" in phases or "api" in phases:
        readings_api()
    if "retention" in phases:  # last: it cuts the table to 30 days
        runs = retention_runs()
        print(f"  retention: {runs[0][2]:.2f} s at 90 days, {runs[1][2]:.2f} s at 30 days; ratio "
              f"{runs[0][2] / runs[1][2]:.2f} (aim ≈ 1: independent of the table's size)")  # fmt: skip
    print(f"  load average after measuring: {os.getloadavg()[0]:.2f}", flush=True)


def ingestion(url: str, env: dict) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
        parts = conn.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'iot_reading'::regclass"
        ).fetchone()[0]
        sensors = conn.execute("SELECT count(*) FROM iot_sensor").fetchone()[0]
        print(f"  {sensors:,} sensors, {parts} partitions, database {size}", flush=True)
        with broker() as port:
            results = sustained(env, port, conn)
    for i, (rate, sub_rate) in enumerate(results, start=1):
        print(
            f"  consumer {i} ({HALVES[i - 1][0]}–{HALVES[i - 1][-1]}, {ROUNDS} rounds): {rate:,.0f} readings/s; "
            f"mosquitto_sub on the same topics {sub_rate:,.0f} readings/s; ratio {rate / sub_rate:.2f} "
            "(aim ≥ 0.6)",
            flush=True,
        )


def readings_api() -> None:
    api_ms, bare_ms, points = api(API_SAMPLES)
    med = statistics.median
    print(
        f"  readings API, one greenhouse-day ({points} points, 6 sensors), {len(api_ms)} reads: "
        f"p50 {med(api_ms):.1f} ms, p95 {p95(api_ms):.1f} ms (aim < 100); bare SQL p50 {med(bare_ms):.1f} ms, "
        f"p95 {p95(bare_ms):.1f} ms; ratio (p95) {p95(api_ms) / p95(bare_ms):.1f}×",
        flush=True,
    )
