"""The events engine's data: venues, kinds, events, registrations, check-ins.

An event belongs to an org node (the 社区/村 or the 街道 that puts it on), which is what scoping keys on. Another
domain's record that hosts an event (an enterprise training, a 政银企 matchmaking, an agricultural training) is
pointed at through the generic link `host`, as a case points at its source: activities never imports those apps.
Person-times are check-ins, one per registration at most; an open-air head count is kept apart on the event.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minsheng.core.badges import BadgeOf
from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedManager

from ..choices import (
    EVENT_STATUS_COLOURS,
    REGISTRATION_STATUS_COLOURS,
    CheckInMethod,
    EventStatus,
    OrganiserKind,
    RegistrationSource,
    RegistrationStatus,
    VenueKind,
)


class Venue(BaseModel):
    """A place events happen: 党群服务中心, 新时代文明实践站, 惠民综合体, a village square."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(
        _("类型"), max_length=24, choices=VenueKind.choices, default=VenueKind.PARTY_CENTRE
    )
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="venues", verbose_name=_("所属组织")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("容纳人数"), null=True, blank=True)
    open_air = models.BooleanField(_("露天场地"), default=False)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("活动场地")
        verbose_name_plural = _("活动场地")
        ordering = ["node__path", "name"]
        constraints = [models.UniqueConstraint(fields=["node", "name"], name="venue_unique_name_at_node")]

    def __str__(self) -> str:
        return self.name


class EventKind(BaseModel):
    """公益市集, 书画笔会, 文艺演出, 健康义诊, 培训, 对接会 … — data: a kind is a label and a colour, not code."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    color = models.CharField(_("颜色"), max_length=16, default="blue")
    is_active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")
        ordering = ["sort", "pk"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def by_code(cls, code: str) -> "EventKind":
        from minsheng.core.tablecache import cached_table

        kinds = cached_table("activity-kinds", cls, lambda: {k.code: k for k in cls.objects.all()})
        try:
            return kinds[code]
        except KeyError:
            raise cls.DoesNotExist(code) from None


class Series(BaseModel):
    """A run of events under one name, e.g. 一村一年一场戏: one performance per village per year."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.ForeignKey(
        EventKind, on_delete=models.PROTECT, related_name="series", verbose_name=_("类型")
    )
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="activity_series", verbose_name=_("组织范围")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    per_territory = models.BooleanField(
        _("每个村/社区一场"), default=True, help_text=_("覆盖率按组织范围内的村/社区计算")
    )
    description = models.TextField(_("说明"), blank=True)

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("系列活动")
        verbose_name_plural = _("系列活动")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Event(BaseModel):
    """One activity on one occasion. Only activities.actions creates or changes it."""

    title = models.CharField(_("活动名称"), max_length=120)
    kind = models.ForeignKey(
        EventKind, on_delete=models.PROTECT, related_name="events", verbose_name=_("类型")
    )
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="events", verbose_name=_("所属社区/村")
    )
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="events", verbose_name=_("场地")
    )
    place = models.CharField(_("地点"), max_length=200, blank=True, help_text=_("没有登记场地时填写"))
    series = models.ForeignKey(
        Series,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("系列"),
    )
    organiser_kind = models.CharField(
        _("主办方类型"), max_length=16, choices=OrganiserKind.choices, default=OrganiserKind.COMMUNITY
    )
    organiser_name = models.CharField(_("主办方"), max_length=100, blank=True)
    unit = models.ForeignKey(
        "activities.DualUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("主办报到单位"),
    )
    host_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("业务类型"),
    )
    host_id = models.CharField(_("业务记录编号"), max_length=64, blank=True)
    host = GenericForeignKey("host_type", "host_id")
    description = models.TextField(_("活动内容"), blank=True)
    audience = models.CharField(
        _("面向人群"), max_length=100, blank=True, help_text=_("例如：全体居民、老年人、儿童")
    )
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True, help_text=_("留空表示不限"))
    public = models.BooleanField(_("居民可报名"), default=True, help_text=_("在居民端列出并接受报名"))
    open_air = models.BooleanField(_("露天活动"), default=False)
    start = models.DateTimeField(_("开始时间"), db_index=True)
    end = models.DateTimeField(_("结束时间"))
    status = models.CharField(
        _("状态"), max_length=16, choices=EventStatus.choices, default=EventStatus.PUBLISHED, db_index=True
    )
    headcount = models.PositiveIntegerField(
        _("现场估算人数"), null=True, blank=True, help_text=_("露天活动的目测/清点人数，单列，不计入签到人次")
    )
    headcount_note = models.CharField(_("估算说明"), max_length=200, blank=True)
    summary = models.TextField(_("活动总结"), blank=True)
    closed_at = models.DateTimeField(_("结束时间（归档）"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("发布人"),
    )

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-start", "-pk"]
        indexes = [
            models.Index(fields=["host_type", "host_id"], name="event_host"),
            models.Index(fields=["node", "start"], name="event_node_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="event_end_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    status_badge = BadgeOf("status", EVENT_STATUS_COLOURS)

    @property
    def where(self) -> str:
        return self.venue.name if self.venue_id else self.place


class Registration(BaseModel):
    """One person's place at an event: a resident's account, a registry resident, or a named person/contact.

    `person_key` identifies the person across events for unique-participant counts: the account, else the registry
    row, else the phone, else name and organisation. `token` is what the QR code on the resident's phone carries and
    what the door page accepts typed.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("活动")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_registrations",
        verbose_name=_("居民账号"),
    )
    resident = models.ForeignKey(
        "org.Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_registrations",
        verbose_name=_("居民"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    organisation = models.CharField(_("单位/组织"), max_length=100, blank=True)
    person_key = models.CharField(max_length=120, db_index=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.CONFIRMED
    )
    source = models.CharField(
        _("来源"), max_length=16, choices=RegistrationSource.choices, default=RegistrationSource.H5
    )
    token = models.CharField(_("签到码"), max_length=12, unique=True)
    registered_at = models.DateTimeField(_("报名时间"))
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_path = "event__node__path"
    pii_fields = ("phone",)
    objects = ScopedManager()

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["registered_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "registered_at"], name="registration_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person_key"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="registration_one_active_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.event}"

    status_badge = BadgeOf("status", REGISTRATION_STATUS_COLOURS)


class CheckIn(BaseModel):
    """One person-time: a registration checked in at the door. One per registration, so a second scan is a no-op."""

    audited = False  # the door writes thousands of these; the registration and the event log say who and when

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("活动")
    )
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="checkin", verbose_name=_("报名")
    )
    person_key = models.CharField(max_length=120, db_index=True, editable=False)
    checked_in_at = models.DateTimeField(_("签到时间"), db_index=True)
    method = models.CharField(
        _("方式"), max_length=16, choices=CheckInMethod.choices, default=CheckInMethod.SCAN
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("签到人员"),
    )

    scope_path = "event__node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        ordering = ["-checked_in_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.registration.name} · {self.checked_in_at:%Y-%m-%d %H:%M}"


class EventPhoto(BaseModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos", verbose_name=_("活动"))
    file = models.FileField(_("照片"), upload_to="activities/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "event__node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class EventLog(models.Model):
    """What happened to an event: published, registration, cancellation, head count, closed (the event row)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="log", verbose_name=_("活动"))
    created_at = models.DateTimeField(_("时间"), db_index=True)
    verb = models.CharField(_("动作"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.event} {self.verb}"
