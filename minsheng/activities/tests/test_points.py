"""The double-entry ledger and the 积分超市: balances derived, exchanges beyond the balance refused, concurrent
exchanges never overdraw (PostgreSQL)."""

import threading

import pytest
from django.db import connection
from django.db.models import Sum

from minsheng.activities.actions import points, volunteers
from minsheng.activities.models import Exchange, MarketItem, PointMovement, PointRule
from minsheng.core.errors import IllegalTransition
from minsheng.testing.fixtures import require_postgres


def _earn(aw, volunteer, hours):
    return volunteers.do_record_service(
        volunteer, actor=aw.w.worker_a, content="服务", served_on=aw.now.date(), hours=hours, confirm=True
    )


def _item(aw, cost=30, stock=10):
    return points.do_add_market_item(
        actor=aw.w.worker_a, node=aw.w.community_a, name="洗衣液", points=cost, stock=stock
    )


@pytest.mark.django_db
def test_every_transfer_balances_to_zero(aw, volunteer):
    _earn(aw, volunteer, "4")
    item = _item(aw)
    points.do_exchange(item, actor=aw.w.resident, volunteer=volunteer)
    assert PointMovement.objects.aggregate(t=Sum("amount"))["t"] == 0
    for transfer_id in PointMovement.objects.values_list("transfer_id", flat=True).distinct():
        assert PointMovement.objects.filter(transfer_id=transfer_id).count() == 2
        assert PointMovement.objects.filter(transfer_id=transfer_id).aggregate(t=Sum("amount"))["t"] == 0
    assert points.balance_of(points.account_of(volunteer)) == 10
    item.refresh_from_db()
    assert item.stock == 9


@pytest.mark.django_db
def test_exchange_beyond_balance_refused_and_changes_nothing(aw, volunteer):
    _earn(aw, volunteer, "2")  # 20 points
    item = _item(aw, cost=30)
    with pytest.raises(IllegalTransition, match="积分不足"):
        points.do_exchange(item, actor=aw.w.resident, volunteer=volunteer)
    assert not Exchange.objects.exists()
    assert MarketItem.objects.get(pk=item.pk).stock == 10
    assert points.balance_of(points.account_of(volunteer)) == 20


@pytest.mark.django_db
def test_stock_and_rules(aw, volunteer):
    PointRule.objects.create(
        node=aw.w.street, points_per_hour=1, max_hours_per_record=2
    )  # 海林: 1 h = 1 point, ≤ 2 h
    _earn(aw, volunteer, "5")
    assert points.balance_of(points.account_of(volunteer)) == 2
    item = _item(aw, cost=1, stock=1)
    with pytest.raises(IllegalTransition, match="库存不足"):
        points.do_exchange(item, actor=aw.w.resident, volunteer=volunteer, quantity=2)
    exchange = points.do_exchange(item, actor=aw.w.resident, volunteer=volunteer)
    points.do_cancel_exchange(exchange, actor=aw.w.worker_a, reason="未领取")
    assert points.balance_of(points.account_of(volunteer)) == 2
    assert MarketItem.objects.get(pk=item.pk).stock == 1


@pytest.mark.django_db
def test_others_cannot_spend_my_points(aw, volunteer):
    from django.core.exceptions import PermissionDenied

    _earn(aw, volunteer, "5")
    with pytest.raises(PermissionDenied):
        points.do_exchange(_item(aw), actor=aw.w.grid_b, volunteer=volunteer)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_exchanges_never_overdraw(aw, volunteer):
    require_postgres()
    _earn(aw, volunteer, "5")  # 50 points: one 30-point exchange fits, two do not
    item = _item(aw, cost=30, stock=10)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def spend():
        try:
            barrier.wait()
            points.do_exchange(MarketItem.objects.get(pk=item.pk), actor=aw.w.resident, volunteer=volunteer)
            outcomes.append("ok")
        except IllegalTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=spend) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert points.balance_of(points.account_of(volunteer)) == 20
    assert MarketItem.objects.get(pk=item.pk).stock == 9
