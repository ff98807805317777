"""The PostgreSQL path of the store: COPY into a staging table, INSERT … ON CONFLICT DO NOTHING RETURNING."""

import datetime as dt

import pytest

from minsheng.iot.ingest import Sample, ingest, store
from minsheng.iot.models import Alarm, Reading
from minsheng.testing.fixtures import require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

T0 = 1_780_000_000  # 04:26 in Asia/Shanghai (night): bloom night minimum 5 °C


@pytest.fixture(autouse=True)
def _postgres():
    require_postgres()


def at(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(T0 + seconds, tz=dt.UTC)


def test_copy_stores_a_batch_with_duplicates_inside_it_once(farm):
    samples = [Sample("gh1-t1", at(60 * i), 10.0 + i) for i in range(100)]
    samples += samples[:10]  # the same readings twice in one batch
    samples.append(Sample("gh1-h1", at(0), 55.0))
    stats = store(samples)
    assert (stats.stored, stats.duplicates, stats.rejected) == (101, 10, 0)
    values = list(Reading.objects.filter(sensor=farm.temp).order_by("ts").values_list("value", flat=True))
    assert values == [9.5 + i for i in range(100)]  # calibrated (offset −0.5)
    farm.temp.refresh_from_db()
    assert (farm.temp.last_seen, farm.temp.last_value) == (at(60 * 99), 108.5)


def test_a_replayed_batch_stores_nothing_and_raises_no_repeat(farm):
    # A cold night in bloom: 0 °C for 20 minutes raises one critical alarm.
    pack = [{"bn": "gh1-", "bt": T0, "n": "t1", "t": 60 * i, "v": 0.0} for i in range(21)]
    first = ingest(pack)
    assert first.stored == 21
    alarm = Alarm.objects.get(sensor=farm.temp)
    count = alarm.count
    again = ingest(pack)
    assert (again.stored, again.duplicates) == (0, 21)
    assert Reading.objects.filter(sensor=farm.temp).count() == 21
    alarm.refresh_from_db()
    assert alarm.count == count  # a replay is not a repeat


def test_a_partly_new_batch_stores_only_the_new_rows_and_the_stage_is_left_empty(farm):
    from django.db import connection

    assert store([Sample("gh1-h1", at(i), 60.0) for i in range(0, 50)]).stored == 50
    stats = store([Sample("gh1-h1", at(i), 60.0) for i in range(25, 75)])
    assert (stats.stored, stats.duplicates) == (25, 25)
    assert Reading.objects.filter(sensor=farm.humidity).count() == 75
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM iot_reading_stage")
        assert cursor.fetchone()[0] == 0
