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

from .choices import AlarmStatus, AlarmType, Comparison, GrowthStage, Logic, SensorKind, Severity

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
    #: Moved on by every ingestion batch: no index on it, so that the update is a HOT one (the offline check and
    #: the silent-sensor list read all of a cluster's sensors anyway).
    last_seen = models.DateTimeField(_("最后上报"), null=True, blank=True)
    last_value = models.FloatField(_("最新读数"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    scope_path = "greenhouse__village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("传感器")
        verbose_name_plural = _("传感器")
        ordering = ["code"]

    @property
    def unit_label(self) -> str:
        """The unit as a page shows it (°C for SenML's Cel)."""
        from .choices import unit_label

        return unit_label(self.unit)

    def __str__(self) -> str:
        return self.code


class Reading(models.Model):
    """One calibrated value. (sensor, ts) is unique: a replayed message stores nothing twice."""

    id = models.BigAutoField(primary_key=True)
    # (no index of its own: the unique (sensor, ts) index serves every lookup by sensor)
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="readings", db_index=False)
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


class LimitFields(BaseModel):
    """The fields of one sensor kind's threshold, shared by the crop defaults and the cluster/greenhouse overrides."""

    kind = models.CharField(_("传感器类型"), max_length=16, choices=SensorKind.choices)
    day_min = models.FloatField(_("白天下限"), null=True, blank=True)
    day_max = models.FloatField(_("白天上限"), null=True, blank=True)
    night_min = models.FloatField(_("夜间下限"), null=True, blank=True)
    night_max = models.FloatField(_("夜间上限"), null=True, blank=True)
    severity = models.CharField(_("级别"), max_length=16, choices=Severity.choices, default=Severity.MAJOR)
    critical_delta = models.FloatField(
        _("紧急偏差"), null=True, blank=True, help_text=_("超出上下限达到此值即为紧急；留空表示不升级为紧急")
    )
    duration_minutes = models.PositiveIntegerField(
        _("持续分钟"), default=0, help_text=_("越限持续多少分钟才告警；0 表示立即")
    )
    hysteresis = models.FloatField(
        _("回差"), default=0.0, help_text=_("回到上下限以内至少此值才算恢复，防止反复告警")
    )
    repeat_count = models.PositiveIntegerField(
        _("连续次数"), default=0, help_text=_("连续多少条读数越限才告警；0 表示不要求")
    )
    clear_minutes = models.PositiveIntegerField(
        _("恢复持续分钟"), default=0, help_text=_("恢复后保持多少分钟才清除告警；0 表示立即")
    )
    stuck_readings = models.PositiveIntegerField(
        _("卡滞条数"), default=0, help_text=_("连续多少条读数完全相同判为卡滞；0 表示不检查")
    )
    stuck_minutes = models.PositiveIntegerField(
        _("卡滞分钟"), default=0, help_text=_("读数多少分钟不变判为卡滞；0 表示不检查")
    )
    spike_per_minute = models.FloatField(
        _("突变速率（每分钟）"),
        null=True,
        blank=True,
        help_text=_("相邻读数每分钟变化超过此值即告警；留空表示不检查"),
    )

    class Meta:
        abstract = True


class Threshold(LimitFields):
    """Range for one sensor kind. Beyond a limit by `critical_delta` or more is critical, otherwise `severity`.

    A breach must last `duration_minutes` before it raises; it clears only once the value is back inside the
    range by `hysteresis` (a deadband against flapping).
    """

    threshold_set = models.ForeignKey(
        ThresholdSet, on_delete=models.CASCADE, related_name="thresholds", verbose_name=_("阈值方案")
    )
    scope_path = ""
    objects = ScopedManager()

    class Meta:
        verbose_name = _("阈值")
        verbose_name_plural = _("阈值")
        constraints = [models.UniqueConstraint(fields=["threshold_set", "kind"], name="iot_threshold_once")]

    def __str__(self) -> str:
        return f"{self.threshold_set} {self.get_kind_display()}"

    def clean(self) -> None:
        validate_limits(self)


class RuleState(models.Model):
    """Where a duration condition stands for one (sensor, type): kept in the database to survive a restart."""

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="rule_states", db_index=False)
    type = models.CharField(max_length=16, choices=AlarmType.choices)
    breach_since = models.DateTimeField(null=True, blank=True)
    #: readings in a row that breached (the repeating condition)
    breach_count = models.PositiveIntegerField(default=0)
    #: since when the value is back in range while an alarm is still active (clear-after-duration)
    clear_since = models.DateTimeField(null=True, blank=True)
    #: the newest reading the rules have seen (stuck and spike compare against it)
    last_ts = models.DateTimeField(null=True, blank=True)
    last_value = models.FloatField(null=True, blank=True)
    #: since when, and for how many readings, the value has not changed
    same_since = models.DateTimeField(null=True, blank=True)
    same_count = models.PositiveIntegerField(default=0)
    #: the last reading that was a spike
    spike_at = models.DateTimeField(null=True, blank=True)

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

    @property
    def handled_by_case(self) -> bool:
        """Still active, but its case is closed: the case handled it (no reminders, no new escalation)."""
        from minsheng.cases.choices import OPEN_STATES

        return (
            self.status == AlarmStatus.ACTIVE
            and self.case_id is not None
            and self.case.status not in OPEN_STATES
        )


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


