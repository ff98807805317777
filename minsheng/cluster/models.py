"""The cherry cluster's economy: growers, orchards, harvests and sales, techniques, trainings and live-stream sellers.

Every row belongs to a village (`scope_path = "village__path"`), so a village supervisor sees and keeps their own
village and a street cadre the street. Enterprises and iot greenhouses belong to other domains: an agreement points
at its enterprise through a generic link, an orchard stores the id of its iot greenhouse (decision 0046).
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedManager

from .choices import (
    AgreementKind,
    Channel,
    Grade,
    OrchardKind,
    OrgKind,
    Package,
    Platform,
    TechniqueKind,
    TrainingKind,
    Variety,
)

VILLAGE = {"kind": "village"}
POSITIVE = [MinValueValidator(Decimal("0.01"))]


def _village(related_name: str):
    return models.ForeignKey(
        "org.Node",
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=_("所在村"),
        limit_choices_to=VILLAGE,
    )


class Grower(BaseModel):
    """A cherry-growing household: linked to the resident registry when it is there, else entered by name."""

    name = models.CharField(_("户主姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, db_index=True)
    village = _village("cherry_growers")
    resident = models.ForeignKey(
        "org.Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cherry_growers",
        verbose_name=_("居民档案"),
    )
    household = models.ForeignKey(
        "org.Household",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cherry_growers",
        verbose_name=_("户"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    pii_fields = ("phone",)
    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("种植户")
        verbose_name_plural = _("种植户")
        ordering = ["village_id", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Orchard(BaseModel):
    grower = models.ForeignKey(
        Grower, on_delete=models.PROTECT, related_name="orchards", verbose_name=_("种植户")
    )
    name = models.CharField(_("名称"), max_length=100)
    village = _village("cherry_orchards")
    kind = models.CharField(
        _("类型"), max_length=12, choices=OrchardKind.choices, default=OrchardKind.OPEN_FIELD
    )
    area_mu = models.DecimalField(_("面积（亩）"), max_digits=8, decimal_places=2, validators=POSITIVE)
    variety = models.CharField(_("主栽品种"), max_length=12, choices=Variety.choices)
    planted_year = models.PositiveSmallIntegerField(_("栽植年份"))
    #: The iot app's greenhouse row (its primary key): the cluster does not import iot (decision 0046).
    iot_greenhouse_id = models.PositiveIntegerField(_("物联网大棚编号"), null=True, blank=True, unique=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)

    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("果园")
        verbose_name_plural = _("果园")
        ordering = ["village_id", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Organisation(BaseModel):
    """A cooperative (合作社) or family farm (家庭农场) and the growers who belong to it."""

    kind = models.CharField(_("类型"), max_length=12, choices=OrgKind.choices)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    village = _village("cherry_organisations")
    leader = models.CharField(_("负责人"), max_length=50, blank=True)
    members = models.ManyToManyField(Grower, blank=True, related_name="organisations", verbose_name=_("成员"))

    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("合作社/家庭农场")
        verbose_name_plural = _("合作社/家庭农场")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Agreement(BaseModel):
    """带动: a leading enterprise buys from or serves a cooperative or a grower — who, what, how much."""

    enterprise_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    enterprise_id = models.PositiveIntegerField()
    enterprise = GenericForeignKey("enterprise_type", "enterprise_id")
    #: The enterprise's name when the agreement was recorded: lists never read the other domain's table.
    enterprise_name = models.CharField(_("龙头企业"), max_length=100)
    kind = models.CharField(_("协议类型"), max_length=10, choices=AgreementKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("合作社/家庭农场"),
    )
    grower = models.ForeignKey(
        Grower,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("种植户"),
    )
    village = _village("cherry_agreements")
    subject = models.CharField(_("内容"), max_length=200, help_text=_("收购什么、提供什么服务"))
    volume_kg = models.DecimalField(
        _("约定数量（千克）"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    amount_yuan = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    signed_on = models.DateField(_("签订日期"))

    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("带动协议")
        verbose_name_plural = _("带动协议")
        ordering = ["-signed_on", "pk"]
        indexes = [models.Index(fields=["enterprise_type", "enterprise_id"], name="cluster_agreement_ent")]

    def __str__(self) -> str:
        return f"{self.enterprise_name} → {self.organisation or self.grower}"


class Harvest(BaseModel):
    orchard = models.ForeignKey(
        Orchard, on_delete=models.PROTECT, related_name="harvests", verbose_name=_("果园")
    )
    season = models.PositiveSmallIntegerField(_("产季（年）"))
    harvested_on = models.DateField(_("采收日期"))
    yield_kg = models.DecimalField(_("产量（千克）"), max_digits=12, decimal_places=1, validators=POSITIVE)
    grade = models.CharField(_("等级"), max_length=10, choices=Grade.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "orchard__village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("采收")
        verbose_name_plural = _("采收")
        ordering = ["-harvested_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.orchard} {self.season} {self.get_grade_display()}"


class Sale(BaseModel):
    harvest = models.ForeignKey(
        Harvest, on_delete=models.PROTECT, related_name="sales", verbose_name=_("采收")
    )
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    platform = models.CharField(_("平台"), max_length=10, choices=Platform.choices, blank=True)
    volume_kg = models.DecimalField(_("销量（千克）"), max_digits=12, decimal_places=1, validators=POSITIVE)
    price = models.DecimalField(_("单价（元/千克）"), max_digits=8, decimal_places=2, validators=POSITIVE)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, editable=False)
    sold_on = models.DateField(_("销售日期"))
    seller = models.ForeignKey(
        Grower,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sold_for_others",
        verbose_name=_("带货达人"),
    )
    buyer = models.CharField(_("买方"), max_length=100, blank=True)

    scope_path = "harvest__orchard__village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("销售")
        verbose_name_plural = _("销售")
        ordering = ["-sold_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.harvest} {self.get_channel_display()} {self.volume_kg}"


class Technique(BaseModel):
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    kind = models.CharField(
        _("类型"), max_length=10, choices=TechniqueKind.choices, default=TechniqueKind.TECHNIQUE
    )
    institution = models.CharField(_("引进单位"), max_length=60, help_text=_("中国农科院、山东农业大学等"))
    introduced_year = models.PositiveSmallIntegerField(_("引进年份"))
    description = models.TextField(_("说明"), blank=True)
    #: Adopted by a greenhouse's own data (sensors reporting through a gateway) as well as by a recorded adoption.
    by_data = models.BooleanField(_("按物联网数据认定"), default=False)

    scope_path = ""
    objects = ScopedManager()

    class Meta:
        verbose_name = _("技术")
        verbose_name_plural = _("技术")
        ordering = ["introduced_year", "pk"]

    def __str__(self) -> str:
        return self.name


class Adoption(BaseModel):
    technique = models.ForeignKey(
        Technique, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("技术")
    )
    orchard = models.ForeignKey(
        Orchard, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("果园")
    )
    adopted_on = models.DateField(_("采用日期"))

    scope_path = "orchard__village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("技术采用")
        verbose_name_plural = _("技术采用")
        constraints = [models.UniqueConstraint(fields=["technique", "orchard"], name="cluster_adoption_once")]

    def __str__(self) -> str:
        return f"{self.orchard} {self.technique}"


class Centre(BaseModel):
    """A 带货达人孵化中心: an activities venue plus the packages it offers."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    village = _village("cherry_centres")
    venue = models.ForeignKey(
        "activities.Venue", on_delete=models.PROTECT, related_name="+", verbose_name=_("场地")
    )
    packages = models.JSONField(_("服务套餐"), default=list, help_text=_("仓播、村播、云播中的若干种"))

    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("孵化中心")
        verbose_name_plural = _("孵化中心")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Training(BaseModel):
    """An expert training or a live-selling class: the host record of one activities event (registration, check-in)."""

    kind = models.CharField(_("类型"), max_length=10, choices=TrainingKind.choices)
    title = models.CharField(_("培训名称"), max_length=120)
    #: Empty only inside the transaction that creates both (the event is hosted by this row, so it comes second).
    event = models.OneToOneField(
        "activities.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cherry_training",
        verbose_name=_("活动"),
    )
    village = _village("cherry_trainings")
    technique = models.ForeignKey(
        Technique,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainings",
        verbose_name=_("培训技术"),
    )
    institution = models.CharField(_("专家单位"), max_length=60, blank=True)
    expert = models.CharField(_("授课专家"), max_length=50, blank=True)
    centre = models.ForeignKey(
        Centre,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name=_("孵化中心"),
    )
    package = models.CharField(_("套餐"), max_length=10, choices=Package.choices, blank=True)

    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.title


class StreamSession(BaseModel):
    """One live-stream selling session: going live is what makes a trainee a 带货达人."""

    seller = models.ForeignKey(
        Grower, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("主播")
    )
    platform = models.CharField(_("平台"), max_length=10, choices=Platform.choices)
    held_on = models.DateField(_("直播日期"))
    products = models.CharField(_("商品"), max_length=200)
    orders = models.PositiveIntegerField(_("订单数"))
    sales_yuan = models.DecimalField(_("销售额（元）"), max_digits=14, decimal_places=2)
    centre = models.ForeignKey(
        Centre,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        verbose_name=_("孵化中心"),
    )
    package = models.CharField(_("套餐"), max_length=10, choices=Package.choices, blank=True)

    scope_path = "seller__village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("直播场次")
        verbose_name_plural = _("直播场次")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.seller} {self.held_on}"
