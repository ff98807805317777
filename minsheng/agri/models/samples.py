"""Agricultural product quality-safety supervision: sourced reference data, registries, samples and tests.

Reference data (standards, commodities, pesticides, limits, bans) is versioned and every row carries its source:
a judgement on a sample must be reproducible from the tables as they stood on the sample date.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import BaseModel
from minsheng.core.pinyin import pinyin_key
from minsheng.core.scoping import ScopedManager

from .choices import (
    CertificateBasis,
    CertificateStatus,
    CertificateStyle,
    CheckResult,
    ChemClass,
    LabVerdict,
    ProducerKind,
    RapidMethod,
    RapidResult,
    RuleKind,
    SampleLevel,
    SampleStatus,
)

# -- reference data -------------------------------------------------------------------------------------------


class StandardDoc(BaseModel):
    """A standard or amendment (GB 2763-2021, GB 2763.1-2022): its limits apply from `effective_from`."""

    code = models.CharField(_("标准号"), max_length=40, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    effective_from = models.DateField(_("实施日期"))
    withdrawn_on = models.DateField(_("废止日期"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=300)

    class Meta:
        verbose_name = _("标准")
        verbose_name_plural = _("标准")
        ordering = ["effective_from", "code"]

    def __str__(self) -> str:
        return self.code


class CommodityQuerySet(models.QuerySet):
    def resolve(self, name: str) -> "Commodity | None":
        """A commodity by its name or one of its aliases (豆角 → 豇豆)."""
        name = (name or "").strip()
        found = self.filter(name=name).first()
        if found is None:
            alias = CommodityAlias.objects.select_related("commodity").filter(name=name).first()
            found = alias.commodity if alias else None
        return found


class Commodity(BaseModel):
    """A node of the GB 2763 food classification (蔬菜 > 豆类蔬菜 > 豇豆). Shallow, so a parent link is enough."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级"),
    )

    objects = CommodityQuerySet.as_manager()

    class Meta:
        verbose_name = _("食品类别")
        verbose_name_plural = _("食品类别")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def lineage(self) -> list["Commodity"]:
        """Itself, then its parent, up to the top: the order in which a limit is looked for."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def path_label(self) -> str:
        return " > ".join(n.name for n in reversed(self.lineage()))

    def is_within(self, other: "Commodity") -> bool:
        return any(n.pk == other.pk for n in self.lineage())


class CommodityAlias(BaseModel):
    name = models.CharField(_("别名"), max_length=50, unique=True)
    commodity = models.ForeignKey(
        Commodity, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("食品类别")
    )

    class Meta:
        verbose_name = _("食品别名")
        verbose_name_plural = _("食品别名")

    def __str__(self) -> str:
        return f"{self.name} → {self.commodity}"


class Pesticide(BaseModel):
    name = models.CharField(_("农药名称"), max_length=50, unique=True)
    chem_class = models.CharField(
        _("类别"), max_length=20, choices=ChemClass.choices, default=ChemClass.UNKNOWN
    )
    source = models.CharField(_("来源"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("农药")
        verbose_name_plural = _("农药")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def enzyme_inhibitable(self) -> bool:
        """Organophosphates and carbamates inhibit cholinesterase: only they show on an enzyme-inhibition card."""
        return self.chem_class in (ChemClass.ORGANOPHOSPHATE, ChemClass.CARBAMATE)


class MaximumResidueLimit(BaseModel):
    """One MRL row of one standard version; `excluded` carves out sub-nodes (茄果类蔬菜, 番茄除外)."""

    pesticide = models.ForeignKey(Pesticide, on_delete=models.PROTECT, related_name="limits")
    commodity = models.ForeignKey(Commodity, on_delete=models.PROTECT, related_name="limits")
    excluded = models.ManyToManyField(Commodity, blank=True, related_name="+", verbose_name=_("除外"))
    mg_per_kg = models.DecimalField(
        _("最大残留限量(mg/kg)"), max_digits=10, decimal_places=4, validators=[MinValueValidator(Decimal(0))]
    )
    temporary = models.BooleanField(_("临时限量"), default=False)
    standard = models.ForeignKey(StandardDoc, on_delete=models.PROTECT, related_name="limits")
    source = models.CharField(_("来源"), max_length=300)

    class Meta:
        verbose_name = _("最大残留限量")
        verbose_name_plural = _("最大残留限量")
        constraints = [
            models.UniqueConstraint(fields=["pesticide", "commodity", "standard"], name="agri_mrl_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.pesticide}/{self.commodity} {self.mg_per_kg} ({self.standard})"


class PesticideRule(BaseModel):
    """A ban: on everything (全面禁用) or on crop scopes (在…上禁用), in force from/until dates.

    A null `effective_from` means the ban predates every sample this system judges (its date is not recorded)."""

    pesticide = models.ForeignKey(Pesticide, on_delete=models.PROTECT, related_name="rules")
    kind = models.CharField(_("类型"), max_length=20, choices=RuleKind.choices)
    scopes = models.ManyToManyField(Commodity, blank=True, related_name="+", verbose_name=_("禁用范围"))
    scope_text = models.CharField(_("范围原文"), max_length=200, blank=True)
    effective_from = models.DateField(_("起始日期"), null=True, blank=True)
    effective_to = models.DateField(_("截止日期"), null=True, blank=True)
    announcement = models.CharField(_("公告"), max_length=50, blank=True)
    source = models.CharField(_("来源"), max_length=300)

    class Meta:
        verbose_name = _("禁限用规定")
        verbose_name_plural = _("禁限用规定")
        ordering = ["pesticide", "effective_from"]

    def __str__(self) -> str:
        return f"{self.pesticide} {self.get_kind_display()} {self.announcement}"

    def in_force(self, on_date) -> bool:
        return (self.effective_from is None or self.effective_from <= on_date) and (
            self.effective_to is None or on_date < self.effective_to
        )


# -- registries -----------------------------------------------------------------------------------------------


class Producer(BaseModel):
    """A 生产经营主体 in a village: the party a failed sample is traced back to."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=ProducerKind.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    subject_code = models.CharField(_("主体码"), max_length=40, blank=True)
    village = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="agri_producers", verbose_name=_("所在村")
    )
    crops = models.ManyToManyField(
        Commodity, blank=True, related_name="producers", verbose_name=_("种植品种")
    )
    area_mu = models.DecimalField(_("面积(亩)"), max_digits=10, decimal_places=2, null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    search_key = models.CharField(max_length=300, blank=True, editable=False)

    pii_fields = ("phone",)
    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("生产经营主体")
        verbose_name_plural = _("生产经营主体")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Searching by pinyin (wjz, wangjiazhuang) is how a supervisor finds 王家庄 on a phone keyboard.
        self.search_key = pinyin_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)