# ---------------------------------------------------------------------------------------------------------------
# Alarm rules beyond the crop defaults: overrides per cluster or greenhouse, and combined (AND/OR) conditions.
# ---------------------------------------------------------------------------------------------------------------

#: Physical bounds a limit may take, per sensor kind (percentages stay within 0–100; nothing is below 0 but °C).
KIND_BOUNDS = {
    SensorKind.AIR_TEMP: (-50.0, 80.0),
    SensorKind.SOIL_TEMP: (-50.0, 80.0),
    SensorKind.AIR_HUMIDITY: (0.0, 100.0),
    SensorKind.SOIL_MOISTURE: (0.0, 100.0),
    SensorKind.CO2: (0.0, 100000.0),
    SensorKind.LIGHT: (0.0, 300000.0),
}


def validate_limits(obj) -> None:
    """The checks every threshold row passes (defaults and overrides): raises ValidationError by field."""
    from django.core.exceptions import ValidationError

    errors: dict[str, str] = {}
    bounds = KIND_BOUNDS.get(obj.kind)
    names = ("day_min", "day_max", "night_min", "night_max")
    if all(getattr(obj, n) is None for n in names):
        errors["day_min"] = _("至少填写一个上限或下限")
    for name in names:
        value = getattr(obj, name)
        if value is not None and bounds and not bounds[0] <= value <= bounds[1]:
            errors[name] = _("超出该类传感器的可能范围（%(low)s～%(high)s）") % {
                "low": bounds[0],
                "high": bounds[1],
            }
    for low, high, label in (("day_min", "day_max", _("白天")), ("night_min", "night_max", _("夜间"))):
        lo, hi = getattr(obj, low), getattr(obj, high)
        if lo is not None and hi is not None and lo >= hi and high not in errors:
            errors[high] = _("%(window)s上限必须大于下限") % {"window": label}
        elif lo is not None and hi is not None and obj.hysteresis and obj.hysteresis * 2 >= hi - lo:
            errors["hysteresis"] = _("回差必须小于%(window)s上下限之差的一半，否则告警永远无法清除") % {
                "window": label
            }
    if obj.critical_delta is not None and obj.critical_delta <= 0:
        errors["critical_delta"] = _("紧急偏差必须大于0")
    if obj.hysteresis is not None and obj.hysteresis < 0:
        errors["hysteresis"] = _("回差不能为负数")
    if obj.spike_per_minute is not None and obj.spike_per_minute <= 0:
        errors["spike_per_minute"] = _("突变速率必须大于0")
    if obj.stuck_readings == 1:
        errors["stuck_readings"] = _("卡滞条数至少为2（一条读数无所谓相同）")
    if errors:
        raise ValidationError(errors)


