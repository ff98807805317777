"""The consumer's batch step without a broker: a database outage is retried, acknowledgement waits for storage."""

import paho.mqtt.client as mqtt
import pytest

from minsheng.iot.models import Reading
from minsheng.iot.mqtt import Consumer, Options

pytestmark = pytest.mark.django_db
PACK = b'[{"bn":"gh1-","bt":1780000000,"n":"t1","v":18},{"n":"t1","t":60,"v":18.5},{"n":"h1","v":61}]'


def test_a_database_outage_is_retried_and_nothing_is_acknowledged_before_it_is_stored(farm, monkeypatch):
    from django.db import OperationalError

    from minsheng.iot import mqtt as consumer_module

    c = Consumer(Options())
    acked, calls = [], []
    real_store = consumer_module.store

    def flaky_store(samples):
        calls.append(len(samples))
        if len(calls) == 1:
            assert acked == []
            raise OperationalError("database is down")
        return real_store(samples)

    monkeypatch.setattr(consumer_module, "store", flaky_store)
    monkeypatch.setattr(c.client, "ack", lambda mid, qos: acked.append(mid))
    monkeypatch.setattr(c._stop, "wait", lambda delay: False)  # no real backoff sleep in a test
    # The outage is simulated; dropping the connection would drop the test's own transaction.
    monkeypatch.setattr(consumer_module, "close_old_connections", lambda: None)
    message = mqtt.MQTTMessage(mid=7, topic=b"minsheng/yingyue/gh1/gw1/senml")
    message.payload, message.qos = PACK, 1
    c._flush([message])
    assert calls == [3, 3]
    assert acked == [7]
    assert Reading.objects.count() == 3


def test_a_failure_that_is_not_an_outage_is_retried_with_the_next_batch_and_ingestion_goes_on(
    farm, monkeypatch, caplog
):
    from django.db import IntegrityError

    from minsheng.iot import mqtt as consumer_module
    from minsheng.iot.models import DeadLetter

    c = Consumer(Options())
    acked = []
    real_store = consumer_module.store
    failures = iter([RuntimeError("a bug in a rule"), IntegrityError("a constraint")])

    def failing_store(samples):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real_store(samples)

    monkeypatch.setattr(consumer_module, "store", failing_store)
    monkeypatch.setattr(c.client, "ack", lambda mid, qos: acked.append(mid))
    monkeypatch.setattr(c._stop, "wait", lambda delay: pytest.fail("only an outage is retried with backoff"))

    def message(mid):
        m = mqtt.MQTTMessage(mid=mid, topic=b"minsheng/yingyue/gh1/gw1/senml")
        m.payload, m.qos = PACK, 1
        return m

    c._flush([message(1)])  # the batch fails, then the message alone: not acknowledged, tried again
    assert acked == [] and [m.mid for m in c._retry] == [1]
    assert DeadLetter.objects.get().deliveries == 1
    batch, c._retry = c._retry, []
    c._flush(batch + [message(2)])
    assert acked == [1, 2] and c._retry == []
    assert Reading.objects.count() == 3  # the second message, the same readings, stored once
    assert "storing its messages one by one" in caplog.text
