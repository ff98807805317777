"""双报到: unit party organisations and in-service party members report to a community; the community's needs,
the units' resources and their joint projects; the annual evaluation of each unit and member."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.badges import BadgeOf
from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedManager

from ..choices import NEED_STATUS_COLOURS, Grade, NeedStatus, ProjectStatus, ReportStatus, UnitKind


class DualUnit(BaseModel):
    """A 机关企事业单位's party organisation reported to one community (报到单 with an agreement)."""

    name = models.CharField(_("单位名称"), max_length=100)
    kind = models.CharField(_("单位类型"), max_length=16, choices=UnitKind.choices, default=UnitKind.ORGAN)
    party_org_name = models.CharField(_("单位党组织"), max_length=100, blank=True)
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="dual_units", verbose_name=_("报到社区")
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    agreement_no = models.CharField(_("共建协议编号"), max_length=50, blank=True)
    agreement_signed_on = models.DateField(_("协议签订日期"), null=True, blank=True)
    agreement_text = models.TextField(_("共建协议要点"), blank=True)
    reported_on = models.DateField(_("报到日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.ACTIVE
    )

    scope_path = "node__path"
    pii_fields = ("contact_phone",)
    objects = ScopedManager()

    class Meta:
        verbose_name = _("报到单位")
        verbose_name_plural = _("报到单位")
        ordering = ["node__path", "name"]
        constraints = [models.UniqueConstraint(fields=["node", "name"], name="dual_unit_unique_at_node")]

    def __str__(self) -> str:
        return self.name


class DualMember(BaseModel):
    """An in-service party member reported to the community they live in."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    unit = models.ForeignKey(
        DualUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("工作单位"),
    )
    work_unit_name = models.CharField(_("工作单位名称"), max_length=100, blank=True)
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="dual_members", verbose_name=_("居住社区")
    )
    volunteer = models.OneToOneField(
        "activities.Volunteer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dual_member",
        verbose_name=_("志愿者档案"),
    )
    reported_on = models.DateField(_("报到日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.ACTIVE
    )

    scope_path = "node__path"
    pii_fields = ("phone",)
    objects = ScopedManager()

    class Meta:
        verbose_name = _("报到党员")
        verbose_name_plural = _("报到党员")
        ordering = ["node__path", "name"]

    def __str__(self) -> str:
        return self.name


class ResourceItem(BaseModel):
    """资源清单: what a unit offers the community (场地, 专业服务, 物资, 岗位)."""

    unit = models.ForeignKey(
        DualUnit, on_delete=models.CASCADE, related_name="resources", verbose_name=_("单位")
    )
    title = models.CharField(_("资源"), max_length=100)
    description = models.TextField(_("说明"), blank=True)

    scope_path = "unit__node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("资源清单")
        verbose_name_plural = _("资源清单")
        ordering = ["unit", "pk"]

    def __str__(self) -> str:
        return self.title


class NeedItem(BaseModel):
    """需求清单: what the community asks for; a unit claims it, a project carries it out."""

    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="dual_needs", verbose_name=_("社区")
    )
    title = models.CharField(_("需求"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    claimed_by = models.ForeignKey(
        DualUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_needs",
        verbose_name=_("认领单位"),
    )

    scope_path = "node__path"
    status_badge = BadgeOf("status", NEED_STATUS_COLOURS)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("需求清单")
        verbose_name_plural = _("需求清单")
        ordering = ["node__path", "pk"]

    def __str__(self) -> str:
        return self.title


class Project(BaseModel):
    """项目清单: a joint project of the community and one or more units, meeting a need."""

    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="dual_projects", verbose_name=_("社区")
    )
    title = models.CharField(_("项目"), max_length=100)
    description = models.TextField(_("内容"), blank=True)
    need = models.ForeignKey(
        NeedItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
        verbose_name=_("对应需求"),
    )
    units = models.ManyToManyField(DualUnit, blank=True, related_name="projects", verbose_name=_("参与单位"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    start_on = models.DateField(_("开始日期"), null=True, blank=True)
    end_on = models.DateField(_("结束日期"), null=True, blank=True)

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("项目清单")
        verbose_name_plural = _("项目清单")
        ordering = ["node__path", "pk"]

    def __str__(self) -> str:
        return self.title


class Evaluation(BaseModel):
    """The community party organisation's annual evaluation of one unit or one member: the figures are computed
    from the records (activities organised, participation, confirmed hours); the grade is the community's word."""

    year = models.PositiveSmallIntegerField(_("年度"))
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="dual_evaluations", verbose_name=_("社区")
    )
    unit = models.ForeignKey(
        DualUnit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("单位"),
    )
    member = models.ForeignKey(
        DualMember,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("党员"),
    )
    events_organised = models.PositiveIntegerField(_("组织活动次数"), default=0)
    participations = models.PositiveIntegerField(_("参与活动人次"), default=0)
    hours = models.DecimalField(_("志愿服务时长（小时）"), max_digits=9, decimal_places=1, default=0)
    projects = models.PositiveIntegerField(_("参与项目数"), default=0)
    grade = models.CharField(_("评定等次"), max_length=16, choices=Grade.choices, blank=True)
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("评定人"),
    )
    evaluated_at = models.DateTimeField(_("评定时间"), null=True, blank=True)

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("年度评价")
        verbose_name_plural = _("年度评价")
        ordering = ["-year", "unit", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit"], condition=models.Q(unit__isnull=False), name="evaluation_unit_year"
            ),
            models.UniqueConstraint(
                fields=["year", "member"],
                condition=models.Q(member__isnull=False),
                name="evaluation_member_year",
            ),
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True, member__isnull=False)
                | models.Q(unit__isnull=False, member__isnull=True),
                name="evaluation_unit_xor_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit or self.member}"