class ThresholdOverride(LimitFields):
    """A threshold for one sensor kind set for a whole cluster or for one greenhouse (exactly one of them).

    Inheritance: greenhouse → cluster → the crop's default set for the greenhouse's stage; a row with a stage
    beats the all-stages row at the same level. The row replaces the default as a whole (no field-by-field
    mixing), so what is in force can always be read off one row. Day and night follow the default set's windows.
    """

    cluster = models.ForeignKey(
        Cluster,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threshold_overrides",
        verbose_name=_("片区"),
    )
    greenhouse = models.ForeignKey(
        Greenhouse,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threshold_overrides",
        verbose_name=_("大棚"),
    )
    stage = models.CharField(
        _("生育期"),
        max_length=16,
        choices=GrowthStage.choices,
        blank=True,
        help_text=_("留空表示所有生育期"),
    )
    note = models.CharField(_("设置原因"), max_length=200, blank=True)

    scope_path = ""
    objects = ScopedManager()

    class Meta:
        verbose_name = _("阈值覆盖")
        verbose_name_plural = _("阈值覆盖")
        constraints = [
            models.CheckConstraint(
                condition=Q(cluster__isnull=True, greenhouse__isnull=False)
                | Q(cluster__isnull=False, greenhouse__isnull=True),
                name="iot_override_one_level",
            ),
            models.UniqueConstraint(
                fields=["cluster", "stage", "kind"],
                condition=Q(cluster__isnull=False),
                name="iot_override_cluster_once",
            ),
            models.UniqueConstraint(
                fields=["greenhouse", "stage", "kind"],
                condition=Q(greenhouse__isnull=False),
                name="iot_override_greenhouse_once",
            ),
        ]

    def __str__(self) -> str:
        owner = self.greenhouse or self.cluster
        return f"{owner} {self.get_kind_display()} {self.get_stage_display() or _('所有生育期')}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (self.cluster_id is None) == (self.greenhouse_id is None):
            raise ValidationError(_("片区和大棚须且只能选择一个"))
        validate_limits(self)
        same = ThresholdOverride.objects.filter(
            cluster_id=self.cluster_id, greenhouse_id=self.greenhouse_id, stage=self.stage, kind=self.kind
        ).exclude(pk=self.pk)
        if same.exists():
            raise ValidationError({"kind": _("该层级已有此传感器类型、此生育期的阈值设置，请直接修改")})


class CombinedRule(BaseModel):
    """Conditions over several sensor kinds of one greenhouse joined by AND or OR (e.g. 气温 > 30 与 湿度 > 80).

    Applies to one greenhouse, to every greenhouse of a cluster, or (neither set) to every greenhouse. A kind's
    value is the mean of the latest readings of the greenhouse's sensors of that kind (readings older than the
    offline limit do not count; a kind without a value makes its condition false).
    """

    name = models.CharField(_("名称"), max_length=100)
    cluster = models.ForeignKey(
        Cluster,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="combined_rules",
        verbose_name=_("片区"),
    )
    greenhouse = models.ForeignKey(
        Greenhouse,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="combined_rules",
        verbose_name=_("大棚"),
    )
    logic = models.CharField(_("条件关系"), max_length=4, choices=Logic.choices, default=Logic.AND)
    severity = models.CharField(_("级别"), max_length=16, choices=Severity.choices, default=Severity.MAJOR)
    duration_minutes = models.PositiveIntegerField(_("持续分钟"), default=0)
    repeat_count = models.PositiveIntegerField(_("连续次数"), default=0)
    clear_minutes = models.PositiveIntegerField(_("恢复持续分钟"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    scope_path = ""
    objects = ScopedManager()

    class Meta:
        verbose_name = _("组合告警规则")
        verbose_name_plural = _("组合告警规则")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.cluster_id is not None and self.greenhouse_id is not None:
            raise ValidationError(_("片区和大棚只能选择一个（都不选表示适用于所有大棚）"))


class CombinedCondition(models.Model):
    rule = models.ForeignKey(CombinedRule, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(_("传感器类型"), max_length=16, choices=SensorKind.choices)
    comparison = models.CharField(_("比较"), max_length=2, choices=Comparison.choices)
    value = models.FloatField(_("数值"))

    class Meta:
        verbose_name = _("条件")
        verbose_name_plural = _("条件")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_comparison_display()} {self.value:g}"


class CombinedState(models.Model):
    """Where a combined rule stands for one greenhouse: kept in the database, like RuleState."""

    rule = models.ForeignKey(CombinedRule, on_delete=models.CASCADE, related_name="states")
    greenhouse = models.ForeignKey(Greenhouse, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(null=True, blank=True)
    count = models.PositiveIntegerField(default=0)
    clear_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "greenhouse"], name="iot_combinedstate_once")]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.greenhouse_id}"


