"""A poison message never stops ingestion: times and values no datetime or float can hold are counted rejections,
a message whose handling keeps failing is set aside after a few deliveries (dead letters) and acknowledged, and no
input whatsoever raises out of the parsers or the consumer's batch step (property-based, hypothesis)."""

import json

import paho.mqtt.client as mqtt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minsheng.iot import ingest, senml
from minsheng.iot.devices import issue_token
from minsheng.iot.models import DeadLetter, Reading
from minsheng.iot.mqtt import Consumer, Options

NOW = 1_800_000_000.0
TOPIC = b"minsheng/yingyue/gh1/gw1/senml"

#: Found by hand against the demo: each one killed `minsheng ingest` or answered 500 over HTTP.
POISON = [
    [{"bn": "yy01-001-", "n": "t1", "t": 1e300, "v": 1}],
    [{"bn": "gh1-", "bt": 1e20, "n": "t1", "v": 1}],
    [{"bn": "gh1-", "bt": -1e20, "n": "t1", "v": 1}],
    [{"bn": "gh1-", "bt": 1e308, "n": "t1", "t": 1e308, "v": 1}],
    [{"bn": "gh1-", "bv": 1e308, "n": "t1", "v": 1e308}],
    {"sensor": "gh1-t1", "ts": 1e20, "value": 1},
    {"sensor": "gh1-t1", "ts": 2**62, "value": 1},
    {"sensor": "gh1-t1", "ts": -1e15, "value": 1},
    {"sensor": "gh1-t1", "ts": "0001-01-01T00:00:00+14:00", "value": 1},
    {"sensor": "gh1-t1", "ts": "9999-12-31T23:59:59-12:00", "value": 1},
    {"sensor": "gh1-t1", "ts": 1780000000, "value": 1e300},
]


def message(payload: bytes, mid: int = 1, dup: bool = False) -> mqtt.MQTTMessage:
    m = mqtt.MQTTMessage(mid=mid, topic=TOPIC)
    m.payload, m.qos, m.dup = payload, 1, dup
    return m


@pytest.mark.parametrize("payload", POISON, ids=range(len(POISON)))
def test_times_and_values_out_of_range_are_counted_rejections(payload):
    samples, stats = ingest.parse(json.dumps(payload).encode(), now=NOW)
    assert samples == []
    assert stats.rejected == 1 and stats.errors


def test_a_bad_record_costs_only_itself():
    pack = [{"bn": "gh1-", "n": "t1", "t": 1e300, "v": 1}, {"n": "t1", "t": 1780000000, "v": 18.5}]
    samples, stats = ingest.parse(json.dumps(pack).encode(), now=NOW)
    assert [s.value for s in samples] == [18.5] and stats.rejected == 1


@pytest.mark.django_db
@pytest.mark.parametrize("payload", POISON, ids=range(len(POISON)))
def test_the_same_inputs_over_http_answer_400(farm, payload):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {issue_token(farm.gateway)}")
    response = client.post("/api/v1/iot/ingest/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["rejected"] == 1


# -- properties: no input raises -------------------------------------------------------------------------------

NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e300, -1e300, 1e20, -1e20, 2**62, -(2**63), 2**28, 0, -0.0]),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=30))
JSONISH = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)
SENML_RECORD = st.fixed_dictionaries(
    {},
    optional={
        "bn": st.one_of(st.sampled_from(["gh1-", "yy01-001-", ""]), SCALARS),
        "bt": SCALARS,
        "bv": SCALARS,
        "bu": SCALARS,
        "bver": SCALARS,
        "n": st.one_of(st.sampled_from(["t1", "h1", "x"]), SCALARS),
        "t": SCALARS,
        "v": SCALARS,
        "vs": SCALARS,
        "vb": SCALARS,
        "u": SCALARS,
        "s": SCALARS,
        "ut": SCALARS,
        "x_": SCALARS,
    },
)
PLAIN_RECORD = st.fixed_dictionaries(
    {},
    optional={
        "sensor": st.one_of(st.just("gh1-t1"), SCALARS),
        "ts": st.one_of(
            SCALARS,
            st.datetimes().map(lambda d: d.isoformat() + "+14:00"),
            st.datetimes().map(lambda d: d.isoformat() + "-12:00"),
        ),
        "value": SCALARS,
    },
)
PAYLOADS = st.one_of(
    st.lists(SENML_RECORD, max_size=5),
    PLAIN_RECORD,
    st.lists(PLAIN_RECORD, min_size=1, max_size=5),
    JSONISH,
)


#: A loaded CI machine must not turn slow generation into a failure; the inputs are what is tested.
SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]


def _dumps(value) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


