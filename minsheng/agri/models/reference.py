"""Reference data: standards, commodities, pesticides, limits and bans.

Versioned, and every row carries its source: a judgement on a sample must be reproducible from the tables as they
stood on the sample date.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import BaseModel

from ..choices import (
    ChemClass,
    RuleKind,
)


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
