"""`minsheng simulate-sensors`: publish simulated greenhouse readings over MQTT, for a demonstration or a load test.

The sensors are the installation's own (the first `--sensors` active ones), so the consumer stores what arrives.
Simulated time starts at `--start` (default now) and steps by `--interval` seconds per round of readings; it is
paced by `--speed` (simulated seconds per real second; 1 = real time), or by `--rate` (readings per second; 0 =
as fast as the broker takes them), and never runs ahead of the real clock (the ingest refuses readings from the
future). It stops after `--count` rounds or `--duration` real seconds, else runs until interrupted.

    minsheng simulate-sensors --sensors 3000 --interval 60                   # live, one round a minute
    minsheng simulate-sensors --start -48h --speed 3600 --cold-night today   # two days of history, fast
    minsheng simulate-sensors --start -30d --rate 0 --count 20               # load: 20 rounds, full speed
"""

import datetime as dt
import re
import signal
import threading
import time

import paho.mqtt.client as mqtt
from django.core.management.base import BaseCommand, CommandError

from minsheng.core import clock
from minsheng.iot.simulator import SITE_TZ, Faults, Fleet

try:
    import orjson

    def dumps(value) -> bytes:
        return orjson.dumps(value)
except ImportError:  # pragma: no cover - depends on the environment
    import json

    def dumps(value) -> bytes:
        return json.dumps(value, separators=(",", ":")).encode()


RELATIVE = re.compile(r"^-(\d+)([smhd])$")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_start(text: str | None, now: dt.datetime) -> dt.datetime:
    if not text:
        return now
    match = RELATIVE.match(text)
    if match:
        return now - dt.timedelta(**{UNITS[match[2]]: int(match[1])})
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--start：无法识别的时间 {text}（如 -48h、-30d 或 ISO 8601）") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=SITE_TZ)


def parse_day(text: str | None, now: dt.datetime) -> dt.date | None:
    if not text:
        return None
    today = now.astimezone(SITE_TZ).date()
    if text == "today":
        return today
    if text == "tomorrow":
        return today + dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--cold-night：无法识别的日期 {text}（today、tomorrow 或 YYYY-MM-DD）") from None


class Command(BaseCommand):
    help = "模拟大棚传感器，通过 MQTT 发布读数（演示与压测）"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=1883)
        parser.add_argument("--qos", type=int, choices=(0, 1, 2), default=1)
        parser.add_argument("--client-id", default="")
        parser.add_argument("--topic-root", default="minsheng", help="主题前缀（默认 minsheng）")
        parser.add_argument("--sensors", type=int, default=0, help="模拟的传感器数（默认全部启用的传感器）")
        parser.add_argument("--interval", type=float, default=60, help="每个传感器的上报间隔（模拟秒）")
        parser.add_argument("--speed", type=float, default=1.0, help="模拟时间倍速（1 = 实时）")
        parser.add_argument("--rate", type=float, default=None, help="每秒读数上限；0 = 不限速（压测）")
        parser.add_argument("--duration", type=float, default=None, help="运行的真实秒数")
        parser.add_argument("--count", type=int, default=None, help="发布的轮数（每轮每个传感器一条读数）")
        parser.add_argument("--start", default=None, help="模拟开始时间：-48h、-30d 或 ISO 8601（默认现在）")
        parser.add_argument("--format", choices=("senml", "json", "mixed"), default="mixed")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--faults", type=float, default=1.0, help="故障概率倍数（0 = 无故障）")
        parser.add_argument("--cold-night", default=None, help="寒潮夜：today、tomorrow 或 YYYY-MM-DD")
        parser.add_argument("--cold-share", type=float, default=0.05, help="寒潮影响的大棚比例")

    def handle(self, *args, **o):
        now = clock.now()
        base = Faults()
        faults = Faults(
            stuck=base.stuck * o["faults"],
            spike=base.spike * o["faults"],
            dropout=base.dropout * o["faults"],
            cold_night=parse_day(o["cold_night"], now),
            cold_share=o["cold_share"],
        )
        fleet = Fleet.from_db(seed=o["seed"], faults=faults)
        if o["sensors"]:
            fleet.sensors = fleet.sensors[: o["sensors"]]
        if not fleet.sensors:
            raise CommandError("没有启用的传感器：请先加载演示数据（minsheng demo）或登记传感器")
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
        client = mqtt.Client(
            callback_api_version=mqtt.CallbackAPIVersion.VERSION2,
            client_id=o["client_id"],
            protocol=mqtt.MQTTv5,
        )
        client.max_inflight_messages_set(1000)
        client.max_queued_messages_set(0)  # unbounded: a message is never dropped on our side
        try:
            client.connect(o["host"], o["port"])
        except OSError as exc:
            raise CommandError(f"无法连接 MQTT 代理 {o['host']}:{o['port']}：{exc}") from None
        client.loop_start()
        try:
            result = run(client, fleet, o, parse_start(o["start"], now), stop)
        finally:
            client.disconnect()
            client.loop_stop()
        self.stdout.write(
            f"simulate-sensors: {len(fleet.sensors)} sensors, {result['rounds']} rounds, "
            f"{result['messages']} messages, {result['readings']} readings in {result['seconds']:.1f} s "
            f"({result['readings'] / max(result['seconds'], 1e-9):.0f} readings/s)"
        )


def run(client, fleet: Fleet, o: dict, start: dt.datetime, stop: threading.Event) -> dict:
    interval = dt.timedelta(seconds=o["interval"])
    root, qos, fmt = o["topic_root"], o["qos"], o["format"]
    began = time.monotonic()
    rounds = messages = readings = 0
    last = None
    while not stop.is_set():
        if o["count"] is not None and rounds >= o["count"]:
            break
        if o["duration"] is not None and time.monotonic() - began >= o["duration"]:
            break
        moment = start + rounds * interval
        # Pace: by rate, else by speed; and never ahead of the real clock.
        if o["rate"]:
            due = began + readings / o["rate"]
        elif o["rate"] == 0:
            due = 0.0
        else:
            due = began + rounds * o["interval"] / o["speed"]
        wait = max(due - time.monotonic(), (moment - dt.datetime.now(tz=dt.UTC)).total_seconds())
        if wait > 0 and stop.wait(wait):
            break
        for tail, body in fleet.tick(moment, fmt):
            last = publish(client, f"{root}/{tail}", dumps(body), qos)
            messages += 1
            readings += len(body)
        rounds += 1
    # Every message handed to the broker before disconnecting: paho's wait_for_publish(timeout) returns quietly
    # when the time is up, and a disconnect then drops what is still queued (the city-scale bench lost its last
    # ≈ 10,000 messages that way under load).
    while last is not None and qos and not last.is_published() and not stop.is_set():
        last.wait_for_publish(timeout=1)
    return {"rounds": rounds, "messages": messages, "readings": readings, "seconds": time.monotonic() - began}


def publish(client, topic: str, payload: bytes | str, qos: int):
    """Publish, waiting for acknowledgements while the client has no message id free: MQTT ids are 16 bits, so
    a fast publisher with 65,535 QoS 1 messages unacknowledged (the city-scale bench's 100,000 a run) would
    otherwise fail with ERR_QUEUE_SIZE."""
    while True:
        info = client.publish(topic, payload, qos=qos)
        if info.rc != mqtt.MQTT_ERR_QUEUE_SIZE:
            return info
        time.sleep(0.005)
