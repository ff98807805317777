"""Points as a double-entry ledger (after TimeOverflow): every transfer writes two movements that sum to zero, so
the whole system balances; a balance is the sum of an account's movements, never a stored number. Points are
issued only against a confirmed service record, and spent in the 积分超市."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedManager

from ..choices import AccountKind, ExchangeStatus, TransferReason


class PointRule(BaseModel):
    """The earning rate of one org subtree (the nearest rule up the tree applies)."""

    node = models.OneToOneField(
        "org.Node", on_delete=models.CASCADE, related_name="point_rule", verbose_name=_("适用组织")
    )
    points_per_hour = models.PositiveSmallIntegerField(_("每小时积分"), default=10)
    max_hours_per_record = models.DecimalField(
        _("每次最多计分时长"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("留空表示不封顶"),
    )

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")

    def __str__(self) -> str:
        return f"{self.node} {self.points_per_hour}/h"


class PointAccount(BaseModel):
    kind = models.CharField(_("类型"), max_length=16, choices=AccountKind.choices)
    volunteer = models.OneToOneField(
        "activities.Volunteer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
        verbose_name=_("志愿者"),
    )
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="point_accounts", verbose_name=_("组织")
    )
    name = models.CharField(_("名称"), max_length=100)

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("积分账户")
        verbose_name_plural = _("积分账户")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "node"], condition=~Q(kind="volunteer"), name="point_system_account_per_node"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def balance(self) -> int:
        return self.movements.aggregate(total=Sum("amount"))["total"] or 0


class PointTransfer(BaseModel):
    audited = False  # ledger rows are append-only and carry who and why themselves

    reason = models.CharField(_("事由"), max_length=16, choices=TransferReason.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    record = models.OneToOneField(
        "activities.ServiceRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfer",
        verbose_name=_("服务记录"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("积分流水")
        verbose_name_plural = _("积分流水")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.at:%Y-%m-%d}"


class PointMovement(models.Model):
    transfer = models.ForeignKey(PointTransfer, on_delete=models.PROTECT, related_name="movements")
    account = models.ForeignKey(PointAccount, on_delete=models.PROTECT, related_name="movements")
    amount = models.IntegerField(_("积分变动"))

    class Meta:
        verbose_name = _("积分变动")
        verbose_name_plural = _("积分变动")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="movement_not_zero")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount:+d}"


class MarketItem(BaseModel):
    """A 积分超市 shelf item: what it costs and how many are left."""

    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="market_items", verbose_name=_("积分超市")
    )
    name = models.CharField(_("物品/服务"), max_length=100)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    points = models.PositiveIntegerField(_("所需积分"))
    stock = models.PositiveIntegerField(_("库存"))
    is_active = models.BooleanField(_("上架"), default=True)

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("积分超市物品")
        verbose_name_plural = _("积分超市物品")
        ordering = ["node__path", "points", "pk"]
        constraints = [models.CheckConstraint(condition=Q(points__gt=0), name="market_item_costs_points")]

    def __str__(self) -> str:
        return self.name


class Exchange(BaseModel):
    item = models.ForeignKey(
        MarketItem, on_delete=models.PROTECT, related_name="exchanges", verbose_name=_("物品")
    )
    volunteer = models.ForeignKey(
        "activities.Volunteer", on_delete=models.PROTECT, related_name="exchanges", verbose_name=_("志愿者")
    )
    quantity = models.PositiveSmallIntegerField(_("数量"), default=1)
    points = models.PositiveIntegerField(_("积分"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ExchangeStatus.choices, default=ExchangeStatus.DONE
    )
    transfer = models.OneToOneField(PointTransfer, on_delete=models.PROTECT, related_name="exchange")
    at = models.DateTimeField(_("兑换时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "item__node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("积分兑换")
        verbose_name_plural = _("积分兑换")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.item}"
