"""Volunteers (志愿服务条例 第7条: 身份信息, 服务技能, 服务时间, 联系方式 — registered with consent), teams, shifts
with slots and a waiting list, service records (hours) confirmed by whoever organised the service (谁记录谁证明),
and the numbered 志愿服务证明 certificates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minsheng.core.badges import BadgeOf
from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedManager

from ..choices import (
    RECORD_STATUS_COLOURS,
    SIGNUP_STATUS_COLOURS,
    CertificateStatus,
    IdType,
    RecordSource,
    RecordStatus,
    SignupStatus,
    TeamKind,
    VolunteerStatus,
)


class Volunteer(BaseModel):
    number = models.CharField(_("志愿者编号"), max_length=20, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, blank=True, choices=[("M", _("男")), ("F", _("女"))])
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.choices, default=IdType.ID_CARD)
    id_number = models.CharField(_("证件号码"), max_length=30, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20)
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("所属社区/村")
    )
    skills = models.CharField(
        _("服务技能"), max_length=200, blank=True, help_text=_("例如：医护、法律、文艺、维修")
    )
    availability = models.CharField(
        _("可服务时间"), max_length=200, blank=True, help_text=_("例如：周末全天、工作日晚上")
    )
    is_party_member = models.BooleanField(_("党员"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
        verbose_name=_("账号"),
    )
    resident = models.OneToOneField(
        "org.Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
        verbose_name=_("居民档案"),
    )
    unit = models.ForeignKey(
        "activities.DualUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteers",
        verbose_name=_("所在报到单位"),
    )
    consent_at = models.DateTimeField(
        _("同意登记时间"), help_text=_("本人同意登记并使用上述信息记录志愿服务")
    )
    consent_text = models.CharField(_("同意的告知书版本"), max_length=50)
    status = models.CharField(
        _("状态"), max_length=16, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE
    )
    registered_at = models.DateTimeField(_("注册时间"))

    scope_path = "node__path"
    pii_fields = ("phone", "id_number")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_type", "id_number"], condition=~Q(id_number=""), name="volunteer_unique_id"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(BaseModel):
    """网格志愿服务队 (one per grid), 党员志愿者队, a 双报到 unit's team. A team that takes cases (上门服务) is also
    a cases 承办单位 (`case_unit`): a case dispatched to that unit credits its volunteers' hours."""

    name = models.CharField(_("队伍名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=TeamKind.choices, default=TeamKind.GRID)
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="volunteer_teams", verbose_name=_("所属社区/村")
    )
    grid = models.OneToOneField(
        "org.Grid",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_team",
        verbose_name=_("网格"),
    )
    unit = models.ForeignKey(
        "activities.DualUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams",
        verbose_name=_("报到单位"),
    )
    leader = models.ForeignKey(
        Volunteer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
        verbose_name=_("队长"),
    )
    members = models.ManyToManyField(Volunteer, blank=True, related_name="teams", verbose_name=_("队员"))
    case_unit = models.OneToOneField(
        "cases.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_team",
        verbose_name=_("对应承办单位"),
        help_text=_("派遣给该承办单位的诉求（上门服务）办结并回访满意后计入志愿时长"),
    )
    visit_hours = models.DecimalField(
        _("上门服务计时（小时/次）"),
        max_digits=4,
        decimal_places=1,
        default=1,
        help_text=_("不含往返途中时间"),
    )

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["node__path", "name"]

    def __str__(self) -> str:
        return self.name


class Shift(BaseModel):
    """A volunteer role at an activity for a time, with a number of slots (岗位/班次)."""

    event = models.ForeignKey(
        "activities.Event",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shifts",
        verbose_name=_("活动"),
    )
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="volunteer_shifts", verbose_name=_("组织")
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shifts",
        verbose_name=_("限定队伍"),
    )
    role = models.CharField(_("岗位"), max_length=50, help_text=_("例如：秩序维护、签到引导、义诊协助"))
    description = models.CharField(_("岗位说明"), max_length=200, blank=True)
    start = models.DateTimeField(_("开始时间"))
    end = models.DateTimeField(_("结束时间"))
    slots = models.PositiveSmallIntegerField(_("人数"))
    reminded_at = models.DateTimeField(_("已提醒"), null=True, blank=True)

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("志愿岗位")
        verbose_name_plural = _("志愿岗位")
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.role} {self.start:%m-%d %H:%M}"


