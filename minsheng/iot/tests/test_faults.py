"""Faults, with real services: the broker restarted mid-stream (a private Mosquitto with persistence), a flood of
malformed payloads, and the database connection cut under the consumer (PostgreSQL)."""

import getpass
import logging
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from minsheng.iot.models import Reading
from minsheng.iot.mqtt import Consumer, Options
from minsheng.testing.fixtures import IN_CI, require_postgres, require_service

pytestmark = [pytest.mark.mqtt, pytest.mark.django_db(transaction=True)]
MOSQUITTO = "/usr/sbin/mosquitto"
T0 = 1_780_000_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"mosquitto did not listen on {port}")


class PrivateBroker:
    """A Mosquitto of the test's own, on a free port, persisting its sessions and queues to a temporary folder."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.conf = folder / "mosquitto.conf"
        self.conf.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
            f"persistence_location {folder}/\nmax_queued_messages 0\n"
            # Started as root, mosquitto would switch to its own user and could not write the folder.
            f"user {getpass.getuser()}\n"
        )
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [MOSQUITTO, "-c", str(self.conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_listening(self.port)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(
                signal.SIGTERM
            )  # a restart: mosquitto writes its persistence file and exits
            self.proc.wait(10)


@pytest.fixture
def private_broker(tmp_path):
    if not Path(MOSQUITTO).exists() and not shutil.which("mosquitto"):
        if IN_CI:
            pytest.fail("CI requires the mosquitto binary")
        pytest.skip("the mosquitto binary is not installed")
    broker = PrivateBroker(tmp_path)
    broker.start()
    yield broker
    broker.stop()


def publish(port: int, topic: str, payloads: list[bytes]) -> None:
    client = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.connect("127.0.0.1", port)
    client.loop_start()
    infos = [client.publish(topic, payload, qos=1) for payload in payloads]
    for info in infos:
        info.wait_for_publish(timeout=10)
    client.disconnect()
    client.loop_stop()


def run_in_thread(consumer: Consumer, **kwargs) -> threading.Thread:
    """The consumer in a thread of its own, closing that thread's database connection when done."""

    def target():
        from django.db import connection

        try:
            consumer.run(**kwargs)
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    return thread


def reading(i: int, sensor: str = "gh1-h1") -> bytes:
    return f'{{"sensor": "{sensor}", "ts": {T0 + i}, "value": {50 + i % 10}}}'.encode()


def test_a_broker_restart_mid_stream_loses_nothing_and_stores_nothing_twice(farm, private_broker):
    port = private_broker.port
    consumer = Consumer(
        Options(
            port=port,
            client_id="fault-consumer",
            topic="minsheng/+/+/+/+",
            batch_size=100,
            batch_seconds=0.05,
        )
    )
    consumer.client.reconnect_delay_set(min_delay=1, max_delay=2)
    topic = "minsheng/yingyue/gh1/gw1/json"
    thread = run_in_thread(consumer, until=lambda c: c.stats.stored >= 2000, timeout=60)
    try:
        assert consumer.subscribed.wait(timeout=10)
        publish(port, topic, [reading(i) for i in range(1000)])
        deadline = time.monotonic() + 20
        while consumer.stats.stored == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        private_broker.stop()  # mid-stream: part stored, part queued or in flight to the consumer
        stored_at_stop = consumer.stats.stored
        private_broker.start()
        publish(port, topic, [reading(i) for i in range(1000, 2000)])
    finally:
        thread.join(timeout=70)
    assert 0 < stored_at_stop < 2000
    assert consumer.session_present is True  # the restarted broker still had our session and its queue
    assert Reading.objects.filter(sensor=farm.humidity).count() == 2000
    assert consumer.stats.stored == 2000
    assert consumer.stats.rejected == 0


def test_a_flood_of_malformed_payloads_does_not_stop_ingestion(farm, caplog):
    require_service("Mosquitto", "127.0.0.1", 1883)
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    consumer = Consumer(
        Options(client_id=f"{prefix}-consumer", topic=f"{prefix}/+/+/+/+", batch_seconds=0.05)
    )
    garbage = [b"{not json", b"\xff\xfe", b"[1, 2, 3]", b'{"sensor": "gh1-h1", "value": "high"}', b""]
    payloads = []
    for i in range(100):
        payloads.extend(garbage)
        payloads.append(reading(i))
    topic = f"{prefix}/yingyue/gh1/gw1/json"

    def publisher():
        if consumer.subscribed.wait(timeout=10):
            publish(1883, topic, payloads)

    thread = threading.Thread(target=publisher)
    thread.start()
    try:
        with caplog.at_level(logging.WARNING, logger="minsheng.iot.mqtt"):
            stats = consumer.run(until=lambda c: c.messages >= len(payloads), timeout=30)
    finally:
        thread.join()
        from minsheng.iot.tests.test_mqtt import forget_session

        forget_session(f"{prefix}-consumer")
    assert consumer.messages == 600
    assert stats.stored == 100
    assert stats.rejected == 700  # "[1, 2, 3]" is a SenML pack of three bad records
    assert Reading.objects.filter(sensor=farm.humidity).count() == 100
    logged = caplog.text
    assert "不是有效的 JSON" in logged and "value 必须是有限数值" in logged and "rejected" in logged


def test_the_database_connection_cut_under_the_consumer_is_waited_out(farm):
    require_postgres()
    require_service("Mosquitto", "127.0.0.1", 1883)
    from django.db import connection

    prefix = f"test-{uuid.uuid4().hex[:10]}"
    consumer = Consumer(
        Options(client_id=f"{prefix}-consumer", topic=f"{prefix}/+/+/+/+", batch_seconds=0.05)
    )
    topic = f"{prefix}/yingyue/gh1/gw1/json"
    thread = run_in_thread(consumer, until=lambda c: c.stats.stored >= 20, timeout=30)
    try:
        assert consumer.subscribed.wait(timeout=10)
        publish(1883, topic, [reading(i) for i in range(10)])
        deadline = time.monotonic() + 10
        while consumer.stats.stored < 10 and time.monotonic() < deadline:
            time.sleep(0.02)
        with connection.cursor() as cursor:  # cut every other session of the test database: the consumer's
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1
        publish(1883, topic, [reading(i) for i in range(10, 20)])
    finally:
        thread.join(timeout=40)
        from minsheng.iot.tests.test_mqtt import forget_session

        forget_session(f"{prefix}-consumer")
    assert consumer.stats.stored == 20
    assert Reading.objects.filter(sensor=farm.humidity).count() == 20
