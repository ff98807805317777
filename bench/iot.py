"""Sensor ingestion: Mosquitto → `minsheng ingest` → PostgreSQL with the alarm rules on, against its baselines.

A private Mosquitto on a free port, a fresh PostgreSQL database with the demo's cluster shape (500 greenhouses,
3,000 sensors), and the simulator as publisher (`simulate-sensors --rate 0`, QoS 1, six readings a message).
Side by side in one run:
- sustained: the publisher starts, the consumer (one process, QoS 1, manual acks after commit) keeps up — readings/s
  from the first publish to the last reading stored; baseline `mosquitto_sub -q 1` draining the same stream to
  /dev/null;
- backlog: N readings published while the consumer is away (its persistent session queues them), then the
  consumer starts — readings/s to drain; baseline a plain COPY of the same rows into an unindexed table;
- latency: under a steady background load, probe readings that complete a breach; reading published → alarm row
  committed, p50/p99.
Aims (issue): ≥ 5,000 readings/s sustained with QoS 1, ≥ 20,000 readings/s backlog drain, p99 < 1 s.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/minsheng_bench_iot python -m bench iot
    BENCH_IOT_PHASES=setup python -m bench iot; flock "$BENCH_LOCK" env BENCH_IOT_PHASES=measure …
"""

import contextlib
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from .server import free_port

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/minsheng_bench_iot"
ROUNDS = int(os.environ.get("BENCH_IOT_ROUNDS", "40"))  # × 3,000 readings
PROBES = int(os.environ.get("BENCH_IOT_PROBES", "200"))
#: Readings/s of background load while probing latency: 20× the live load of 3,000 sensors at one a minute.
BACKGROUND_RATE = int(os.environ.get("BENCH_IOT_BACKGROUND_RATE", "1000"))
#: 3.5 °C at night: below the night minimum of these stages by less than their critical delta — a major alarm.
#: (A critical one also opens a case; a burst of a hundred cases at once measures the case engine, not ingestion.)
PROBE_VALUE = 3.5
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"

SETUP = r"""
from minsheng.org import actions as o
from minsheng.org.choices import NodeKind
from minsheng.iot import demo
street = o.create_node(parent=None, kind=NodeKind.STREET, name="基准街道", code="370724001000")
villages = [o.create_node(parent=street, kind=NodeKind.VILLAGE, name=f"基准{i}村") for i in range(10)]
demo.build(villages)
"""


