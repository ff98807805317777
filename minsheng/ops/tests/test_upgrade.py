"""An upgrade from the previous release's schema with data in it: migrate back to that release's migrations, write
rows the way that release wrote them (its historical models), migrate forward, and use the data.

PREVIOUS_RELEASE names the last migration of each app this release changed, as the previous release shipped them;
apps this release did not change stay where they are. A release that adds migrations moves these names on.
"""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from minsheng.accounts.models import Membership
from minsheng.cases import actions
from minsheng.cases.models import Case, CaseSequence, Category
from minsheng.iot.models import Reading
from minsheng.iot.partitions import partitioned
from minsheng.ops.models import Heartbeat
from minsheng.org.levels import street_depth
from minsheng.org.models import Node
from minsheng.testing.fixtures import ensure_reference_data

pytestmark = pytest.mark.django_db(transaction=True)

PREVIOUS_RELEASE = [
    ("org", "0002_default_tags"),
    ("cases", "0002_defaults"),
    ("accounts", "0002_initial"),
    ("iot", "0007_hot_updates"),
    ("ops", None),
]
WHEN = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def test_the_previous_release_with_data_migrates_forward_and_keeps_numbering():
    ensure_reference_data()  # case kinds and categories, as that release's data migrations left them
    executor = migrate(PREVIOUS_RELEASE)
    try:
        old = executor.loader.project_state([t for t in PREVIOUS_RELEASE if t[1]]).apps
        OldNode = old.get_model("org", "Node")
        street = OldNode.objects.create(
            path="0001",
            depth=1,
            numchild=1,
            kind="street",
            name="城关街道",
            full_name="城关街道",
            code="370724001000",
        )
        estate = OldNode.objects.create(
            path="00010001",
            depth=2,
            numchild=0,
            kind="community",
            name="颐和社区",
            full_name="城关街道 颐和社区",
        )
        user = old.get_model("accounts", "User").objects.create(username="admin", password="!")
        old.get_model("accounts", "Membership").objects.create(user=user, role="street_admin", node=street)
        old.get_model("cases", "CaseSequence").objects.create(year=2026, last=123)
        old.get_model("cases", "Case").objects.create(
            number="CG-2026-000123",
            kind=old.get_model("cases", "CaseKind").objects.get(code="appeal"),
            channel="online",
            category=old.get_model("cases", "Category").objects.get(code="050101"),
            title="下水道堵塞",
            description="颐和社区下水道堵塞",
            node=estate,
            reported_at=WHEN,
        )
        village = OldNode.objects.create(
            path="00010002", depth=2, numchild=0, kind="village", name="樱桃村", full_name="城关街道 樱桃村"
        )
        cluster = old.get_model("iot", "Cluster").objects.create(name="樱悦田园", code="yingyue")
        greenhouse = old.get_model("iot", "Greenhouse").objects.create(
            name="王家1号棚", code="gh1", village=village, cluster=cluster, stage="bloom"
        )
        gateway = old.get_model("iot", "Gateway").objects.create(code="gw1", village=village)
        sensor = old.get_model("iot", "Sensor").objects.create(
            code="gh1-t1", greenhouse=greenhouse, gateway=gateway, kind="air_temp", unit="Cel"
        )
        OldReading = old.get_model("iot", "Reading")
        for i in range(3):  # three days before the upgrade: partitioned by day on PostgreSQL afterwards
            OldReading.objects.create(sensor=sensor, ts=WHEN - dt.timedelta(days=i), value=10 + i)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert not MigrationExecutor(connection).migration_plan(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )
    street = Node.objects.get(code="370724001000")
    assert (street.kind, street.case_prefix, street_depth()) == ("street", "", 1)
    assert Membership.objects.get().role == "street_admin"
    assert Case.objects.get().number == "CG-2026-000123"
    assert list(CaseSequence.objects.values_list("prefix", "year", "last")) == [("CG", 2026, 123)]
    assert not Heartbeat.objects.exists()
    readings = Reading.objects.order_by("ts")
    assert [r.value for r in readings] == [12, 11, 10] and len({r.pk for r in readings}) == 3
    if connection.vendor == "postgresql":
        assert partitioned()
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT tableoid::regclass::text FROM iot_reading")
            homes = {row[0] for row in cursor.fetchall()}
        assert homes == {f"iot_reading_p{WHEN - dt.timedelta(days=i):%Y%m%d}" for i in range(3)}
    Reading.objects.create(sensor=readings[0].sensor, ts=WHEN + dt.timedelta(minutes=1), value=9)  # ids go on
    with time_machine.travel(WHEN, tick=False):
        case = actions.do_register(
            actor=None,
            kind="appeal",
            channel="online",
            category=Category.objects.get(code="050101"),
            description="又堵了",
            node=Node.objects.get(name="颐和社区"),
        )
    assert case.number == "CG-2026-000124"
