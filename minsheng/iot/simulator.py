"""Synthetic greenhouse weather for demonstrations and load tests: `minsheng simulate-sensors` publishes it over
MQTT, the demo feeds 48 hours of it through the ingest, the benchmark uses it as load.

The values are illustrative, not reference data: each kind follows a daily curve around the middle of the growth
stage's own limits (the editable ThresholdSet of the greenhouse's stage, so a well-run greenhouse mostly stays
inside them), with a per-sensor bias, Gaussian noise, and occasional faults:

- stuck: the sensor repeats its last value for a while (a frozen ADC, a dead probe);
- spike: one absurd value (a loose contact);
- dropout: no reading at all for a while (radio or battery trouble);
- cold night (optional): the film or the heater fails in some greenhouses and the air falls to 0–2 °C between
  01:00 and 05:00 local time — the scenario the threshold alarms exist for.

Everything is drawn from one seeded generator, so a run with the same seed and start makes the same readings.
"""

import datetime as dt
import math
import random
import zlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .choices import GrowthStage, SensorKind

SITE_TZ = ZoneInfo("Asia/Shanghai")

#: Per stage: air temperature by day and by night, relative humidity — the default limits of migration
#: 0002_cherry_thresholds, with a closed range where a limit is open-ended (a dormant house has no limits).
#: A well-run greenhouse stays inside them: the simulated air sits in the middle of the range, day or night.
STAGE_CLIMATE = {
    GrowthStage.DORMANT: ((4.0, 12.0), (0.0, 4.0), (70.0, 90.0)),
    GrowthStage.BUDBREAK: ((12.0, 18.0), (5.0, 6.0), (70.0, 80.0)),
    GrowthStage.PREBLOOM: ((18.0, 21.0), (6.0, 7.0), (60.0, 75.0)),
    GrowthStage.BLOOM: ((16.0, 20.0), (5.0, 9.0), (50.0, 60.0)),
    GrowthStage.FRUIT_SET: ((18.0, 22.0), (7.0, 10.0), (55.0, 65.0)),
    GrowthStage.EXPANSION: ((22.0, 25.0), (8.0, 12.0), (55.0, 65.0)),
    GrowthStage.COLOURING: ((20.0, 28.0), (12.0, 15.0), (50.0, 60.0)),
}
#: The day window of the default threshold sets (06:00–18:00); the managed air changes over in RAMP minutes.
DAY_STARTS, NIGHT_STARTS, RAMP = 6.0, 18.0, 5 / 60
NOISE = {
    SensorKind.AIR_TEMP: 0.3,
    SensorKind.AIR_HUMIDITY: 1.5,
    SensorKind.SOIL_TEMP: 0.1,
    SensorKind.SOIL_MOISTURE: 0.4,
    SensorKind.CO2: 15.0,
}
SPIKE = {
    SensorKind.AIR_TEMP: 45.0,
    SensorKind.AIR_HUMIDITY: -60.0,
    SensorKind.SOIL_TEMP: 30.0,
    SensorKind.SOIL_MOISTURE: 50.0,
    SensorKind.CO2: 3000.0,
    SensorKind.LIGHT: 90000.0,
}
ROUND = {SensorKind.CO2: 0, SensorKind.LIGHT: 0}


@dataclass
class Faults:
    """Per reading, the chance that a fault starts; a stuck or dropout spell lasts 5–30 readings."""

    stuck: float = 0.0005
    spike: float = 0.0005
    dropout: float = 0.0005
    cold_night: dt.date | None = None  # the local date whose small hours turn cold
    cold_share: float = 0.05  # the share of greenhouses the cold night hits


@dataclass
class SimSensor:
    code: str
    kind: str
    unit: str
    stage: str
    greenhouse: str
    cluster: str
    gateway: str
    bias: float = 0.0
    # fault state
    stuck_left: int = 0
    dropout_left: int = 0
    last: float | None = None


