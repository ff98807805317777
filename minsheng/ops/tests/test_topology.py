"""The production topology, started from deploy/ and driven from outside (docs/deploy.md).

Two web processes behind the real nginx with the shipped site file (HTTPS, a self-signed certificate), two Celery
workers and two beats on Redis, one MQTT consumer for a cluster, a fresh PostgreSQL database. From outside: an
appeal over HTTPS through nginx, its deadline passing (the database says so), the escalation and its email done by
a worker, a sensor alarm raised through the consumer, `minsheng doctor` passing, a web process dying without an
error reaching the user. Two beats and two workers still escalate once and send one email.

Runs once, in the SQLite pass (it builds its own PostgreSQL database); CI fails it when a service is missing.
"""

import json
import os
import secrets
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from minsheng.testing.fixtures import IN_CI

from .topology import (
    MOSQUITTO,
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

pytestmark = pytest.mark.topology

SETUP = r"""
import json
from minsheng.testing.world import build_world
from minsheng.cases.models import Category
from minsheng.iot.choices import GrowthStage, SensorKind
from minsheng.iot.models import Cluster, Gateway, Greenhouse, Sensor
from minsheng.org import actions as o
from minsheng.org.choices import NodeKind
from rest_framework.authtoken.models import Token
w = build_world("Topology-pass-2026")
admin = w["admin"]
admin.email = "admin@minsheng.test"
admin.save(update_fields=["email"])
village = o.create_node(parent=w["street"], kind=NodeKind.VILLAGE, name="樱桃村")
cluster = Cluster.objects.create(name="樱悦田园", code="yingyue")
cluster.villages.add(village)
gh = Greenhouse.objects.create(name="王家1号棚", code="gh1", owner_name="王某", village=village, cluster=cluster,
                               area_mu=1.5, stage=GrowthStage.BLOOM)
gw = Gateway.objects.create(code="gw1", village=village)
sensor = Sensor.objects.create(code="gh1-t1", greenhouse=gh, gateway=gw, kind=SensorKind.AIR_TEMP, unit="Cel")
print(json.dumps({"token": Token.objects.create(user=admin).key, "node": w["estate_a"].pk,
                  "category": Category.objects.get(code="050101").pk, "sensor": sensor.pk}))
"""


def need(path: str, what: str) -> None:
    if not Path(path).exists():
        message = f"{what} is not installed at {path} (scripts/ensure-test-deps.sh installs it)"
        if IN_CI:
            pytest.fail(f"CI requires {message}")
        pytest.skip(message)


def postgres_admin_url() -> str:
    url = os.environ.get("MINSHENG_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/minsheng")
    return url.rsplit("/", 1)[0] + "/postgres"


@pytest.fixture
def services(tmp_path):
    """Redis and Mosquitto of the test's own, and a fresh database on the machine's PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("the topology test runs once, in the SQLite pass (it builds its own PostgreSQL database)")
    for path, what in (
        (NGINX, "nginx"),
        (MOSQUITTO, "mosquitto"),
        (REDIS, "redis-server"),
        (OPENSSL, "openssl"),
    ):
        need(path, what)
    import psycopg

    try:
        admin = psycopg.connect(postgres_admin_url(), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"CI requires PostgreSQL: {exc}")
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    name = f"minsheng_topology_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    database_url = postgres_admin_url().rsplit("/", 1)[0] + f"/{name}"
    redis_port, mqtt_port = free_port(), free_port()
    (tmp_path / "var").mkdir()
    topo = Topology(tmp_path, database_url)
    topo.env = base_env(tmp_path, database_url, redis_port, mqtt_port)
    topo.ports.update(redis=redis_port, mqtt=mqtt_port)
    (tmp_path / "mosquitto.conf").write_text(f"listener {mqtt_port} 127.0.0.1\nallow_anonymous true\n")
    try:
        topo.start(
            "redis",
            [REDIS, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        topo.start("mosquitto", [MOSQUITTO, "-c", str(tmp_path / "mosquitto.conf")])
        wait_listening(redis_port, proc=topo.procs["redis"])
        wait_listening(mqtt_port, proc=topo.procs["mosquitto"])
        with psycopg.connect(database_url, autocommit=True) as db:
            topo.db = db
            yield topo
    finally:
        topo.stop_all()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


class Https:
    def __init__(self, port: int, token: str):
        self.base = f"https://127.0.0.1:{port}"
        self.token = token
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, bytes]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()


def wait_for(what: str, probe, timeout: float = 40, every: float = 0.5, topo: Topology | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(every)
    logs = "" if topo is None else "\n".join(f"--- {n}\n{topo.log(n)[-3000:]}" for n in topo.procs)
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def one(db, sql: str, *params):
    return db.execute(sql, params).fetchone()[0]


def test_the_documented_topology_serves_escalates_and_alarms(services, tmp_path):
    started = time.monotonic()
    topo = services
    db = topo.db
    topo.manage("migrate", "--noinput", "-v0")
    topo.manage("collectstatic", "--noinput", "-v0")
    data = json.loads(topo.manage("shell", "-c", SETUP).strip().splitlines()[-1])

    web_ports = [free_port(), free_port()]
    for i, port in enumerate(web_ports, 1):
        topo.start(f"web{i}", unit_command("minsheng-web@.service", str(port)))
    # Two workers and two beats, as on two machines (each beat with its own schedule file).
    for i in (1, 2):
        topo.start(f"worker{i}", unit_command("minsheng-worker.service"))
        topo.start(
            f"beat{i}",
            unit_command("minsheng-beat.service"),
            env={"MINSHENG_VAR_DIR": str(tmp_path / f"beat{i}")},
        )
    topo.start("ingest", unit_command("minsheng-ingest@.service", "yingyue"))

    http_port, https_port = free_port(), free_port()
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=minsheng.test"]
        + ["-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        check=True,
        capture_output=True,
    )
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "acme"):
        (tmp_path / kind).mkdir()
    (tmp_path / "site.conf").write_text(
        nginx_site(
            http_port=http_port,
            https_port=https_port,
            upstreams=web_ports,
            folder=tmp_path,
            static=tmp_path / "var" / "static",
        )
    )
    (tmp_path / "nginx.conf").write_text(nginx_main(tmp_path))
    checked = subprocess.run(
        [NGINX, "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    topo.start("nginx", [NGINX, "-c", str(tmp_path / "nginx.conf")])
    for i, port in enumerate(web_ports, 1):
        wait_listening(port, timeout=60, proc=topo.procs[f"web{i}"])
    wait_listening(https_port, proc=topo.procs["nginx"])
    web = Https(https_port, data["token"])

    # nginx: plain HTTP goes to HTTPS, static files come from disk, media never directly.
    plain = urllib.request.Request(f"http://127.0.0.1:{http_port}/cases/")
    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(NoRedirect).open(plain, timeout=10)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"] == "https://127.0.0.1/cases/"
    status, headers, body = web.request("GET", "/static/admin/css/base.css")
    assert status == 200 and headers["Server"].startswith("nginx") and b"body" in body
    assert web.request("GET", "/media/anything.jpg")[0] == 404

    # An appeal over HTTPS through nginx, accepted, and both web processes take their share.
    status, _, body = web.request(
        "POST",
        "/api/v1/cases/",
        {
            "channel": "online",
            "category": data["category"],
            "node": data["node"],
            "description": "颐和家园1号楼下水道堵塞，污水外溢（拓扑测试）",
        },
    )
    assert status == 201, body
    case = json.loads(body)
    status, _, body = web.request("POST", f"/api/v1/cases/{case['id']}/accept/", {"note": "受理"})
    assert status == 200, body
    for _ in range(8):
        status, _, body = web.request("GET", f"/api/v1/cases/{case['id']}/")
        assert status == 200 and json.loads(body)["number"] == case["number"]
    access = (tmp_path / "minsheng.access.log").read_text()
    assert all(f"upstream=127.0.0.1:{port}" in access for port in web_ports), access[-2000:]

    # The deadline passes (as the database sees it); the beat sends the clock, a worker escalates and emails.
    db.execute(
        "UPDATE cases_case SET finish_due = now() - interval '1 minute', "
        "finish_warn_at = now() - interval '2 minutes', warned_at = now() WHERE id = %s",
        [case["id"]],
    )
    # A reading of -10 °C in bloom, lasting ten minutes: a critical alarm, through MQTT and the consumer.
    now = int(time.time())
    pack = json.dumps(
        [{"bn": "gh1-", "bt": now - 900, "n": "t1", "v": -10}, {"n": "t1", "t": 660, "v": -10}]
    ).encode()

    def alarm_raised():
        if not one(db, "SELECT count(*) FROM iot_alarm WHERE sensor_id = %s", data["sensor"]):
            publish(topo.ports["mqtt"], "minsheng/yingyue/gh1/gw1/senml", pack)  # until the consumer listens
            return False
        return True

    wait_for("the sensor alarm", alarm_raised, every=1.0, topo=topo)

    def escalated_and_sent():
        return one(
            db,
            "SELECT count(*) FROM core_delivery d JOIN core_notification n ON n.id = d.notification_id "
            "WHERE n.dedupe_key LIKE %s AND d.status = 'sent'",
            f"overdue:{case['id']}:%",
        )

    wait_for("the escalation's email", escalated_and_sent, topo=topo)
    # The console email backend printed the email in a worker's log.
    assert "污水外溢（拓扑测试）\n查看详情：/cases/" in topo.log("worker1") + topo.log("worker2")

    # A few more ticks of both beats: still one escalation, one event, one notification, one email.
    time.sleep(4)
    assert (
        one(db, "SELECT count(*) FROM cases_supervision WHERE case_id = %s AND kind = 'escalate'", case["id"])
        == 1
    )
    assert (
        one(db, "SELECT count(*) FROM cases_caseevent WHERE case_id = %s AND verb = 'overdue'", case["id"])
        == 1
    )
    assert (
        one(db, "SELECT count(*) FROM core_notification WHERE dedupe_key LIKE %s", f"overdue:{case['id']}:%")
        == 1
    )
    assert escalated_and_sent() == 1
    assert one(db, "SELECT count(*) FROM iot_alarm WHERE sensor_id = %s", data["sensor"]) == 1

    # The doctor, run as an operator would, finds the deployment whole.
    report = json.loads(topo.manage("doctor", "--json"))
    assert {r["name"]: r["status"] for r in report if r["status"] != "ok"} == {}, report
    workers = next(r for r in report if r["name"] == "后台任务进程")
    assert workers["message"].startswith("2 个 worker"), workers

    # A web process dies: nginx sends its share to the other one, and nobody sees an error.
    topo.stop("web1")
    for _ in range(6):
        assert web.request("GET", f"/api/v1/cases/{case['id']}/")[0] == 200

    assert time.monotonic() - started < 240, "the topology test must stay fast (≈ 50 s on an idle machine)"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def publish(port: int, topic: str, payload: bytes) -> None:
    client = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    client.connect("127.0.0.1", port)
    client.loop_start()
    client.publish(topic, payload, qos=1).wait_for_publish(timeout=5)
    client.disconnect()
    client.loop_stop()