class ShiftSignup(BaseModel):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups", verbose_name=_("岗位"))
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="signups", verbose_name=_("志愿者")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=SignupStatus.choices, default=SignupStatus.CONFIRMED
    )
    signed_up_at = models.DateTimeField(_("报名时间"))
    offered_at = models.DateTimeField(_("递补通知时间"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("递补确认截止"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    scope_path = "shift__node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("岗位报名")
        verbose_name_plural = _("岗位报名")
        ordering = ["signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(status__in=["confirmed", "waitlisted", "offered"]),
                name="signup_one_active_per_volunteer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.shift}"

    status_badge = BadgeOf("status", SIGNUP_STATUS_COLOURS)


class ServiceRecord(BaseModel):
    """One piece of service and its hours: actual service time, travel excluded; counted only once confirmed by
    the organiser (a shift's activity organiser, or the resident's satisfied 回访 of a 上门服务 case)."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="records", verbose_name=_("志愿者")
    )
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="volunteer_records", verbose_name=_("服务地")
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="records", verbose_name=_("队伍")
    )
    unit = models.ForeignKey(
        "activities.DualUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
        verbose_name=_("报到单位"),
    )
    source = models.CharField(_("来源"), max_length=16, choices=RecordSource.choices)
    shift = models.ForeignKey(
        Shift,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
        verbose_name=_("岗位"),
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_records",
        verbose_name=_("诉求"),
    )
    content = models.CharField(_("服务内容"), max_length=200)
    served_on = models.DateField(_("服务日期"), db_index=True)
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=5, decimal_places=1)
    status = models.CharField(
        _("状态"), max_length=16, choices=RecordStatus.choices, default=RecordStatus.PENDING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("记录人"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("确认人"),
    )
    confirmed_by_name = models.CharField(_("确认人/方式"), max_length=100, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        ordering = ["-served_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "shift"], condition=Q(shift__isnull=False), name="record_once_per_shift"
            ),
            models.UniqueConstraint(
                fields=["volunteer", "case"], condition=Q(case__isnull=False), name="record_once_per_case"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="record_hours_in_range"),
        ]
        indexes = [models.Index(fields=["status", "served_on"], name="record_status_day")]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.served_on} {self.hours}h"

    status_badge = BadgeOf("status", RECORD_STATUS_COLOURS)


class Certificate(BaseModel):
    """志愿服务证明 (民政部令第67号): the volunteer, hours and content over a period, the issuer, a number, a date;
    verifiable by anyone through its QR code. The records it covers are copied in, so it says what it said."""

    number = models.CharField(_("证明编号"), max_length=30, unique=True)
    verify_code = models.CharField(_("核验码"), max_length=16, unique=True)
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("志愿者")
    )
    node = models.ForeignKey(
        "org.Node",
        on_delete=models.PROTECT,
        related_name="volunteer_certificates",
        verbose_name=_("出具组织"),
    )
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    hours = models.DecimalField(_("累计时长（小时）"), max_digits=8, decimal_places=1)
    record_count = models.PositiveIntegerField(_("服务次数"))
    items = models.JSONField(_("服务明细"), default=list)
    issuer = models.CharField(_("出具单位"), max_length=100)
    person_in_charge = models.CharField(_("负责人"), max_length=50)
    handler = models.CharField(_("经办人"), max_length=50)
    contact = models.CharField(_("联系电话"), max_length=30)
    issued_at = models.DateTimeField(_("出具时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )

    scope_path = "node__path"
    audit_secret_fields = ("verify_code",)
    objects = ScopedManager()

    class Meta:
        verbose_name = _("志愿服务证明")
        verbose_name_plural = _("志愿服务证明")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.number
