"""Raw readings partitioned by day on PostgreSQL: rows land in their day, retention drops whole days after rolling
them up (no row deletes), the periodic job keeps days ahead ready and takes early rows out of the default."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.iot import partitions, retention
from minsheng.iot.ingest import ingest
from minsheng.iot.models import Reading, ReadingHour
from minsheng.testing.fixtures import require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NOW = dt.datetime(2027, 3, 10, 4, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def postgres_only():
    require_postgres()
    assert partitions.partitioned()


def where(reading_ts: dt.datetime) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM iot_reading WHERE ts = %s", [reading_ts])
        return cursor.fetchone()[0]


def feed(sensor, when: dt.datetime, values: list[float]) -> None:
    pack = [
        {"sensor": sensor.code, "ts": (when + dt.timedelta(minutes=i)).isoformat(), "value": v}
        for i, v in enumerate(values)
    ]
    stats = ingest(pack)
    assert stats.stored == len(values), stats.errors


@time_machine.travel(NOW, tick=False)
def test_the_job_keeps_days_ahead_and_readings_land_in_their_day(farm):
    result = partitions.ensure()
    names = {p.name for p in partitions.partitions()}
    assert {f"iot_reading_p{NOW + dt.timedelta(days=d):%Y%m%d}" for d in range(8)} <= names
    assert partitions.ensure() == {"created": 0}  # idempotent
    assert result["created"] >= 8
    feed(farm.humidity, NOW - dt.timedelta(hours=1), [60, 61])
    assert where(NOW - dt.timedelta(hours=1)) == f"iot_reading_p{NOW:%Y%m%d}"
    # A device whose clock runs weeks ahead: the default partition keeps it until its day's partition is made,
    # which takes the row along.
    ahead = NOW + dt.timedelta(days=20)
    Reading.objects.create(sensor=farm.humidity, ts=ahead, value=70)
    assert where(ahead) == "iot_reading_default"
    assert partitions.create(ahead) is True
    assert where(ahead) == f"iot_reading_p{ahead:%Y%m%d}"
    assert Reading.objects.filter(ts=ahead).count() == 1


def test_retention_rolls_up_then_drops_whole_days_without_deleting_rows(farm):
    cutoff = retention.raw_cutoff(NOW)
    old_day = cutoff - dt.timedelta(days=2)
    with time_machine.travel(old_day + dt.timedelta(days=1, hours=12), tick=False):
        partitions.ensure()
        feed(
            farm.humidity, old_day + dt.timedelta(hours=2), [10, 12, 14, 16]
        )  # becomes one hour: 10–16, mean 13
        feed(farm.humidity, old_day + dt.timedelta(days=1, hours=5), [20])
    with time_machine.travel(NOW, tick=False):
        partitions.ensure()
        feed(farm.humidity, NOW - dt.timedelta(hours=2), [18, 19])
        with CaptureQueriesContext(connection) as ctx:
            result = retention.run()
        assert result["deleted"] == 5
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert "DROP TABLE iot_reading_p" in sql and "DELETE FROM iot_reading_p" not in sql
        names = {p.name for p in partitions.partitions()}
        assert f"iot_reading_p{old_day:%Y%m%d}" not in names
        assert not Reading.objects.filter(ts__lt=cutoff).exists()
        assert Reading.objects.filter(sensor=farm.humidity).count() == 2
        hour = ReadingHour.objects.get(sensor=farm.humidity, hour=old_day + dt.timedelta(hours=2))
        assert (hour.min, hour.max, hour.avg, hour.count) == (10, 16, 13, 4)
        assert ReadingHour.objects.filter(
            sensor=farm.humidity, hour=retention.floor_hour(NOW - dt.timedelta(hours=2))
        ).exists()
        assert retention.run()["deleted"] == 0  # a second run changes nothing
        # Readings of a dropped day are refused now: their hours are final.
        again = ingest(
            [{"sensor": farm.humidity.code, "ts": (old_day + dt.timedelta(hours=2)).isoformat(), "value": 1}]
        )
        assert again.rejected == 1


def test_ids_stay_unique_and_the_orm_works_on_the_partitioned_table(farm):
    with time_machine.travel(NOW, tick=False):
        partitions.ensure()
        feed(farm.humidity, NOW - dt.timedelta(days=1), [1, 2])
        feed(farm.humidity, NOW - dt.timedelta(hours=1), [3])
    ids = list(Reading.objects.values_list("id", flat=True))
    assert len(ids) == len(set(ids)) == 3
    first = Reading.objects.order_by("ts").first()
    assert Reading.objects.get(pk=first.pk).value == 1
    farm.humidity.delete()  # the cascade reaches every partition
    assert not Reading.objects.exists()
