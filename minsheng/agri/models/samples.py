"""Samples and their tests: the field sample, its rapid tests and the lab's confirmation."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedManager

from ..choices import (
    LabVerdict,
    RapidMethod,
    RapidResult,
    SampleLevel,
    SampleStatus,
)
from .reference import Commodity, MaximumResidueLimit, Pesticide, PesticideRule
from .registries import Producer


class Sample(BaseModel):
    """One sampled batch (抽样): what, from whom, where, by whom, when, at which level."""

    commodity = models.ForeignKey(Commodity, on_delete=models.PROTECT, related_name="samples")
    producer = models.ForeignKey(
        Producer, null=True, blank=True, on_delete=models.PROTECT, related_name="samples"
    )
    stall = models.CharField(_("市场摊位"), max_length=100, blank=True)
    village = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="agri_samples", verbose_name=_("所在村")
    )
    sampler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agri_samples",
        verbose_name=_("抽样人"),
    )
    sampled_at = models.DateTimeField(_("抽样时间"), db_index=True)
    level = models.CharField(_("抽检级别"), max_length=10, choices=SampleLevel.choices)
    certificate_shown = models.BooleanField(_("出具承诺达标合格证"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=SampleStatus.choices, default=SampleStatus.SAMPLED
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("整改"),
    )
    task = models.ForeignKey(
        "agri.SamplingTask",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="samples",
        verbose_name=_("抽检任务"),
    )
    follow_up_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("复抽自"),
        help_text=_("不合格样品的跟踪复抽"),
    )

    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("抽样")
        verbose_name_plural = _("抽样")
        ordering = ["-sampled_at", "pk"]

    def __str__(self) -> str:
        return f"{self.commodity} {self.sampled_at:%Y-%m-%d}"


class RapidTest(BaseModel):
    """One reading of a rapid test; repeat 0 is the first, 1 and 2 the repeats a positive gets."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="rapid_tests")
    method = models.CharField(_("方法"), max_length=20, choices=RapidMethod.choices)
    repeat_index = models.PositiveSmallIntegerField(_("复测序号"), default=0)
    delta_a0 = models.DecimalField(_("ΔA0"), max_digits=8, decimal_places=4, null=True, blank=True)
    delta_at = models.DecimalField(_("ΔAt"), max_digits=8, decimal_places=4, null=True, blank=True)
    inhibition = models.DecimalField(_("抑制率(%)"), max_digits=7, decimal_places=2, null=True, blank=True)
    pesticide = models.ForeignKey(
        Pesticide,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("检测项目"),
    )
    result = models.CharField(_("结果"), max_length=10, choices=RapidResult.choices)
    false_positive_warning = models.BooleanField(_("易假阳性"), default=False)
    tester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tested_at = models.DateTimeField(_("检测时间"))

    class Meta:
        verbose_name = _("快速检测")
        verbose_name_plural = _("快速检测")
        ordering = ["sample", "repeat_index"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "repeat_index"], name="agri_rapid_repeat_unique"),
        ]


class LabResult(BaseModel):
    """A confirmed concentration, with the limit and ban it was judged against frozen at judging time."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="lab_results")
    pesticide = models.ForeignKey(Pesticide, on_delete=models.PROTECT, related_name="+")
    mg_per_kg = models.DecimalField(
        _("检出值(mg/kg)"), max_digits=10, decimal_places=4, validators=[MinValueValidator(Decimal(0))]
    )
    limit = models.ForeignKey(
        MaximumResidueLimit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    limit_value = models.DecimalField(_("限量"), max_digits=10, decimal_places=4, null=True, blank=True)
    rule = models.ForeignKey(PesticideRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(_("判定"), max_length=20, choices=LabVerdict.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("定量检测结果")
        verbose_name_plural = _("定量检测结果")
