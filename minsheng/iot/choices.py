from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.badges import Colour


class SensorKind(models.TextChoices):
    AIR_TEMP = "air_temp", _("空气温度")
    AIR_HUMIDITY = "air_humidity", _("空气湿度")
    SOIL_TEMP = "soil_temp", _("土壤温度")
    SOIL_MOISTURE = "soil_moisture", _("土壤含水量")
    CO2 = "co2", _("二氧化碳浓度")
    LIGHT = "light", _("光照强度")


#: SenML units (IANA registry) each kind reports in.
DEFAULT_UNITS = {
    SensorKind.AIR_TEMP: "Cel",
    SensorKind.AIR_HUMIDITY: "%RH",
    SensorKind.SOIL_TEMP: "Cel",
    SensorKind.SOIL_MOISTURE: "%",  # volumetric water content in percent ("%EL" is a battery's energy level)
    SensorKind.CO2: "ppm",
    SensorKind.LIGHT: "lx",
}

#: How a SenML unit reads on a page.
UNIT_LABELS = {"Cel": "°C", "%RH": "%RH", "%": "%", "%EL": "%", "ppm": "ppm", "lx": "lx"}


def unit_label(unit: str) -> str:
    return UNIT_LABELS.get(unit, unit)


class GrowthStage(models.TextChoices):
    """Stages of sweet cherry under cover, as the farm-advice sources divide them."""

    DORMANT = "dormant", _("休眠/采后")
    BUDBREAK = "budbreak", _("扣棚至萌芽")
    PREBLOOM = "prebloom", _("萌芽至开花")
    BLOOM = "bloom", _("花期")
    FRUIT_SET = "fruit_set", _("落花至坐果")
    EXPANSION = "expansion", _("果实膨大期")
    COLOURING = "colouring", _("着色至采收")


class AlarmType(models.TextChoices):
    THRESHOLD = "threshold", _("超限")
    OFFLINE = "offline", _("离线/无数据")
    STUCK = "stuck", _("数值卡滞")
    SPIKE = "spike", _("数值突变")
    COMBINED = "combined", _("组合条件")


class Severity(models.TextChoices):
    """ThingsBoard's five levels; RANK orders them so that the highest wins."""

    CRITICAL = "critical", _("紧急")
    MAJOR = "major", _("重要")
    MINOR = "minor", _("次要")
    WARNING = "warning", _("警告")
    INDETERMINATE = "indeterminate", _("不确定")


RANK = {
    Severity.INDETERMINATE: 0,
    Severity.WARNING: 1,
    Severity.MINOR: 2,
    Severity.MAJOR: 3,
    Severity.CRITICAL: 4,
}

#: Badge colour of each severity.
SEVERITY_COLOURS = {
    Severity.CRITICAL: Colour.RED,
    Severity.MAJOR: Colour.ORANGE,
    Severity.MINOR: Colour.BLUE,
    Severity.WARNING: Colour.GRAY,
    Severity.INDETERMINATE: Colour.GRAY,
}
#: Map colours by worst active alarm (and "none" for a quiet greenhouse).
SEVERITY_MAP_COLOURS = {
    Severity.CRITICAL: "#c8161d",
    Severity.MAJOR: "#e8710a",
    Severity.MINOR: "#d4a106",
    Severity.WARNING: "#5b7db8",
    Severity.INDETERMINATE: "#8a93a3",
    "none": "#2e9d5b",
}


class AlarmStatus(models.TextChoices):
    ACTIVE = "active", _("活动")
    CLEARED = "cleared", _("已清除")


class Logic(models.TextChoices):
    """How the conditions of a combined rule join."""

    AND = "and", _("全部满足（与）")
    OR = "or", _("任一满足（或）")


class Comparison(models.TextChoices):
    GT = "gt", ">"
    GE = "ge", "≥"
    LT = "lt", "<"
    LE = "le", "≤"
