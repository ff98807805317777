"""Payload → readings: both formats, calibration, idempotent storage, bad input counted not raised."""

import datetime as dt

import pytest

from minsheng.iot.ingest import ingest, parse
from minsheng.iot.models import Reading

pytestmark = pytest.mark.django_db

T0 = 1_780_000_000  # 2026-05-28, absolute Unix seconds


def test_senml_with_base_name_and_times_is_stored_calibrated(farm):
    pack = [
        {"bn": "gh1-", "bt": T0, "bu": "Cel", "n": "t1", "v": 18.0},
        {"n": "t1", "t": 60, "v": 18.4},
        {"n": "h1", "u": "%RH", "v": 55},
    ]
    stats = ingest(pack)
    assert (stats.received, stats.stored, stats.rejected) == (3, 3, 0)
    temps = list(Reading.objects.filter(sensor=farm.temp).order_by("ts").values_list("value", flat=True))
    assert temps == [17.5, 17.9]  # calibration offset −0.5
    farm.temp.refresh_from_db()
    assert farm.temp.last_seen == dt.datetime.fromtimestamp(T0 + 60, tz=dt.UTC)
    assert farm.temp.last_value == 17.9


def test_a_replay_stores_nothing_twice(farm):
    payload = b'[{"bn":"gh1-","bt":1780000000,"n":"t1","v":18},{"n":"t1","t":60,"v":19}]'
    assert ingest(payload).stored == 2
    again = ingest(payload)
    assert (again.stored, again.duplicates) == (0, 2)
    assert Reading.objects.count() == 2


def test_plain_json_single_and_list(farm):
    assert ingest({"sensor": "gh1-h1", "ts": T0, "value": 61}).stored == 1
    stats = ingest(
        [
            {"sensor": "gh1-h1", "ts": "2026-05-28T10:00:00+08:00", "value": 62},
            {"sensor": "gh1-t1", "ts": T0, "value": 20},
        ]
    )
    assert stats.stored == 2
    assert Reading.objects.filter(sensor=farm.humidity).count() == 2


def test_bad_records_are_counted_with_reasons_and_the_rest_stored(farm):
    stats = ingest(
        [
            {"sensor": "gh1-t1", "ts": T0, "value": 20},
            {"sensor": "nope", "ts": T0, "value": 20},
            {"sensor": "gh1-t1", "ts": T0 + 1, "value": "hot"},
            {"sensor": "gh1-t1", "ts": "yesterday", "value": 1},
            {"sensor": "gh1-t1", "ts": 4_000_000_000, "value": 1},
        ]
    )
    assert (stats.received, stats.stored, stats.rejected) == (5, 1, 4)
    joined = " ".join(stats.errors)
    assert "未知或未启用的传感器：nope" in joined
    assert "value 必须是有限数值" in joined
    assert "ts 须为" in joined
    assert "时间晚于当前时间" in joined


@pytest.mark.parametrize("payload", [b"{not json", b"\xff\xfe", b"42", b"[]", b'[{"n":"gh1-t1","vs":"x"}]'])
def test_garbage_never_raises(farm, payload):
    stats = ingest(payload)
    assert stats.stored == 0
    assert Reading.objects.count() == 0


def test_a_gateway_may_only_post_for_its_own_sensors(farm):
    from minsheng.iot.models import Gateway

    other = Gateway.objects.create(code="gw2", village=farm.village)
    stats = ingest({"sensor": "gh1-t1", "ts": T0, "value": 20}, gateway=other)
    assert (stats.stored, stats.rejected) == (0, 1)
    assert ingest({"sensor": "gh1-t1", "ts": T0, "value": 20}, gateway=farm.gateway).stored == 1


def test_parse_without_time_uses_now():
    samples, stats = parse({"sensor": "x", "value": 1}, now=T0)
    assert stats.rejected == 0
    assert samples[0].ts == dt.datetime.fromtimestamp(T0, tz=dt.UTC)