@contextlib.contextmanager
def broker():
    """A private Mosquitto: unlimited queues for the persistent session, as production should configure it."""
    port = free_port()
    folder = tempfile.mkdtemp(prefix="bench-mosquitto-")
    conf = Path(folder) / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        "max_queued_messages 0\nmax_inflight_messages 0\n"
    )
    proc = subprocess.Popen(
        [MOSQUITTO, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_port(port)
        yield port
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


def wait_port(port: int, timeout: float = 10) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def manage(env: dict, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, **kwargs)


def environment(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "MINSHENG_VAR_DIR": tempfile.mkdtemp(prefix="minsheng-bench-"),
        "MINSHENG_DEBUG": "1",
    }


def prepare(url: str) -> dict:
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = environment(url)
    for args in (("migrate", "--noinput", "-v0"), ("shell", "-c", SETUP)):
        if manage(env, *args, stdout=subprocess.DEVNULL).wait() != 0:
            raise RuntimeError(f"manage.py {args[0]} failed")
    return env


def count(conn, table: str = "iot_reading") -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def wait_count(conn, target: int, timeout: float = 600) -> float:
    """Poll until the table holds `target` rows; returns the monotonic time it did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if count(conn) >= target:
            return time.monotonic()
        time.sleep(0.05)
    raise RuntimeError(f"only {count(conn)} of {target} readings stored after {timeout} s")


def simulate(env, port, *args: str) -> subprocess.Popen:
    return manage(
        env,
        "simulate-sensors",
        "--port", str(port), "--topic-root", "bench", "--qos", "1", "--format", "mixed", "--faults", "0",
        "--interval", "60", *args,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def consumer(env, port, stdout=subprocess.DEVNULL) -> subprocess.Popen:
    return manage(
        env,
        "ingest",
        "--port", str(port), "--topic", "bench/+/+/+/+", "--client-id", "bench-consumer",
        stdout=stdout, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


def n_sensors(conn) -> int:
    return conn.execute("SELECT count(*) FROM iot_sensor").fetchone()[0]


def sustained(env, port, conn) -> tuple[float, float]:
    sensors = n_sensors(conn)
    readings = sensors * ROUNDS
    # Baseline: mosquitto_sub draining the same stream to /dev/null.
    messages = int(
        simulate(env, port, "--start=-400d", "--count", "1", "--rate", "0").communicate()[0].split()[5]
    )
    per_round = messages  # messages per round (one per gateway)
    sub = subprocess.Popen(
        ["mosquitto_sub", "-p", str(port), "-t", "bench/#", "-q", "1", "-C", str(per_round * ROUNDS)],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    started = time.monotonic()
    out = simulate(env, port, "--start=-300d", "--count", str(ROUNDS), "--rate", "0").communicate()[0]
    sub.wait(300)
    sub_rate = readings / (time.monotonic() - started)
    print(f"  publisher (simulate-sensors, QoS 1, its own count): {out.split('(')[-1].split()[0]} readings/s")
    # The consumer, same stream.
    before = count(conn)
    proc = consumer(env, port)
    try:
        time.sleep(3)  # connected and subscribed
        started = time.monotonic()
        simulate(env, port, "--start=-200d", "--count", str(ROUNDS), "--rate", "0").wait()
        done = wait_count(conn, before + readings)
    finally:
        stop(proc)
    return readings / (done - started), sub_rate


def backlog(env, port, conn) -> tuple[float, float, float]:
    """(drain readings/s from the consumer's start-up done, the same from its process start, COPY rows/s)."""
    sensors = n_sensors(conn)
    readings = sensors * ROUNDS
    before = count(conn)
    proc = consumer(env, port)  # once, so that the broker keeps a session for it
    time.sleep(3)
    stop(proc)
    simulate(env, port, "--start=-100d", "--count", str(ROUNDS), "--rate", "0").wait()
    spawned = time.monotonic()
    proc = consumer(env, port, stdout=subprocess.PIPE)
    try:
        proc.stdout.readline()  # "ingest: …": Django is set up, the consumer connects now
        ready = time.monotonic()
        done = wait_count(conn, before + readings)
    finally:
        stop(proc)
    drain, cold = readings / (done - ready), readings / (done - spawned)
    # Baseline: a plain COPY of the same rows into an unindexed table.
    rows = conn.execute(
        "SELECT sensor_id, ts, value FROM iot_reading ORDER BY id DESC LIMIT %s", [readings]
    ).fetchall()
    conn.execute(
        "CREATE UNLOGGED TABLE IF NOT EXISTS bench_copy (sensor_id bigint, ts timestamptz, value float8)"
    )
    conn.execute("TRUNCATE bench_copy")
    conn.commit()
    started = time.monotonic()
    with conn.cursor().copy("COPY bench_copy (sensor_id, ts, value) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["int8", "timestamptz", "float8"])
        for row in rows:
            copy.write_row(row)
    conn.commit()
    return drain, cold, readings / (time.monotonic() - started)


#: A value back in range at night (bloom: ≥ 5 °C with 0.5 °C hysteresis): ends any breach a probed sensor carried
#: over from an earlier run, so that each probe's breach starts at its own first reading.
RESET_VALUE = 12.0


class InvalidProbe(Exception):
    """A probe whose alarm was not raised by the probe's completing reading: the measurement means nothing."""


def latency(env, port, conn) -> list[float]:
    """Probe readings that complete a breach (a cold night), published one by one under background load.

    A probe is three readings of one sensor: a value in range (ending any breach left from an earlier run), the
    breach's first reading, and 15 minutes later (by the readings' clocks) the one that completes the 10-minute
    duration and raises the alarm. Latency is measured from the publish of that completing reading to the alarm
    row's creation. A probe whose alarm was created before that publish, or whose alarm did not start at the
    completing reading, was raised by something else: the run is then reported invalid (InvalidProbe).
    """
    import json

    import paho.mqtt.client as mqtt

    probes = conn.execute(
        "SELECT s.code, c.code, g.code, w.code FROM iot_sensor s JOIN iot_greenhouse g ON g.id = s.greenhouse_id "
        "JOIN iot_cluster c ON c.id = g.cluster_id JOIN iot_gateway w ON w.id = s.gateway_id "
        "WHERE s.kind = 'air_temp' AND g.stage IN ('budbreak', 'prebloom', 'bloom', 'fruit_set', 'expansion') "
        # an active alarm would absorb the probe's breach (one active alarm per sensor and type)
        "AND NOT EXISTS (SELECT 1 FROM iot_alarm a WHERE a.sensor_id = s.id AND a.status = 'active') "
        "ORDER BY s.code DESC LIMIT %s",  # the last sensors: the background load leaves them alone
        [PROBES],
    ).fetchall()
    conn.commit()
    # About 03:00 in Asia/Shanghai a day ago (night, far from the background load's times), at a minute of its
    # own for each run: a rerun on the same database must not send readings that are already stored.
    base = dt.datetime.now(dt.UTC).replace(hour=19, minute=0, second=0, microsecond=0) - dt.timedelta(days=1)
    base += dt.timedelta(seconds=60 * (int(time.time() // 60) % 40))
    client = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.connect("127.0.0.1", port)
    client.loop_start()
    proc = consumer(env, port)
    # Background load on the other sensors: old readings of a probed sensor arriving between its two probes would
    # (rightly) end its breach and restart the duration clock.
    first_probed = min(code.rsplit("-", 1)[0] for code, *_ in probes)  # the greenhouse prefix
    others = conn.execute("SELECT count(*) FROM iot_sensor WHERE code < %s", [first_probed]).fetchone()[0]
    conn.commit()
    load = simulate(
        env,
        port,
        "--start=-50d",
        "--rate",
        str(BACKGROUND_RATE),
        "--duration",
        "600",
        "--sensors",
        str(others),
    )
    sent: dict[str, float] = {}
    rows: list[tuple] = []
    completing = base + dt.timedelta(seconds=900)
    try:
        time.sleep(3)
        for code, cluster, greenhouse, gateway in probes:  # the breach begins: no alarm yet (10 minutes)
            body = json.dumps(
                [
                    {"sensor": code, "ts": base.timestamp() - 60, "value": RESET_VALUE},
                    {"sensor": code, "ts": base.timestamp(), "value": PROBE_VALUE},
                ]
            )
            client.publish(f"bench/{cluster}/{greenhouse}/{gateway}/json", body, qos=1)
        time.sleep(2)
        for code, cluster, greenhouse, gateway in probes:
            body = json.dumps([{"sensor": code, "ts": completing.timestamp(), "value": PROBE_VALUE}])
            sent[code] = time.time()  # taken before the publish: the latency includes the whole trip
            client.publish(f"bench/{cluster}/{greenhouse}/{gateway}/json", body, qos=1).wait_for_publish(5)
            time.sleep(0.02)
        deadline = time.monotonic() + 120
        query = (
            "SELECT s.code, a.created_at, a.started_at FROM iot_alarm a JOIN iot_sensor s ON s.id = a.sensor_id "
            "WHERE a.type = 'threshold' AND s.code = ANY(%s) AND a.started_at >= %s"
        )
        while time.monotonic() < deadline:
            rows = conn.execute(query, [list(sent), base]).fetchall()
            conn.commit()
            if len({code for code, *_ in rows}) >= len(sent):
                break
            time.sleep(0.2)
    finally:
        stop(load)
        stop(proc)
        client.disconnect()
        client.loop_stop()
    bad = [
        f"{code}: alarm from {started:%H:%M:%S} created {created.timestamp() - sent[code]:+.3f} s after the publish"
        for code, created, started in rows
        if started != completing or created.timestamp() < sent[code]
    ]
    if bad:
        raise InvalidProbe(
            f"{len(bad)} of {len(rows)} probes were not raised by their completing reading: {bad[:3]}"
        )
    return [(created.timestamp() - sent[code]) * 1000 for code, created, _ in rows]


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    phases = os.environ.get("BENCH_IOT_PHASES", "setup,measure").split(",")
    # `BENCH_IOT_PHASES=setup` builds the fresh database alone (no measurement: without the bench lock), then
    # `BENCH_IOT_PHASES=measure` measures it once (under the lock); the default does both.
    env = prepare(url) if "setup" in phases else environment(url)
    if "measure" not in phases:
        return
    print(f"  load average before measuring: {os.getloadavg()[0]:.2f}", flush=True)
    with broker() as port, psycopg.connect(url) as conn:
        conn.autocommit = True
        print(f"  {n_sensors(conn):,} sensors; {ROUNDS} rounds = {n_sensors(conn) * ROUNDS:,} readings a run")
        rate, sub_rate = sustained(env, port, conn)
        print(
            f"  sustained QoS 1: consumer {rate:,.0f} readings/s; mosquitto_sub to /dev/null {sub_rate:,.0f} "
            f"readings/s; ratio {rate / sub_rate:.2f} (aim ≥ 5,000/s)"
        )
        drain, cold, copy_rate = backlog(env, port, conn)
        print(
            f"  backlog drain: consumer {drain:,.0f} readings/s ({cold:,.0f}/s counting its process start-up); "
            f"plain COPY {copy_rate:,.0f} rows/s; ratio {drain / copy_rate:.3f} (aim ≥ 20,000/s)"
        )
        conn.autocommit = False
        try:
            ms = latency(env, port, conn)
        except InvalidProbe as exc:
            print(f"  reading → alarm: RUN INVALID — {exc}")
            return
        if len(ms) >= 2:
            p50, p99 = statistics.median(ms), statistics.quantiles(ms, n=100)[98]
            print(
                f"  reading → alarm under {BACKGROUND_RATE:,} readings/s background: {len(ms)} alarms, "
                f"p50 {p50:.0f} ms, p99 {p99:.0f} ms (aim p99 < 1,000 ms)"
            )
        else:
            print(f"  reading → alarm: only {len(ms)} alarms raised")
