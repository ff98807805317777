"""The cluster demo on top of the org demo: built once, readings through the real ingest, alarms from the rules."""

import io

import pytest

from minsheng.iot import demo
from minsheng.iot.models import Alarm, Cluster, Greenhouse, Reading, Sensor

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_demo(monkeypatch):
    from minsheng.org import demo as org_demo

    org_demo.load(None)
    monkeypatch.setattr(demo, "GREENHOUSES_PER_VILLAGE", 2)
    monkeypatch.setattr(demo, "HOURS", 6)
    monkeypatch.setattr(demo, "INTERVAL_MINUTES", 60)


def test_the_cluster_is_built_once_with_history_through_the_ingest(small_demo):
    out = io.StringIO()
    demo.load(out)
    cluster = Cluster.objects.get(code="yingyue")
    assert cluster.name == "首朐一指·樱悦田园"
    assert cluster.villages.count() == 10
    assert Greenhouse.objects.filter(cluster=cluster).count() == 20
    assert Sensor.objects.filter(greenhouse__cluster=cluster).count() == 120
    readings = Reading.objects.count()
    assert readings > 120 * 6 * 0.9  # one an hour per sensor, a few lost to simulated dropouts
    assert Sensor.objects.filter(last_seen__isnull=False).count() > 110  # the store moved last_seen on
    assert "120 个传感器" in out.getvalue()
    alarms = Alarm.objects.count()
    demo.load(out)  # a second run adds nothing
    assert "已存在" in out.getvalue()
    assert (Reading.objects.count(), Alarm.objects.count(), Cluster.objects.count()) == (readings, alarms, 1)