@dataclass
class Fleet:
    sensors: list[SimSensor]
    seed: int = 1
    faults: Faults = field(default_factory=Faults)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        for sensor in self.sensors:  # a stable bias per sensor, whatever the order
            r = random.Random(zlib.crc32(sensor.code.encode()) ^ self.seed)
            sensor.bias = r.gauss(0, 0.5)
        greenhouses = sorted({s.greenhouse for s in self.sensors})
        cold = random.Random(self.seed + 1)
        count = round(len(greenhouses) * self.faults.cold_share)
        self.cold_greenhouses = set(cold.sample(greenhouses, count)) if self.faults.cold_night else set()

    @classmethod
    def from_db(cls, *, seed: int = 1, faults: Faults | None = None, queryset=None) -> "Fleet":
        from .models import Sensor

        rows = (queryset if queryset is not None else Sensor.objects.filter(is_active=True)).values_list(
            "code",
            "kind",
            "unit",
            "greenhouse__stage",
            "greenhouse__code",
            "greenhouse__cluster__code",
            "gateway__code",
        )
        sensors = [
            SimSensor(code, kind, unit, stage, gh, cluster or "none", gateway or gh)
            for code, kind, unit, stage, gh, cluster, gateway in rows.order_by("code")
        ]
        return cls(sensors, seed=seed, faults=faults or Faults())

    # -- physics --------------------------------------------------------------------------------------

    def value(self, sensor: SimSensor, moment: dt.datetime) -> float:
        local = moment.astimezone(SITE_TZ)
        hour = local.hour + local.minute / 60 + local.second / 3600
        day_range, night_range, rh_range = STAGE_CLIMATE.get(sensor.stage, STAGE_CLIMATE[GrowthStage.DORMANT])
        # Sunlight: 0 at night, a bell from 06:00 to 19:00 peaking a little after noon.
        sun = max(0.0, math.sin(math.pi * (hour - 6) / 13)) if 6 <= hour <= 19 else 0.0
        # The grower keeps the air in the stage's window: `managed` is 1 by day, 0 by night, ramping in minutes.
        managed = min(1.0, max(0.0, (hour - DAY_STARTS) / RAMP)) - min(
            1.0, max(0.0, (hour - NIGHT_STARTS) / RAMP)
        )
        kind = sensor.kind
        if kind == SensorKind.LIGHT:  # dark is dark: the noise and the bias scale with the light
            return round(max(0.0, 38000.0 * sun * (1 + sensor.bias / 20 + self.rng.gauss(0, 0.03))), 0)
        if kind in (SensorKind.AIR_TEMP, SensorKind.AIR_HUMIDITY):
            if kind == SensorKind.AIR_TEMP:
                lo = night_range[0] + (day_range[0] - night_range[0]) * managed
                hi = night_range[1] + (day_range[1] - night_range[1]) * managed
                position = 0.5 + 0.2 * sun  # warmest after noon, still inside the range
            else:
                lo, hi = rh_range
                position = 0.65 - 0.3 * managed  # damp nights, drier days
            width = hi - lo
            if (
                kind == SensorKind.AIR_TEMP
                and sensor.greenhouse in self.cold_greenhouses
                and self._cold(local)
            ):
                return round(1.0 + self.rng.uniform(0, 1.0), 2)
            bias = max(-0.15, min(0.15, sensor.bias / 4)) * width
            value = lo + width * position + bias + self.rng.gauss(0, min(NOISE[kind], width / 10))
            value = min(100.0, max(0.0, value)) if kind == SensorKind.AIR_HUMIDITY else value
            return round(value, 2)
        mean_air = (sum(day_range) + sum(night_range)) / 4
        if kind == SensorKind.SOIL_TEMP:
            base = mean_air + 1.5 * math.sin(math.pi * (hour - 10) / 12)
        elif kind == SensorKind.SOIL_MOISTURE:
            base = 30.0 - 3.0 * ((local.timestamp() / 86400) % 3) / 3  # dries out, watered every 3 days
        elif kind == SensorKind.CO2:
            base = 750.0 - 380.0 * sun**0.5  # respiration at night, drawn down and vented by day
        else:
            base = 0.0
        value = (
            base
            + sensor.bias * (10 if kind == SensorKind.CO2 else 1)
            + self.rng.gauss(0, NOISE.get(kind, 0.1))
        )
        if kind == SensorKind.SOIL_MOISTURE:
            value = min(100.0, max(0.0, value))
        return round(value, ROUND.get(kind, 2))

    def _cold(self, local: dt.datetime) -> bool:
        return local.date() == self.faults.cold_night and 1 <= local.hour < 5

    def reading(self, sensor: SimSensor, moment: dt.datetime) -> float | None:
        """The value the device reports at `moment`, faults included; None for a dropout."""
        faults, rng = self.faults, self.rng
        if sensor.dropout_left:
            sensor.dropout_left -= 1
            return None
        if rng.random() < faults.dropout:
            sensor.dropout_left = rng.randint(5, 30)
            return None
        if sensor.stuck_left and sensor.last is not None:
            sensor.stuck_left -= 1
            return sensor.last
        if rng.random() < faults.stuck:
            sensor.stuck_left = rng.randint(5, 30)
        value = self.value(sensor, moment)
        if rng.random() < faults.spike:
            return round(value + SPIKE.get(sensor.kind, 100.0) * rng.choice((1, -1)), 2)
        sensor.last = value
        return value

    # -- messages -------------------------------------------------------------------------------------

    def tick(self, moment: dt.datetime, fmt: str = "senml") -> Iterator[tuple[str, list]]:
        """One reading from every sensor at `moment`, as (topic tail, payload) per gateway and greenhouse.

        `fmt` is "senml", "json", or "mixed" (each greenhouse keeps one format, chosen by its code).
        The topic tail is `<cluster>/<greenhouse>/<gateway>/<format>`.
        """
        groups: dict[tuple[str, str, str], list[tuple[SimSensor, float]]] = defaultdict(list)
        for sensor in self.sensors:
            value = self.reading(sensor, moment)
            if value is not None:
                groups[sensor.cluster, sensor.greenhouse, sensor.gateway].append((sensor, value))
        ts = round(moment.timestamp(), 3)
        for (cluster, greenhouse, gateway), items in groups.items():
            form = fmt
            if fmt == "mixed":
                form = "json" if sum(map(ord, greenhouse)) % 2 else "senml"
            yield f"{cluster}/{greenhouse}/{gateway}/{form}", payload(items, ts, form)


def payload(items: list[tuple[SimSensor, float]], ts: float, fmt: str) -> list:
    if fmt == "json":
        return [{"sensor": s.code, "ts": ts, "value": v} for s, v in items]
    pack: list[dict] = []
    for index, (sensor, value) in enumerate(items):
        record = {"n": sensor.code, "u": sensor.unit, "v": value}
        if index == 0:
            record = {"bt": ts, **record}
        pack.append(record)
    return pack
