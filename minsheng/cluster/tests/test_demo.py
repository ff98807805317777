import datetime as dt
import importlib
import io

import pytest
from django.apps import apps

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.cluster import demo
from minsheng.cluster.models import Grower, Orchard, Sale, StreamSession
from minsheng.core import metrics as registry
from minsheng.core.calendar import TZ
from minsheng.org import actions as org_actions
from minsheng.org.choices import NodeKind
from minsheng.org.demo import CHERRY_CLUSTER_VILLAGES, STREET_NAME

pytestmark = pytest.mark.django_db


def test_demo_season_through_the_actions_is_labelled_and_idempotent(world, time_machine, monkeypatch):
    time_machine.move_to(dt.datetime(2026, 12, 5, 10, tzinfo=TZ), tick=False)
    importlib.import_module("minsheng.activities.migrations.0002_event_kinds").add_kinds(apps, None)
    street = org_actions.create_node(parent=None, kind=NodeKind.STREET, name=STREET_NAME)
    account_actions.grant_membership(user=world.admin, role=Role.STREET_ADMIN, node=street)
    for name in CHERRY_CLUSTER_VILLAGES[:3]:
        org_actions.create_node(parent=street, kind=NodeKind.VILLAGE, name=name)
    monkeypatch.setattr(demo, "OPEN_FIELD_ORCHARDS", 60)
    monkeypatch.setattr(demo, "TARGET_AREA", demo.Decimal("600"))
    out = io.StringIO()
    demo.load(out)
    assert "演示数据" in out.getvalue()
    assert Orchard.objects.count() == 60 and not Grower.objects.exclude(note=demo.DEMO_NOTE).exists()
    scope = registry.Scope(viewer=world.admin, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 5))
    assert 590 <= registry.value("cluster.area", scope) <= 610
    assert registry.value("cluster.output_value", scope) > 1000  # 万元: ~600亩 × 1000 kg × 30 元
    assert registry.value("cluster.techniques", scope) == len(demo.TECHNIQUES)
    sellers = registry.value("cluster.sellers", scope)
    assert sellers == StreamSession.objects.values("seller").distinct().count() > 0
    assert registry.value("cluster.attendance", scope) > 0
    for sale in Sale.objects.select_related("harvest")[:50]:
        assert sale.volume_kg <= sale.harvest.yield_kg
    demo.load(out)  # a second load changes nothing
    assert Orchard.objects.count() == 60
