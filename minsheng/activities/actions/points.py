"""The points ledger and the 积分超市. Every transfer is two movements summing to zero; a balance is a sum of
movements read under a lock on the account row, so two exchanges at once never overdraw (decision 0036)."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.errors import IllegalTransition

from ..choices import AccountKind, ExchangeStatus, RecordStatus, TransferReason
from ..models import (
    Exchange,
    MarketItem,
    PointAccount,
    PointMovement,
    PointRule,
    PointTransfer,
    ServiceRecord,
    Volunteer,
)
from ._common import require

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.org.models import Node


#: Without a rule anywhere up the tree: 1 hour = 10 points (so half hours count), no cap.
DEFAULT_POINTS_PER_HOUR = 10


def account_of(volunteer: Volunteer) -> PointAccount:
    account = PointAccount.objects.filter(volunteer=volunteer).first()
    if account is None:
        account, _created = PointAccount.objects.get_or_create(
            volunteer=volunteer,
            defaults={
                "kind": AccountKind.VOLUNTEER,
                "node": volunteer.node,
                "name": f"{volunteer.number} {volunteer.name}",
            },
        )
    return account


def system_account(kind: str, node: Node) -> PointAccount:
    root = type(node).objects.get(path=node.path[: node.steplen]) if node.depth > 1 else node
    account, _created = PointAccount.objects.get_or_create(
        kind=kind, node=root, volunteer=None, defaults={"name": f"{root.name} {AccountKind(kind).label}"}
    )
    return account


def balance_of(account: PointAccount) -> int:
    return PointMovement.objects.filter(account=account).aggregate(t=Sum("amount"))["t"] or 0


def rule_for(node: Node) -> tuple[int, Decimal | None]:
    prefixes = [node.path[: i * node.steplen] for i in range(1, node.depth + 1)]
    rule = PointRule.objects.filter(node__path__in=prefixes).order_by("-node__depth").first()
    if rule is None:
        return DEFAULT_POINTS_PER_HOUR, None
    return rule.points_per_hour, rule.max_hours_per_record


def points_for(record: ServiceRecord) -> int:
    rate, cap = rule_for(record.node)
    hours = record.hours if cap is None else min(record.hours, cap)
    return int((hours * rate).to_integral_value(rounding=ROUND_DOWN))


def _transfer(
    *,
    source: PointAccount,
    target: PointAccount,
    amount: int,
    reason: str,
    actor: User | None,
    note: str = "",
    record: ServiceRecord | None = None,
) -> PointTransfer:
    if amount <= 0:
        raise ValueError("a transfer moves a positive amount")
    transfer = PointTransfer.objects.create(
        reason=reason, note=note[:200], record=record, by=actor, at=clock.now()
    )
    PointMovement.objects.bulk_create(
        [
            PointMovement(transfer=transfer, account=source, amount=-amount),
            PointMovement(transfer=transfer, account=target, amount=amount),
        ]
    )
    return transfer


def earn_for_record(record: ServiceRecord, actor: User | None) -> PointTransfer | None:
    """Called inside the confirming action: no points without a confirmed record, and never twice for one."""
    if record.status != RecordStatus.CONFIRMED or PointTransfer.objects.filter(record=record).exists():
        return None
    amount = points_for(record)
    if amount <= 0:
        return None
    return _transfer(
        source=system_account(AccountKind.ISSUANCE, record.node),
        target=account_of(record.volunteer),
        amount=amount,
        reason=TransferReason.EARN,
        actor=actor,
        note=_("%(d)s %(c)s %(h)s 小时")
        % {"d": record.served_on, "c": record.content[:80], "h": record.hours},
        record=record,
    )


@transaction.atomic
def do_exchange(item: MarketItem, *, actor: User | None, volunteer: Volunteer, quantity: int = 1) -> Exchange:
    """Spend points on an item. The volunteer's account row is locked first, then the item: the balance read
    under that lock is the balance the debit is written against, so concurrent exchanges serialise."""
    own = actor is not None and volunteer.user_id == actor.pk
    if not own:
        require(actor, Cap.VOLUNTEERS_MANAGE, item.node)
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise ValidationError({"quantity": _("数量必须是整数")}) from None
    if quantity < 1 or quantity > 20:
        raise ValidationError({"quantity": _("数量应在 1 到 20 之间")})
    account = account_of(volunteer)
    account = PointAccount.objects.select_for_update().get(pk=account.pk)
    item = MarketItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_active:
        raise IllegalTransition(_("该物品已下架"))
    if item.stock < quantity:
        raise IllegalTransition(_("库存不足：剩余 %(n)d") % {"n": item.stock})
    cost = item.points * quantity
    balance = balance_of(account)
    if balance < cost:
        raise IllegalTransition(_("积分不足：余额 %(b)d，需要 %(c)d") % {"b": balance, "c": cost})
    transfer = _transfer(
        source=account,
        target=system_account(AccountKind.MARKET, item.node),
        amount=cost,
        reason=TransferReason.EXCHANGE,
        actor=actor,
        note=f"{item.name} × {quantity}",
    )
    item.stock -= quantity
    item.save(update_fields=["stock", "updated_at"])
    return Exchange.objects.create(
        item=item,
        volunteer=volunteer,
        quantity=quantity,
        points=cost,
        transfer=transfer,
        at=clock.now(),
        by=actor,
    )


@transaction.atomic
def do_cancel_exchange(exchange: Exchange, *, actor: User | None, reason: str) -> Exchange:
    """Undo an exchange (the item was not handed over): a reverse transfer, never a deleted one; stock back."""
    exchange = (
        Exchange.objects.select_for_update(of=("self",))
        .select_related("item", "volunteer")
        .get(pk=exchange.pk)
    )
    require(actor, Cap.VOLUNTEERS_MANAGE, exchange.item.node)
    if exchange.status != ExchangeStatus.DONE:
        raise IllegalTransition(_("该兑换已撤销"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请说明撤销原因")})
    item = MarketItem.objects.select_for_update().get(pk=exchange.item_id)
    _transfer(
        source=system_account(AccountKind.MARKET, item.node),
        target=account_of(exchange.volunteer),
        amount=exchange.points,
        reason=TransferReason.REFUND,
        actor=actor,
        note=reason.strip(),
    )
    item.stock += exchange.quantity
    item.save(update_fields=["stock", "updated_at"])
    exchange.status = ExchangeStatus.CANCELLED
    exchange.save(update_fields=["status", "updated_at"])
    return exchange


@transaction.atomic
def do_add_market_item(
    *, actor: User | None, node: Node, name: str, points: int, stock: int, description: str = ""
) -> MarketItem:
    require(actor, Cap.VOLUNTEERS_MANAGE, node)
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("请填写名称")
    if points is None or int(points) < 1:
        errors["points"] = _("所需积分至少为 1")
    if stock is None or int(stock) < 0:
        errors["stock"] = _("库存不能为负数")
    if errors:
        raise ValidationError(errors)
    return MarketItem.objects.create(
        node=node,
        name=name.strip()[:100],
        points=int(points),
        stock=int(stock),
        description=description[:200],
    )


@transaction.atomic
def do_restock(item: MarketItem, *, actor: User | None, add: int) -> MarketItem:
    item = MarketItem.objects.select_for_update().get(pk=item.pk)
    require(actor, Cap.VOLUNTEERS_MANAGE, item.node)
    if add is None or int(add) < 1:
        raise ValidationError({"add": _("补货数量至少为 1")})
    item.stock += int(add)
    item.save(update_fields=["stock", "updated_at"])
    return item
