"""Smart greenhouses: clusters of villages, greenhouses, gateways, sensors, readings, thresholds and alarms.

Everything hangs off a village node of the org tree through its greenhouse, which is what scoping keys on.
Readings are plain rows without audit (millions a day); everything people edit is a BaseModel and audited.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedManager

from .choices import AlarmStatus, AlarmType, GrowthStage, SensorKind, Severity

CHERRY = "大樱桃"


class Cluster(BaseModel):
    """片区: a named group of villages (e.g. 樱悦田园). Spans villages, so it is visible to anyone with the cap."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    code = models.SlugField(_("代码"), max_length=32, unique=True, help_text=_("用于 MQTT 主题"))
    villages = models.ManyToManyField(
        "org.Node",
        blank=True,
        related_name="iot_clusters",
        verbose_name=_("包含村"),
        limit_choices_to={"kind": "village"},
    )

    scope_path = ""
    objects = ScopedManager()

    class Meta:
        verbose_name = _("片区")
        verbose_name_plural = _("片区")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Greenhouse(BaseModel):
    name = models.CharField(_("名称"), max_length=100)
    code = models.SlugField(_("代码"), max_length=32, unique=True, help_text=_("用于 MQTT 主题"))
    owner_name = models.CharField(_("户主"), max_length=50, blank=True)
    village = models.ForeignKey(
        "org.Node",
        on_delete=models.PROTECT,
        related_name="greenhouses",
        verbose_name=_("所在村"),
        limit_choices_to={"kind": "village"},
    )
    cluster = models.ForeignKey(
        Cluster,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="greenhouses",
        verbose_name=_("片区"),
    )
    crop = models.CharField(_("作物"), max_length=30, default=CHERRY)
    area_mu = models.DecimalField(_("面积（亩）"), max_digits=8, decimal_places=2, null=True, blank=True)
    stage = models.CharField(
        _("生育期"), max_length=16, choices=GrowthStage.choices, default=GrowthStage.DORMANT
    )
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)

    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("大棚")
        verbose_name_plural = _("大棚")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Gateway(BaseModel):
    """A field gateway. Over HTTP it authenticates with its own token (stored as a SHA-256 digest only)."""

    code = models.SlugField(_("编码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    village = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="gateways", verbose_name=_("所在村")
    )
    token_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    last_seen = models.DateTimeField(_("最后上报"), null=True, blank=True)

    scope_path = "village__path"
    audit_secret_fields = ("token_digest",)
    objects = ScopedManager()

    class Meta:
        verbose_name = _("网关")
        verbose_name_plural = _("网关")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name or self.code


class Sensor(BaseModel):
    """The SenML name a device sends is the sensor's `code` (after the base name is joined on)."""

    code = models.CharField(_("编码"), max_length=128, unique=True)
    greenhouse = models.ForeignKey(
        Greenhouse, on_delete=models.CASCADE, related_name="sensors", verbose_name=_("大棚")
    )
    gateway = models.ForeignKey(
        Gateway,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sensors",
        verbose_name=_("网关"),
    )
    kind = models.CharField(_("类型"), max_length=16, choices=SensorKind.choices)
    unit = models.CharField(_("单位"), max_length=16, help_text=_("SenML 单位，如 Cel、%RH、lx、ppm"))
    calibration_offset = models.FloatField(_("校准偏移"), default=0.0)
    position = models.CharField(_("安装位置"), max_length=100, blank=True)
    battery = models.FloatField(_("电量（%）"), null=True, blank=True)
    last_seen = models.DateTimeField(_("最后上报"), null=True, blank=True, db_index=True)
    last_value = models.FloatField(_("最新读数"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    scope_path = "greenhouse__village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("传感器")
        verbose_name_plural = _("传感器")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Reading(models.Model):
    """One calibrated value. (sensor, ts) is unique: a replayed message stores nothing twice."""

    id = models.BigAutoField(primary_key=True)
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="readings")
    ts = models.DateTimeField()
    value = models.FloatField()

    scope_path = "sensor__greenhouse__village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("读数")
        verbose_name_plural = _("读数")
        constraints = [models.UniqueConstraint(fields=["sensor", "ts"], name="iot_reading_once")]
        indexes = [models.Index(fields=["ts"], name="iot_reading_ts")]

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.ts:%Y-%m-%d %H:%M:%S} {self.value}"


class ThresholdSet(BaseModel):
    """Limits for one crop at one growth stage, with the day window (night is the rest, across midnight)."""

    crop = models.CharField(_("作物"), max_length=30, default=CHERRY)
    stage = models.CharField(_("生育期"), max_length=16, choices=GrowthStage.choices)
    day_starts = models.TimeField(_("白天开始"), default="06:00")
    night_starts = models.TimeField(_("夜间开始"), default="18:00")
    note = models.TextField(_("说明/来源"), blank=True)

    scope_path = ""
    objects = ScopedManager()

    class Meta:
        verbose_name = _("阈值方案")
        verbose_name_plural = _("阈值方案")
        constraints = [models.UniqueConstraint(fields=["crop", "stage"], name="iot_thresholdset_once")]

    def __str__(self) -> str:
        return f"{self.crop} {self.get_stage_display()}"


class Threshold(BaseModel):
    """Range for one sensor kind. Beyond a limit by `critical_delta` or more is critical, otherwise `severity`.

    A breach must last `duration_minutes` before it raises; it clears only once the value is back inside the
    range by `hysteresis` (a deadband against flapping).
    """

    threshold_set = models.ForeignKey(
        ThresholdSet, on_delete=models.CASCADE, related_name="thresholds", verbose_name=_("阈值方案")
    )
    kind = models.CharField(_("传感器类型"), max_length=16, choices=SensorKind.choices)
    day_min = models.FloatField(_("白天下限"), null=True, blank=True)
    day_max = models.FloatField(_("白天上限"), null=True, blank=True)
    night_min = models.FloatField(_("夜间下限"), null=True, blank=True)
    night_max = models.FloatField(_("夜间上限"), null=True, blank=True)
    severity = models.CharField(_("级别"), max_length=16, choices=Severity.choices, default=Severity.MAJOR)
    critical_delta = models.FloatField(_("紧急偏差"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("持续分钟"), default=0)
    hysteresis = models.FloatField(_("回差"), default=0.0)

    scope_path = ""
    objects = ScopedManager()

    class Meta:
        verbose_name = _("阈值")
        verbose_name_plural = _("阈值")
        constraints = [models.UniqueConstraint(fields=["threshold_set", "kind"], name="iot_threshold_once")]

    def __str__(self) -> str:
        return f"{self.threshold_set} {self.get_kind_display()}"


class RuleState(models.Model):
    """Where a duration condition stands for one (sensor, type): kept in the database to survive a restart."""

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="rule_states")
    type = models.CharField(max_length=16, choices=AlarmType.choices)
    breach_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sensor", "type"], name="iot_rulestate_once")]

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.type}"


