"""A cherry village under the personas' street: one greenhouse in bloom with a temperature and a humidity sensor."""

from types import SimpleNamespace

import pytest

from minsheng.iot.choices import GrowthStage, SensorKind
from minsheng.iot.models import Cluster, Gateway, Greenhouse, Sensor
from minsheng.org import actions as org_actions
from minsheng.org.choices import NodeKind


@pytest.fixture
def farm(world):
    village = org_actions.create_node(parent=world.street, kind=NodeKind.VILLAGE, name="樱桃村")
    cluster = Cluster.objects.create(name="樱悦田园", code="yingyue")
    cluster.villages.add(village)
    greenhouse = Greenhouse.objects.create(
        name="王家1号棚",
        code="gh1",
        owner_name="王某",
        village=village,
        cluster=cluster,
        area_mu=1.5,
        stage=GrowthStage.BLOOM,
    )
    gateway = Gateway.objects.create(code="gw1", village=village)
    temp = Sensor.objects.create(
        code="gh1-t1",
        greenhouse=greenhouse,
        gateway=gateway,
        kind=SensorKind.AIR_TEMP,
        unit="Cel",
        calibration_offset=-0.5,
    )
    humidity = Sensor.objects.create(
        code="gh1-h1", greenhouse=greenhouse, gateway=gateway, kind=SensorKind.AIR_HUMIDITY, unit="%RH"
    )
    return SimpleNamespace(
        w=world,
        village=village,
        cluster=cluster,
        greenhouse=greenhouse,
        gateway=gateway,
        temp=temp,
        humidity=humidity,
    )
