"""core.bulk: the `any` lookup, binary reads and the one-statement upsert give what the ORM gives, on both
backends (the suite runs on SQLite and on PostgreSQL)."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.core import bulk
from minsheng.core.models import AuditLog, CalendarOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def days():
    return [
        CalendarOverride.objects.create(date=dt.date(2027, 1, d), is_workday=d % 2 == 0, name=f"第{d}天")
        for d in range(1, 8)
    ]


def test_any_matches_in_for_values_relations_none_and_nothing(days):
    wanted = [d.date for d in days[:3]] + [dt.date(2030, 1, 1)]
    assert list(CalendarOverride.objects.filter(date__any=wanted)) == days[:3]
    assert list(CalendarOverride.objects.filter(pk__any=[days[4].pk, None])) == [days[4]]
    assert list(CalendarOverride.objects.filter(pk__any=[])) == []
    kind = ContentType.objects.get_for_model(CalendarOverride)
    logged = AuditLog.objects.filter(content_type__any=[kind.pk], object_id__any=[str(days[0].pk)])
    assert logged.count() == 1  # the create of the first day (the audit log is written by the signal)


def test_any_sends_one_parameter_on_postgresql(days):
    if connection.vendor != "postgresql":
        pytest.skip("the array parameter is PostgreSQL's; elsewhere `any` is `in`")
    with CaptureQueriesContext(connection) as queries:
        list(CalendarOverride.objects.filter(pk__any=[d.pk for d in days]))
    assert "= ANY(" in queries[0]["sql"]
    assert " IN (" not in queries[0]["sql"]


def test_values_reads_what_values_list_reads(days):
    query = AuditLog.objects.filter(object_id__any=[str(d.pk) for d in days]).order_by("pk")
    fast = bulk.values(query, "pk", "created_at", "object_repr", "content_type_id")
    assert fast == list(query.values_list("pk", "created_at", "object_repr", "content_type_id"))
    assert len(fast) == 7
    assert all(row[1].utcoffset() == dt.timedelta(0) for row in fast)  # aware, in UTC like the ORM's
    assert bulk.values(CalendarOverride.objects.filter(pk__in=[]), "pk") == []  # an empty IN: no query at all


def test_upsert_inserts_new_rows_and_updates_the_others(days):
    now = dt.datetime.now(dt.UTC)
    bulk.upsert(
        CalendarOverride,
        ["date"],
        ["is_workday", "name", "updated_at", "created_at"],  # a new row needs all its NOT NULL columns
        [(days[0].date, True, "改为上班", now, now), (dt.date(2027, 2, 1), False, "新增", now, now)],
    )
    days[0].refresh_from_db()
    assert (days[0].is_workday, days[0].name) == (True, "改为上班")
    added = CalendarOverride.objects.get(date=dt.date(2027, 2, 1))
    assert (added.is_workday, added.name) == (False, "新增")
    assert CalendarOverride.objects.count() == 8
    bulk.upsert(CalendarOverride, ["date"], ["name"], [])  # nothing to write: no statement