class Alarm(BaseModel):
    """At most one ACTIVE alarm per (sensor, type); repeats move `last_at` on and count."""

    sensor = models.ForeignKey(
        Sensor, on_delete=models.CASCADE, related_name="alarms", verbose_name=_("传感器")
    )
    greenhouse = models.ForeignKey(
        Greenhouse, on_delete=models.CASCADE, related_name="alarms", verbose_name=_("大棚")
    )
    type = models.CharField(_("类型"), max_length=16, choices=AlarmType.choices)
    severity = models.CharField(_("级别"), max_length=16, choices=Severity.choices)
    status = models.CharField(
        _("状态"), max_length=8, choices=AlarmStatus.choices, default=AlarmStatus.ACTIVE, db_index=True
    )
    acknowledged = models.BooleanField(_("已确认"), default=False)
    started_at = models.DateTimeField(_("开始时间"))
    last_at = models.DateTimeField(_("最近触发"))
    acked_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("确认人"),
    )
    cleared_at = models.DateTimeField(_("清除时间"), null=True, blank=True)
    count = models.PositiveIntegerField(_("触发次数"), default=1)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="iot_alarms",
        verbose_name=_("处理人"),
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="iot_alarms",
        verbose_name=_("处置案件"),
    )
    details = models.JSONField(_("详情"), default=dict, blank=True)

    scope_path = "greenhouse__village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("告警")
        verbose_name_plural = _("告警")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sensor", "type"],
                condition=Q(status=AlarmStatus.ACTIVE),
                name="iot_one_active_alarm",
            )
        ]
        indexes = [models.Index(fields=["greenhouse", "status"], name="iot_alarm_gh_status")]

    def __str__(self) -> str:
        return f"{self.sensor} {self.get_type_display()}"


class AlarmComment(models.Model):
    """A person's note or a system note (author empty) on an alarm."""

    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="comments")
    created_at = models.DateTimeField(_("时间"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.TextField(_("内容"))

    class Meta:
        verbose_name = _("告警备注")
        verbose_name_plural = _("告警备注")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:30]


class ReadingHour(models.Model):
    """One sensor's hour (UTC hour start): min, max, mean and count. Kept for ever; raw readings are purged after
    `settings.IOT_RAW_RETENTION_DAYS` (see retention.py)."""

    id = models.BigAutoField(primary_key=True)
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="hours")
    hour = models.DateTimeField()
    min = models.FloatField()
    max = models.FloatField()
    avg = models.FloatField()
    count = models.PositiveIntegerField()

    scope_path = "sensor__greenhouse__village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("小时汇总")
        verbose_name_plural = _("小时汇总")
        constraints = [models.UniqueConstraint(fields=["sensor", "hour"], name="iot_readinghour_once")]
        indexes = [models.Index(fields=["hour"], name="iot_readinghour_hour")]

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.hour:%Y-%m-%d %H}:00"