class AgriInputStore(BaseModel):
    name = models.CharField(_("名称"), max_length=100)
    licence_no = models.CharField(_("农药经营许可证号"), max_length=50, blank=True)
    designated_outlet = models.BooleanField(_("限用农药定点经营"), default=False)
    village = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="agri_stores", verbose_name=_("所在村")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)

    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("农资门店")
        verbose_name_plural = _("农资门店")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


# -- sampling and tests ---------------------------------------------------------------------------------------


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


# -- 承诺达标合格证 ----------------------------------------------------------------------------------------------


class Certificate(BaseModel):
    """A 承诺达标合格证 issued for one batch. Once voided it is frozen: the actions refuse any further change.

    `token` is what the QR code carries: the printed number is sequential and guessable, the token is not."""

    number = models.CharField(_("合格证编号"), max_length=20, unique=True)
    token = models.CharField(max_length=32, unique=True, editable=False)
    style = models.CharField(_("样式"), max_length=20, choices=CertificateStyle.choices)
    producer = models.ForeignKey(
        Producer, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("开具主体")
    )
    commodity = models.ForeignKey(
        Commodity, on_delete=models.PROTECT, related_name="+", verbose_name=_("品种")
    )
    product_name = models.CharField(_("农产品名称"), max_length=100)
    quantity = models.DecimalField(
        _("数量"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit = models.CharField(_("单位"), max_length=10, default="kg")
    origin = models.CharField(_("产地"), max_length=200)
    contact_phone = models.CharField(_("联系方式"), max_length=20)
    basis = models.CharField(_("承诺依据"), max_length=20, choices=CertificateBasis.choices)
    upstream_numbers = models.CharField(_("上游合格证编号"), max_length=500, blank=True)
    issued_on = models.DateField(_("开具日期"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    pii_fields = ("contact_phone",)
    scope_path = "producer__village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("承诺达标合格证")
        verbose_name_plural = _("承诺达标合格证")
        ordering = ["-issued_on", "-number"]

    def __str__(self) -> str:
        return self.number


# -- store inspections ----------------------------------------------------------------------------------------


class StoreInspection(BaseModel):
    """A monthly inspection of an agri-input store; a 不符合 item opens a rectification case, and the re-check is
    another inspection pointing back at this one."""

    store = models.ForeignKey(AgriInputStore, on_delete=models.PROTECT, related_name="inspections")
    month = models.DateField(_("检查月份"), help_text=_("该月1日"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    inspected_at = models.DateTimeField(_("检查时间"))
    recheck_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rechecks",
        verbose_name=_("复查"),
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("整改"),
    )
    rectify_by = models.DateTimeField(
        _("整改期限"), null=True, blank=True, help_text=_("有不符合项时告知门店的整改期限，到期复查")
    )

    scope_path = "store__village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("农资门店检查")
        verbose_name_plural = _("农资门店检查")
        ordering = ["-inspected_at"]

    @property
    def findings(self):
        return [item for item in self.items.all() if item.result == CheckResult.NO]

    @property
    def recheck_overdue(self) -> bool:
        from minsheng.core import clock

        return bool(self.rectify_by and self.rectify_by < clock.now() and not self.rechecks.exists())


class InspectionItem(BaseModel):
    inspection = models.ForeignKey(StoreInspection, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("检查项"), max_length=30)
    result = models.CharField(_("结果"), max_length=5, choices=CheckResult.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["inspection", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "code"], name="agri_inspection_item_unique")
        ]


# -- ledgers, campaigns, sampling tasks, holiday duty (the 台账 of the street's agri office) -------------------


class LetterLevel(models.TextChoices):
    VILLAGE = "village", _("村级")
    SUPERVISOR = "supervisor", _("监管员")
    PRODUCER = "producer", _("生产经营主体")


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


class TaskKind(models.TextChoices):
    ROUTINE = "routine", _("日常抽检")
    CAMPAIGN = "campaign", _("专项抽检")
    PRE_HOLIDAY = "pre_holiday", _("节前抽检")


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


def inspection_photo_path(instance, filename: str) -> str:
    return f"agri/inspections/{instance.inspection_id}/{filename}"


class InspectionPhoto(BaseModel):
    """Evidence taken at the counter: a photo of one checklist item (`code`) or of the visit as a whole (blank)."""

    inspection = models.ForeignKey(StoreInspection, on_delete=models.CASCADE, related_name="photos")
    code = models.CharField(_("检查项"), max_length=30, blank=True)
    file = models.FileField(_("照片"), upload_to=inspection_photo_path)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")
        ordering = ["inspection", "pk"]
