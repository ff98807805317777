"""The 台账 of the street's agri office: responsibility letters, publicity, packaging-waste recovery, campaigns,
sampling tasks and holiday duty."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedManager

from ..choices import (
    LetterLevel,
    SampleLevel,
    TaskKind,
)
from .reference import Commodity, Pesticide
from .registries import AgriInputStore, Producer


def letter_scan_path(instance, filename: str) -> str:
    return f"agri/letters/{instance.year}/{filename}"


class ResponsibilityLetter(BaseModel):
    """A 质量安全责任书 signed for one year: with a village, a village supervisor or a producer.

    `village` is where the letter belongs (the village itself, one of the supervisor's villages, the producer's
    village); coverage counts each village, supervisor or producer once per year."""

    level = models.CharField(_("层级"), max_length=20, choices=LetterLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    signed_on = models.DateField(_("签订日期"))
    village = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="agri_letters", verbose_name=_("村")
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agri_letters",
        verbose_name=_("监管员"),
    )
    producer = models.ForeignKey(
        Producer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("生产经营主体"),
    )
    party_a = models.CharField(_("甲方签字人"), max_length=100)
    party_b = models.CharField(_("乙方签字人"), max_length=100)
    scan = models.FileField(_("扫描件"), upload_to=letter_scan_path, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("责任书")
        verbose_name_plural = _("责任书")
        ordering = ["-year", "-signed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "village"],
                condition=models.Q(level="village"),
                name="agri_letter_village_year",
            ),
            models.UniqueConstraint(
                fields=["year", "supervisor"],
                condition=models.Q(level="supervisor"),
                name="agri_letter_supervisor_year",
            ),
            models.UniqueConstraint(
                fields=["year", "producer"],
                condition=models.Q(level="producer"),
                name="agri_letter_producer_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_level_display()} {self.party_b}"


class PublicityRecord(BaseModel):
    """宣传资料发放: what was handed out, where, how many, to whom."""

    given_on = models.DateField(_("发放日期"))
    village = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="agri_publicity", verbose_name=_("村")
    )
    place = models.CharField(_("发放地点"), max_length=100, blank=True)
    material = models.CharField(_("宣传资料"), max_length=100)
    quantity = models.PositiveIntegerField(_("数量(份)"), validators=[MinValueValidator(1)])
    recipients = models.CharField(_("发放对象"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("宣传资料发放")
        verbose_name_plural = _("宣传资料发放")
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.given_on} {self.material} ×{self.quantity}"


class WasteRecovery(BaseModel):
    """农药包装废弃物回收: kilograms recovered on one day in a village, at an agri-input store when there is one."""

    recovered_on = models.DateField(_("回收日期"))
    village = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="agri_waste", verbose_name=_("村")
    )
    store = models.ForeignKey(
        AgriInputStore,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="waste_recoveries",
        verbose_name=_("回收门店"),
    )
    kg = models.DecimalField(
        _("重量(kg)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("包装废弃物回收")
        verbose_name_plural = _("包装废弃物回收")
        ordering = ["-recovered_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.recovered_on} {self.kg} kg"


class Campaign(BaseModel):
    """专项行动 (治违禁 控药残 促提升): a period, key products and, per product, the high-risk pesticides staff enter."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    basis = models.CharField(_("文件依据"), max_length=300, blank=True)
    description = models.TextField(_("说明"), blank=True)

    scope_path = ""
    objects = ScopedManager()

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-start", "pk"]

    def __str__(self) -> str:
        return self.name


class CampaignProduct(BaseModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="products")
    commodity = models.ForeignKey(
        Commodity, on_delete=models.PROTECT, related_name="+", verbose_name=_("重点品种")
    )
    pesticides = models.ManyToManyField(Pesticide, blank=True, related_name="+", verbose_name=_("高风险农药"))
    source = models.CharField(_("来源"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("重点品种")
        verbose_name_plural = _("重点品种")
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "commodity"], name="agri_campaign_product_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.commodity}"


class SamplingTask(BaseModel):
    """An assigned sampling task (抽检任务) at one level, for a period, optionally under a campaign.

    `weekly_quota` is the minimum per ISO week (街道: 10 vegetable batches); `target` a total for the period."""

    name = models.CharField(_("任务名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=TaskKind.choices, default=TaskKind.ROUTINE)
    level = models.CharField(_("抽检级别"), max_length=10, choices=SampleLevel.choices)
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("专项行动"),
    )
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="agri_tasks", verbose_name=_("负责单位")
    )
    commodity = models.ForeignKey(
        Commodity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("抽检品种（含下级）"),
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    weekly_quota = models.PositiveIntegerField(_("每周最少批次"), null=True, blank=True)
    target = models.PositiveIntegerField(_("任务总批次"), null=True, blank=True)
    holiday = models.CharField(_("节日"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("抽检任务")
        verbose_name_plural = _("抽检任务")
        ordering = ["-start", "pk"]

    def __str__(self) -> str:
        return self.name


class DutyShift(BaseModel):
    """节假日值班: one person on duty on one day of a statutory holiday period."""

    day = models.DateField(_("值班日期"), db_index=True)
    holiday = models.CharField(_("节日"), max_length=40)
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="agri_duty", verbose_name=_("单位")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agri_duty",
        verbose_name=_("值班人员"),
    )
    leader = models.BooleanField(_("带班领导"), default=False)
    phone = models.CharField(_("值班电话"), max_length=20, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("节假日值班")
        verbose_name_plural = _("节假日值班")
        ordering = ["day", "-leader", "pk"]
        constraints = [models.UniqueConstraint(fields=["day", "node", "person"], name="agri_duty_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.person}"