@settings(max_examples=300, deadline=None, database=None, derandomize=True, suppress_health_check=SLOW_OK)
@given(pack=st.lists(SENML_RECORD, max_size=6))
def test_senml_resolver_never_raises(pack):
    records, errors = senml.resolve(pack, now=NOW)
    assert len(records) + len(errors) <= len(pack)


@settings(max_examples=400, deadline=None, database=None, derandomize=True, suppress_health_check=SLOW_OK)
@given(payload=PAYLOADS)
def test_parser_never_raises_on_decoded_or_encoded_payloads(payload):
    for form in (payload, _dumps(payload)):
        samples, stats = ingest.parse(form, now=NOW)
        assert stats.rejected <= stats.received or stats.received == 0
        for sample in samples:
            assert 1900 <= sample.ts.year <= 2199 and abs(sample.value) <= ingest.MAX_MAGNITUDE


@settings(max_examples=200, deadline=None, database=None, derandomize=True, suppress_health_check=SLOW_OK)
@given(raw=st.binary(max_size=200))
def test_parser_never_raises_on_arbitrary_bytes(raw):
    ingest.parse(raw, now=NOW)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[*SLOW_OK, HealthCheck.function_scoped_fixture],
)
@given(payloads=st.lists(PAYLOADS.map(_dumps) | st.binary(max_size=80), min_size=1, max_size=4))
def test_the_consumer_batch_step_never_raises_and_acknowledges_everything(farm, payloads, monkeypatch):
    consumer = Consumer(Options())
    acked = []
    monkeypatch.setattr(consumer.client, "ack", lambda mid, qos: acked.append(mid))
    consumer._flush([message(p, mid=i + 1) for i, p in enumerate(payloads)])
    assert sorted(acked) == list(range(1, len(payloads) + 1))
    assert consumer._retry == []


# -- dead letters ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_message_that_keeps_failing_is_set_aside_after_n_deliveries_and_acknowledged(
    farm, monkeypatch, settings, client_for
):
    from minsheng.iot import mqtt as consumer_module

    settings.IOT_POISON_DELIVERIES = 3
    poison = b'[{"bn":"gh1-","n":"t1","v":666}]'
    good = b'[{"bn":"gh1-","n":"h1","v":61}]'
    real_parse = consumer_module.parse

    def parse(payload):
        if payload == poison:
            raise RuntimeError("a bug the parser's guards did not foresee")
        return real_parse(payload)

    monkeypatch.setattr(consumer_module, "parse", parse)
    consumer = Consumer(Options())
    acked = []
    monkeypatch.setattr(consumer.client, "ack", lambda mid, qos: acked.append(mid))
    consumer._flush([message(poison, mid=1), message(good, mid=2)])
    assert acked == [2] and Reading.objects.count() == 1  # the good one is stored and acknowledged at once
    letter = DeadLetter.objects.get()
    assert letter.deliveries == 1 and letter.set_aside_at is None
    for _attempt in range(2):
        batch, consumer._retry = consumer._retry, []
        consumer._flush(batch)
    assert acked == [2, 1] and consumer._retry == []
    letter.refresh_from_db()
    assert letter.deliveries == 3 and letter.set_aside_at is not None
    assert bytes(letter.payload) == poison and letter.topic == TOPIC.decode()
    assert "RuntimeError" in letter.error and letter.first_seen <= letter.last_seen
    # A redelivery whose acknowledgement was lost is acknowledged without handling it again.
    consumer._flush([message(poison, mid=9, dup=True)])
    assert acked[-1] == 9 and DeadLetter.objects.get().deliveries == 3
    # The device-status page shows it to the people who manage the devices.
    page = client_for(farm.w.admin).get("/iot/devices/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "无法处理的消息" in body and TOPIC.decode() in body and "RuntimeError" in body


@pytest.mark.django_db
def test_a_storage_failure_of_one_message_does_not_cost_the_others(farm, monkeypatch, settings):
    from minsheng.iot import mqtt as consumer_module

    settings.IOT_POISON_DELIVERIES = 1
    real_store = consumer_module.store

    def store(samples):
        if any(s.value == 666 for s in samples):
            raise RuntimeError("a rule that cannot take this reading")
        return real_store(samples)

    monkeypatch.setattr(consumer_module, "store", store)
    consumer = Consumer(Options())
    acked = []
    monkeypatch.setattr(consumer.client, "ack", lambda mid, qos: acked.append(mid))
    consumer._flush(
        [
            message(b'[{"bn":"gh1-","n":"t1","v":666}]', mid=1),
            message(b'[{"bn":"gh1-","n":"h1","v":61}]', mid=2),
        ]
    )
    assert sorted(acked) == [1, 2]
    assert Reading.objects.count() == 1
    assert DeadLetter.objects.get().set_aside_at is not None
