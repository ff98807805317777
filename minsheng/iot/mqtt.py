"""The MQTT consumer behind `minsheng ingest`.

Topics: `minsheng/<cluster>/<greenhouse>/<device>/senml` (a SenML pack) or `…/json` (the plain form); the payload
format is recognised from the payload itself, and the names in it (sensor codes) decide where readings go.

Delivery is at least once from broker to database: QoS 1, a persistent session (MQTT 3.1.1, clean session off;
the broker's `persistent_client_expiration` bounds how long it is kept), and manual acknowledgement — a message is acknowledged only after its batch is committed, so a crash or a database
outage leaves it with the broker, which delivers it again; the idempotent store makes the replay harmless.
The network thread only queues messages; the consumer's own thread parses, batches (by size or time) and stores.
"""

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections

from minsheng.core import liveness

from . import deadletters
from .ingest import Stats, parse, store

log = logging.getLogger(__name__)

TOPIC = "minsheng/+/+/+/+"


@dataclass
class Options:
    host: str = "127.0.0.1"
    port: int = 1883
    client_id: str = "minsheng-ingest"
    #: One topic filter, or several (a consumer for several clusters: `minsheng/c1/+/+/+`, `minsheng/c2/+/+/+`).
    topic: str | tuple[str, ...] = TOPIC
    username: str = ""
    password: str = ""
    batch_size: int = 5000
    batch_seconds: float = 0.1
    #: A batch also closes when no message has come for this long: a quiet stream is stored at once (latency),
    #: a busy one fills its batches (throughput).
    idle_seconds: float = 0.05
    keepalive: int = 30
    #: How often the consumer sends its heartbeat (core.liveness: `ingest:<client id>`, read by `minsheng doctor`).
    heartbeat_seconds: float = 15.0

    @property
    def topics(self) -> list[str]:
        """The topic filters subscribed to, in order, without repeats."""
        given = [self.topic] if isinstance(self.topic, str) else list(self.topic)
        return list(dict.fromkeys(t for t in given if t)) or [TOPIC]

    @classmethod
    def from_settings(cls, **overrides) -> "Options":
        values = dict(getattr(settings, "IOT_MQTT", {}))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