def default_notify_severities() -> list[str]:
    return [Severity.CRITICAL, Severity.MAJOR]


class AlarmNotificationPreference(BaseModel):
    """What one person wants to hear about greenhouse alarms (告警通知设置).

    Without a row, people who may handle a greenhouse's alarms hear of critical and major ones there; people who
    may only read (leaders) hear of nothing until they ask. The inbox is always written; email follows the
    person's general notification settings (address, quiet hours) and can be switched off here for alarms.
    Empty `clusters` and `villages` mean everywhere in the person's scope.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="iot_alarm_preference",
        verbose_name=_("用户"),
    )
    enabled = models.BooleanField(_("接收告警通知"), default=True)
    severities = models.JSONField(_("告警级别"), default=default_notify_severities, blank=True)
    clusters = models.ManyToManyField(Cluster, blank=True, related_name="+", verbose_name=_("片区"))
    villages = models.ManyToManyField(
        "org.Node",
        blank=True,
        related_name="+",
        verbose_name=_("村"),
        limit_choices_to={"kind": "village"},
    )
    email = models.BooleanField(_("同时发送邮件"), default=True)
    on_cleared = models.BooleanField(_("告警清除时通知"), default=True)
    reminders = models.BooleanField(_("未确认时提醒"), default=True)

    scope_path = ""
    objects = ScopedManager()

    class Meta:
        verbose_name = _("告警通知设置")
        verbose_name_plural = _("告警通知设置")

    def __str__(self) -> str:
        return str(self.user)


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


class DeadLetter(models.Model):
    """An MQTT message that could not be handled, kept with its raw payload (see docs/decisions/0016).

    Counted per (topic, payload) digest across deliveries and restarts; at `settings.IOT_POISON_DELIVERIES`
    failed deliveries it is set aside and acknowledged, so that it can never block the stream. Not scoped by
    village: a message that cannot be parsed names no greenhouse; the device-status page shows it to
    `iot.manage` only.
    """

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    topic = models.CharField(_("主题"), max_length=255)
    payload = models.BinaryField(_("原始数据"))
    error = models.TextField(_("错误"))
    deliveries = models.PositiveIntegerField(_("投递次数"), default=0)
    first_seen = models.DateTimeField(_("首次"))
    last_seen = models.DateTimeField(_("最近"))
    set_aside_at = models.DateTimeField(_("搁置于"), null=True, blank=True)

    class Meta:
        verbose_name = _("无法处理的消息")
        verbose_name_plural = _("无法处理的消息")
        indexes = [models.Index(fields=["-last_seen"], name="iot_deadletter_last_seen")]

    def __str__(self) -> str:
        return f"{self.topic} ×{self.deliveries}"

    @property
    def preview(self) -> str:
        return bytes(self.payload[:300]).decode("utf-8", errors="replace")
