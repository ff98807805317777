"""The cherry cluster 首朐一指·樱悦田园 for the demo 街道, loaded by `minsheng demo`.

Ten cherry villages of the org demo, 50 greenhouses in each (invented owners, stages and areas — demonstration
data), one gateway per greenhouse and six sensors in each: about 3,000 sensors. Then the last 48 hours
(`MINSHENG_DEMO_IOT_HOURS`) of simulated weather, one reading per sensor every 30 minutes
(`MINSHENG_DEMO_IOT_INTERVAL`), with faults and a cold night in a few greenhouses, fed through the real ingest
(`ingest.parse` + `ingest.store`, the consumer's own path) round by round, so the threshold alarms, their repeats
and clears, and the cases of the critical ones are the rules' own doing. Finally the offline check runs once.

Idempotent: once the cluster exists nothing is added. Seeded, so every load makes the same cluster.
"""

import datetime as dt
import os
import random
import time
from decimal import Decimal

from django.db import transaction

from minsheng.core import clock, notifications
from minsheng.org.choices import NodeKind
from minsheng.org.demo import CHERRY_CLUSTER, CHERRY_CLUSTER_VILLAGES, STREET_NAME
from minsheng.org.demo_data import FEMALE_GIVEN, MALE_GIVEN, SURNAMES
from minsheng.org.models import Node

from . import rules
from .choices import DEFAULT_UNITS, GrowthStage, SensorKind
from .ingest import Stats, parse, store
from .models import Cluster, Gateway, Greenhouse, Sensor
from .simulator import SITE_TZ, Faults, Fleet

SEED = 20260401
CLUSTER_CODE = "yingyue"
GREENHOUSES_PER_VILLAGE = 50
HOURS = int(os.environ.get("MINSHENG_DEMO_IOT_HOURS", "48"))
INTERVAL_MINUTES = int(os.environ.get("MINSHENG_DEMO_IOT_INTERVAL", "30"))
#: Covered houses are at different stages at once (covering dates differ by weeks); shares of the cluster.
STAGES = [
    (GrowthStage.BUDBREAK, 10),
    (GrowthStage.PREBLOOM, 15),
    (GrowthStage.BLOOM, 25),
    (GrowthStage.FRUIT_SET, 20),
    (GrowthStage.EXPANSION, 20),
    (GrowthStage.COLOURING, 10),
]
SENSORS = [  # kind, code suffix, position
    (SensorKind.AIR_TEMP, "t1", "棚中 1.5 米"),
    (SensorKind.AIR_HUMIDITY, "h1", "棚中 1.5 米"),
    (SensorKind.SOIL_TEMP, "st1", "根区 20 厘米"),
    (SensorKind.SOIL_MOISTURE, "sm1", "根区 20 厘米"),
    (SensorKind.CO2, "c1", "棚中 1.5 米"),
    (SensorKind.LIGHT, "l1", "棚顶"),
]


def load(out=None) -> list:
    street = Node.objects.filter(kind=NodeKind.STREET, name=STREET_NAME).first()
    if street is None:
        _say(out, "智慧大棚：未找到演示街道，跳过。")
        return []
    if Cluster.objects.filter(code=CLUSTER_CODE).exists():
        _say(out, "智慧大棚演示数据已存在，未做改动。")
        return []
    started = time.monotonic()
    villages = list(
        Node.objects.filter(
            path__startswith=street.path, kind=NodeKind.VILLAGE, name__in=CHERRY_CLUSTER_VILLAGES
        )
    )
    villages.sort(key=lambda v: CHERRY_CLUSTER_VILLAGES.index(v.name))
    with transaction.atomic():
        cluster = build(villages)
    stats = replay_history()
    offline = rules.check_offline()
    _say(
        out,
        f"智慧大棚：片区「{cluster.name}」{len(villages)} 个村、{Greenhouse.objects.filter(cluster=cluster).count()} "
        f"个大棚、{Sensor.objects.filter(greenhouse__cluster=cluster).count()} 个传感器；"
        f"近 {HOURS} 小时读数 {stats.stored} 条（每 {INTERVAL_MINUTES} 分钟一条），"
        f"离线告警 {offline} 条（{time.monotonic() - started:.0f} 秒）",
    )
    return []


