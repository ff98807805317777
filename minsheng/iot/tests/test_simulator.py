"""The simulator: daily curves by stage, faults, the cold night, payloads the ingest takes — and, through the real
Mosquitto, `simulate-sensors` publishing what the consumer stores."""

import datetime as dt
import io
import threading
import uuid

import pytest
from django.core.management import call_command

from minsheng.iot.choices import GrowthStage, SensorKind
from minsheng.iot.ingest import parse, store
from minsheng.iot.models import Reading, Sensor
from minsheng.iot.mqtt import Consumer, Options
from minsheng.iot.simulator import Faults, Fleet, SimSensor
from minsheng.testing.fixtures import require_service

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DAY = dt.datetime(2026, 3, 20, 13, 0, tzinfo=SHANGHAI)
NIGHT = dt.datetime(2026, 3, 20, 3, 0, tzinfo=SHANGHAI)
NO_FAULTS = Faults(stuck=0, spike=0, dropout=0)


def sensors(n_houses=4, stage=GrowthStage.BLOOM):
    out = []
    for g in range(n_houses):
        for kind, unit in (
            (SensorKind.AIR_TEMP, "Cel"),
            (SensorKind.AIR_HUMIDITY, "%RH"),
            (SensorKind.LIGHT, "lx"),
        ):
            out.append(SimSensor(f"gh{g}-{kind}", kind, unit, stage, f"gh{g}", "yingyue", f"gw{g}"))
    return out


def mean(fleet, kind, moment):
    values = [fleet.value(s, moment) for s in fleet.sensors if s.kind == kind]
    return sum(values) / len(values)


def test_days_are_warm_bright_and_dry_nights_cool_dark_and_humid():
    fleet = Fleet(sensors(20), faults=NO_FAULTS)
    assert 14 < mean(fleet, SensorKind.AIR_TEMP, DAY) < 22  # bloom: 16–20 °C by day
    assert 4 < mean(fleet, SensorKind.AIR_TEMP, NIGHT) < 10  # ≥ 5 °C at night
    assert mean(fleet, SensorKind.AIR_HUMIDITY, NIGHT) > mean(fleet, SensorKind.AIR_HUMIDITY, DAY)
    assert mean(fleet, SensorKind.LIGHT, NIGHT) < 100 < 20000 < mean(fleet, SensorKind.LIGHT, DAY)
    warm = Fleet(sensors(20, GrowthStage.EXPANSION), faults=NO_FAULTS)
    assert mean(warm, SensorKind.AIR_TEMP, DAY) > mean(fleet, SensorKind.AIR_TEMP, DAY) + 3


def test_a_cold_night_hits_a_share_of_the_greenhouses_in_the_small_hours():
    fleet = Fleet(
        sensors(20), faults=Faults(stuck=0, spike=0, dropout=0, cold_night=NIGHT.date(), cold_share=0.25)
    )
    assert len(fleet.cold_greenhouses) == 5
    cold = [
        fleet.value(s, NIGHT)
        for s in fleet.sensors
        if s.kind == "air_temp" and s.greenhouse in fleet.cold_greenhouses
    ]
    assert all(v < 3.5 for v in cold)
    warm = [
        fleet.value(s, NIGHT)
        for s in fleet.sensors
        if s.kind == "air_temp" and s.greenhouse not in fleet.cold_greenhouses
    ]
    assert min(warm) > 4
    assert (
        min(fleet.value(s, NIGHT + dt.timedelta(hours=4)) for s in fleet.sensors if s.kind == "air_temp") > 4
    )


def test_faults_stuck_spike_and_dropout():
    stuck = Fleet(sensors(1)[:1], faults=Faults(stuck=1, spike=0, dropout=0))
    values = [stuck.reading(stuck.sensors[0], DAY + dt.timedelta(minutes=i)) for i in range(4)]
    assert len(set(values)) == 1  # the first value, repeated
    spiky = Fleet(sensors(1)[:1], faults=Faults(stuck=0, spike=1, dropout=0))
    assert abs(spiky.reading(spiky.sensors[0], DAY) - spiky.value(spiky.sensors[0], DAY)) > 30
    silent = Fleet(sensors(1)[:1], faults=Faults(stuck=0, spike=0, dropout=1))
    assert silent.reading(silent.sensors[0], DAY) is None


def test_one_message_per_gateway_in_both_formats_and_the_ingest_parses_them():
    fleet = Fleet(sensors(4), faults=NO_FAULTS)
    messages = list(fleet.tick(DAY, "mixed"))
    assert len(messages) == 4
    assert {tail.rsplit("/", 1)[1] for tail, _ in messages} == {"senml", "json"}
    for tail, body in messages:
        assert tail.startswith("yingyue/gh")
        samples, stats = parse(body, now=DAY.timestamp())
        assert stats.rejected == 0 and len(samples) == 3
        assert {s.ts for s in samples} == {DAY}


@pytest.mark.django_db
def test_a_simulated_history_goes_through_the_real_store(farm):
    fleet = Fleet.from_db(faults=NO_FAULTS)
    assert {s.code for s in fleet.sensors} == {"gh1-t1", "gh1-h1"}
    start = dt.datetime(2026, 3, 20, 0, 0, tzinfo=dt.UTC)
    total = 0
    for i in range(10):
        for _, body in fleet.tick(start + dt.timedelta(minutes=10 * i), "senml"):
            samples, _ = parse(body)
            total += store(samples).stored
    assert total == 20 == Reading.objects.count()


@pytest.mark.mqtt
@pytest.mark.django_db(transaction=True)
def test_simulate_sensors_publishes_what_the_consumer_stores(farm):
    require_service("Mosquitto", "127.0.0.1", 1883)
    Sensor.objects.create(
        code="gh1-l1", greenhouse=farm.greenhouse, gateway=farm.gateway, kind="light", unit="lx"
    )
    root = f"test-{uuid.uuid4().hex[:10]}"
    consumer = Consumer(Options(client_id=f"{root}-consumer", topic=f"{root}/+/+/+/+", batch_seconds=0.1))
    out = io.StringIO()

    def simulate():
        from django.db import connection

        if consumer.subscribed.wait(timeout=10):
            call_command(
                "simulate-sensors", "--topic-root", root, "--start=-2h", "--interval", "600", "--count", "6",
                "--rate", "0", "--faults", "0", "--format", "mixed", stdout=out,
            )  # fmt: skip
        connection.close()  # this thread's own connection (it read the sensors)

    thread = threading.Thread(target=simulate)
    thread.start()
    try:
        stats = consumer.run(until=lambda c: c.stats.stored >= 18, timeout=20)
    finally:
        thread.join()
        # Drop the persistent session the test's consumer left at the broker.
        from minsheng.iot.tests.test_mqtt import forget_session

        forget_session(f"{root}-consumer")
    assert "18 readings" in out.getvalue()
    assert (stats.stored, stats.rejected) == (18, 0)
    assert Reading.objects.filter(sensor__code="gh1-l1").count() == 6
