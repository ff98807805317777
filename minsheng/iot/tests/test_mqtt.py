"""Through the real Mosquitto: published SenML is stored once, and a persistent session keeps what arrives
while the consumer is away."""

import threading
import uuid

import paho.mqtt.client as mqtt
import pytest

from minsheng.iot.models import Reading
from minsheng.iot.mqtt import Consumer, Options
from minsheng.testing.fixtures import require_service

pytestmark = [pytest.mark.mqtt, pytest.mark.django_db]
HOST, PORT = "127.0.0.1", 1883
PACK = b'[{"bn":"gh1-","bt":1780000000,"n":"t1","v":18},{"n":"t1","t":60,"v":18.5},{"n":"h1","v":61}]'


@pytest.fixture
def broker():
    require_service("Mosquitto", HOST, PORT)
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    yield prefix
    forget_session(f"{prefix}-consumer")


def forget_session(client_id: str) -> None:
    """Connect once with a clean start and no expiry: the broker drops the test's persistent session."""
    client = mqtt.Client(
        callback_api_version=mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5
    )
    client.connect(HOST, PORT, clean_start=True)
    client.disconnect()


def publish(topic: str, *payloads: bytes) -> None:
    client = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.connect(HOST, PORT)
    client.loop_start()
    for payload in payloads:
        client.publish(topic, payload, qos=1).wait_for_publish(timeout=5)
    client.disconnect()
    client.loop_stop()


def consumer(prefix: str) -> Consumer:
    return Consumer(
        Options(
            host=HOST, port=PORT, client_id=f"{prefix}-consumer", topic=f"{prefix}/+/+/+/+", batch_seconds=0.1
        )
    )


def test_the_same_message_published_twice_is_stored_once(farm, broker):
    topic = f"{broker}/yingyue/gh1/gw1/senml"
    c = consumer(broker)

    def publisher():
        if c.subscribed.wait(timeout=5):
            publish(topic, PACK, PACK, b"{garbage", b'[{"n":"unknown-sensor","v":1}]')

    thread = threading.Thread(target=publisher)
    thread.start()
    stats = c.run(until=lambda c: c.messages >= 4, timeout=10)
    thread.join()
    assert c.messages == 4
    assert (stats.stored, stats.duplicates, stats.rejected) == (3, 3, 2)
    assert Reading.objects.filter(sensor=farm.temp).count() == 2
    assert Reading.objects.filter(sensor=farm.humidity).count() == 1


def test_messages_sent_while_the_consumer_is_away_arrive_when_it_returns(farm, broker):
    topic = f"{broker}/yingyue/gh1/gw1/json"
    first = consumer(broker)
    first.run(until=lambda c: c.subscribed.is_set(), timeout=5)
    assert first.session_present is False
    publish(topic, b'{"sensor": "gh1-h1", "ts": 1780000000, "value": 58}')
    again = consumer(broker)
    again.run(until=lambda c: c.messages >= 1, timeout=10)
    assert again.session_present is True
    assert again.messages == 1
    assert Reading.objects.get(sensor=farm.humidity).value == 58


def test_a_consumer_for_several_clusters_takes_their_topics_and_no_other(farm, broker):
    """Consumers split by topic (docs/iot.md): one consumer may subscribe to several cluster prefixes."""
    c = Consumer(
        Options(
            host=HOST,
            port=PORT,
            client_id=f"{broker}-consumer",
            topic=(f"{broker}/north/+/+/+", f"{broker}/south/+/+/+"),
            batch_seconds=0.1,
        )
    )
    assert c.options.topics == [f"{broker}/north/+/+/+", f"{broker}/south/+/+/+"]

    def publisher():
        if c.subscribed.wait(timeout=5):
            publish(f"{broker}/west/gh1/gw1/json", b'{"sensor": "gh1-t1", "ts": 1780000000, "value": 9}')
            publish(f"{broker}/north/gh1/gw1/json", b'{"sensor": "gh1-t1", "ts": 1780000060, "value": 18}')
            publish(f"{broker}/south/gh1/gw1/json", b'{"sensor": "gh1-h1", "ts": 1780000060, "value": 60}')

    thread = threading.Thread(target=publisher)
    thread.start()
    c.run(until=lambda c: c.messages >= 2, timeout=10)
    thread.join()
    assert c.messages == 2
    assert list(Reading.objects.filter(sensor=farm.temp).values_list("value", flat=True)) == [
        17.5
    ]  # calibrated
    assert Reading.objects.filter(sensor=farm.humidity).count() == 1


def test_topic_filters_are_kept_in_order_without_repeats():
    assert Options(topic=("a/#", "b/#", "a/#")).topics == ["a/#", "b/#"]
    assert Options(topic="a/#").topics == ["a/#"]
    assert Options().topics == ["minsheng/+/+/+/+"]