def build(
    villages: list[Node],
    *,
    cluster_name: str = CHERRY_CLUSTER,
    cluster_code: str = CLUSTER_CODE,
    prefix: str = "yy",
) -> Cluster:
    """The cluster over `villages`: 50 greenhouses a village, coded `<prefix><village nr>-<nr>`. The defaults make
    the demo's cluster; the city-scale bench builds ten with their own names, codes and prefixes."""
    rng = random.Random(SEED)
    cluster = Cluster.objects.create(name=cluster_name, code=cluster_code)
    cluster.villages.set(villages)
    stages = [stage for stage, share in STAGES for _ in range(share)]
    greenhouses, gateways = [], []
    for v, village in enumerate(villages, start=1):
        owners = _owners(rng, GREENHOUSES_PER_VILLAGE)
        for n in range(1, GREENHOUSES_PER_VILLAGE + 1):
            code = f"{prefix}{v:02d}-{n:03d}"
            owner = owners[n - 1]
            lat, lng = village.lat, village.lng
            greenhouses.append(
                Greenhouse(
                    name=f"{village.name}{owner}{n}号棚",
                    code=code,
                    owner_name=owner,
                    village=village,
                    cluster=cluster,
                    area_mu=Decimal(rng.choice(("0.8", "1.0", "1.2", "1.5", "1.8", "2.0", "2.5", "3.0"))),
                    stage=rng.choice(stages),
                    lat=None if lat is None else round(lat + rng.uniform(-0.004, 0.004), 6),
                    lng=None if lng is None else round(lng + rng.uniform(-0.005, 0.005), 6),
                )
            )
            gateways.append(Gateway(code=f"{code}-gw", name=f"{village.name}{n}号棚网关", village=village))
    Greenhouse.objects.bulk_create(greenhouses, batch_size=500)
    Gateway.objects.bulk_create(gateways, batch_size=500)
    houses = {g.code: g for g in Greenhouse.objects.filter(cluster=cluster)}
    gates = {g.code: g for g in Gateway.objects.filter(code__startswith=prefix)}
    sensors = []
    for code, house in houses.items():
        for kind, suffix, position in SENSORS:
            sensors.append(
                Sensor(
                    code=f"{code}-{suffix}",
                    greenhouse=house,
                    gateway=gates[f"{code}-gw"],
                    kind=kind,
                    unit=DEFAULT_UNITS[kind],
                    position=position,
                    battery=round(rng.uniform(8, 100), 0),
                    calibration_offset=round(rng.gauss(0, 0.1), 2) if kind == SensorKind.AIR_TEMP else 0.0,
                )
            )
    Sensor.objects.bulk_create(sensors, batch_size=1000)
    return cluster


def _owners(rng: random.Random, n: int) -> list[str]:
    names = []
    for _ in range(n):
        given = MALE_GIVEN if rng.random() < 0.7 else FEMALE_GIVEN
        names.append(rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2)))))
    return names


def replay_history() -> Stats:
    """The last HOURS of readings, round by round in time order, through parse + store (alarms included)."""
    now = clock.now()
    step = dt.timedelta(minutes=INTERVAL_MINUTES)
    start = now - dt.timedelta(hours=HOURS)
    start = start.replace(second=0, microsecond=0) - dt.timedelta(minutes=start.minute % INTERVAL_MINUTES)
    # The cold night: the small hours of the latest local night inside the window.
    local = now.astimezone(SITE_TZ)
    cold = local.date() if local.hour >= 5 else local.date() - dt.timedelta(days=1)
    fleet = Fleet.from_db(
        seed=SEED,
        faults=Faults(stuck=0.0003, spike=0.0003, dropout=0.0003, cold_night=cold, cold_share=0.02),
        queryset=Sensor.objects.filter(greenhouse__cluster__code=CLUSTER_CODE, is_active=True),
    )
    total = Stats()
    moment = start
    with notifications.muted():
        while moment <= now:
            samples = []
            for _, body in fleet.tick(moment, "mixed"):
                parsed, stats = parse(body, now=moment.timestamp())
                samples.extend(parsed)
                total.add(stats)
            total.add(store(samples))
            moment += step
    return total


def _say(out, message: str) -> None:
    if out is not None:
        out.write(message + "\n")