class Consumer:
    def __init__(self, options: Options | None = None):
        self.options = options or Options.from_settings()
        self.stats = Stats()
        self.messages = 0
        self.subscribed = threading.Event()
        #: Whether the broker still held our session at the last connect (None before connecting).
        self.session_present: bool | None = None
        self._inbox: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        #: Messages whose handling failed and that are not yet set aside: handled again with the next batch.
        self._retry: list[mqtt.MQTTMessage] = []
        self._stop = threading.Event()
        # MQTT 3.1.1, not 5: paho builds a Properties object for every MQTT 5 message it receives (≈ 80 µs, most of
        # its time), which capped a backlog drain at ≈ 10,000 messages a second before anything was stored.
        # Devices may publish with either version; the broker converts.
        self.client = mqtt.Client(
            callback_api_version=mqtt.CallbackAPIVersion.VERSION2,
            client_id=self.options.client_id,
            protocol=mqtt.MQTTv311,
            clean_session=False,
            manual_ack=True,
        )
        if self.options.username:
            self.client.username_pw_set(self.options.username, self.options.password)
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message
        self.client.on_disconnect = self._on_disconnect

    # -- network thread: connect, subscribe, queue --------------------------------------------------------

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            log.warning("iot mqtt: connection refused: %s", reason_code)
            return
        self.session_present = flags.session_present
        log.info("iot mqtt: connected (session present: %s)", flags.session_present)
        client.subscribe([(topic, 1) for topic in self.options.topics])

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        self.subscribed.set()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        self.subscribed.clear()
        if not self._stop.is_set():
            log.warning("iot mqtt: disconnected (%s); reconnecting with backoff", reason_code)

    def _on_message(self, client, userdata, message):
        self._inbox.put(message)

    # -- consumer thread: batch, store, acknowledge ------------------------------------------------------

    def stop(self) -> None:
        self._stop.set()

    def run(
        self, *, until: Callable[["Consumer"], bool] | None = None, timeout: float | None = None
    ) -> Stats:
        """Consume until stop() is called, `until(self)` holds, or `timeout` seconds have passed."""
        self.client.connect_async(self.options.host, self.options.port, keepalive=self.options.keepalive)
        self.client.loop_start()
        deadline = None if timeout is None else time.monotonic() + timeout
        next_beat = 0.0
        try:
            while not self._stop.is_set():
                if until is not None and until(self):
                    break
                if deadline is not None and time.monotonic() >= deadline:
                    break
                if time.monotonic() >= next_beat:
                    next_beat = time.monotonic() + self.options.heartbeat_seconds
                    self._heartbeat()
                batch = self._collect()
                if self._retry:
                    batch, self._retry = self._retry + batch, []
                if batch:
                    self._flush(batch)
        finally:
            leftover = self._drain()
            if leftover and self.client.is_connected():
                self._flush(leftover)
            self.client.disconnect()
            self.client.loop_stop()
        return self.stats

    def _heartbeat(self) -> None:
        try:
            liveness.beat(
                f"ingest:{self.options.client_id}",
                topic=" ".join(self.options.topics),
                connected=self.client.is_connected(),
                messages=self.messages,
                stored=self.stats.stored,
            )
        except DatabaseError as exc:  # an outage is the store's to wait out, not the heartbeat's
            log.warning("iot mqtt: heartbeat not written: %s", exc)
            close_old_connections()

    def _collect(self) -> list:
        """Wait for a message, then gather more until the batch is full, its time is up, or the stream pauses."""
        try:
            batch = [self._inbox.get(timeout=0.2)]
        except queue.Empty:
            return []
        closes = time.monotonic() + self.options.batch_seconds
        while len(batch) < self.options.batch_size:
            try:  # whatever is already waiting, without a system call per message
                while len(batch) < self.options.batch_size:
                    batch.append(self._inbox.get_nowait())
                break
            except queue.Empty:
                pass
            left = closes - time.monotonic()
            if left <= 0:
                break
            try:
                batch.append(self._inbox.get(timeout=min(left, self.options.idle_seconds)))
            except queue.Empty:
                break
        return batch

    def _drain(self) -> list:
        batch = []
        while True:
            try:
                batch.append(self._inbox.get_nowait())
            except queue.Empty:
                return batch

    def _flush(self, batch: list) -> None:
        """Parse, store and acknowledge a batch. Nothing raises out of here but a stop during an outage: a message
        whose handling fails is counted and, after a few deliveries, set aside (deadletters.py)."""
        parsed: list[tuple[mqtt.MQTTMessage, list]] = []
        done: list[mqtt.MQTTMessage] = []
        rejected = Stats()
        bad_topics: set[str] = set()
        for message in batch:
            try:
                if message.dup and deadletters.set_aside(message.topic, message.payload):
                    done.append(message)  # set aside before, its acknowledgement lost: acknowledge it now
                    continue
                samples, stats = parse(message.payload)
            except Exception as exc:
                log.debug("iot mqtt: parsing failed", exc_info=True)
                self._failed(message, exc, done)
                continue
            if stats.rejected:
                rejected.add(stats)
                bad_topics.add(message.topic)
            self.stats.add(stats)
            parsed.append((message, samples))
        if rejected.rejected:  # one line a batch, so that a flood of garbage cannot flood the log too
            log.warning(
                "iot mqtt: %d record(s) rejected in a batch of %d messages (topics: %s): %s",
                rejected.rejected,
                len(batch),
                ", ".join(sorted(bad_topics)[:5]),
                rejected.errors[:5],
            )
        if not self._store([s for _m, samples in parsed for s in samples]):
            if self._stop.is_set():
                return  # stopped during an outage: nothing acknowledged, the broker keeps the batch
            # The batch failed for another reason than an outage: find the message(s) that cause it, one by one.
            for message, samples in parsed:
                if self._store(samples, raise_failure=True, message=message, done=done):
                    done.append(message)
                elif self._stop.is_set():
                    return
        else:
            done.extend(message for message, _samples in parsed)
        for message in done:
            if message.qos:
                self.client.ack(message.mid, message.qos)
        self.messages += len(done)

    def _store(self, samples: list, *, raise_failure: bool = False, message=None, done=None) -> bool:
        """Store, waiting out a database outage. False when storing failed for another reason (or we stopped)."""
        delay = 1.0
        while True:
            try:
                self.stats.add(store(samples))
                return True
            except DatabaseError as exc:
                if not _is_outage(exc):
                    return self._store_failed(exc, raise_failure, message, done)
                # Not acknowledged: the messages stay ours to store. Retry until the database is back.
                log.error("iot mqtt: database unavailable (%s); retrying in %.0f s", exc, delay)
                close_old_connections()
                if self._stop.wait(delay):
                    return False
                delay = min(delay * 2, 30)
            except Exception as exc:
                return self._store_failed(exc, raise_failure, message, done)

    def _store_failed(self, exc, alone: bool, message, done) -> bool:
        if not alone:
            log.warning("iot mqtt: a batch failed (%s); storing its messages one by one", exc)
            return False
        log.debug("iot mqtt: storing a message failed", exc_info=True)
        self._failed(message, exc, done)
        return False

    def _failed(self, message, exc: BaseException, done: list) -> None:
        """One more failed delivery of this message: set aside (and acknowledged) at the limit, else tried again."""
        error = f"{type(exc).__name__}: {exc}"
        try:
            letter = deadletters.note_failure(message.topic, message.payload, error)
        except Exception:  # the database cannot even record it: leave it with the broker
            log.exception("iot mqtt: could not record a failed message on %s", message.topic)
            self._retry.append(message)
            return
        if letter.set_aside_at is not None:
            done.append(message)
        else:
            self._retry.append(message)


def _is_outage(exc: DatabaseError) -> bool:
    """A lost or refused connection is worth waiting out; a constraint or a syntax error is not."""
    return isinstance(exc, OperationalError | InterfaceError)
