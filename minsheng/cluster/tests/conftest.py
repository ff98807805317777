"""A cherry world on the personas: two villages under the street, a village supervisor in each, a street cadre and a
leader, a grower with an orchard, an expert and a live-selling training."""

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.activities.models import Venue
from minsheng.cluster import actions
from minsheng.cluster.choices import Package, TrainingKind, Variety
from minsheng.core.calendar import TZ
from minsheng.org import actions as org_actions
from minsheng.org.choices import NodeKind

NOW = dt.datetime(2026, 7, 1, 10, 0, tzinfo=TZ)


@dataclass
class CherryWorld:
    w: Any
    yuezhuang: Any
    henglilu: Any
    supervisor: Any
    supervisor_b: Any
    cadre: Any
    leader: Any
    grower: Any
    orchard: Any
    technique: Any
    centre: Any
    live_class: Any


@pytest.fixture
def cw(world, password, time_machine) -> CherryWorld:
    time_machine.move_to(NOW, tick=False)
    importlib.import_module("minsheng.activities.migrations.0002_event_kinds").add_kinds(apps, None)
    yz = org_actions.create_node(parent=world.street, kind=NodeKind.VILLAGE, name="月庄村")
    hll = org_actions.create_node(parent=world.street, kind=NodeKind.VILLAGE, name="衡里炉村")

    def user(name: str, role: str, node: Any) -> Any:
        u = account_actions.create_user(username=name, display_name=name, password=password)
        account_actions.grant_membership(user=u, role=role, node=node)
        return u

    supervisor = user("yz_sup", Role.VILLAGE_SUPERVISOR, yz)
    supervisor_b = user("hll_sup", Role.VILLAGE_SUPERVISOR, hll)
    cadre = user("agri_cadre", Role.STREET_CADRE, world.street)
    leader = user("boss", Role.STREET_LEADER, world.street)
    grower = actions.do_register_grower(actor=supervisor, name="王建国", phone="13800000011", village=yz)
    orchard = actions.do_add_orchard(
        grower, actor=supervisor, name="王家东园", area_mu="12.5", variety=Variety.MEIZAO, planted_year=2015
    )
    technique = actions.do_add_technique(
        actor=cadre, code="cold_chain", name="冷链降温", institution="中国农科院", introduced_year=2020
    )
    venue = Venue.objects.create(name="月庄直播基地", node=yz)
    centre = actions.do_create_centre(
        actor=cadre,
        name="月庄带货达人孵化中心",
        village=yz,
        venue=venue,
        packages=[Package.WAREHOUSE, Package.CLOUD],
    )
    live_class = actions.do_schedule_training(
        actor=cadre,
        kind=TrainingKind.ECOMMERCE,
        title="抖音直播带货入门",
        village=yz,
        start=NOW - dt.timedelta(hours=1),
        end=NOW + dt.timedelta(hours=2),
        centre=centre,
        package=Package.WAREHOUSE,
    )
    return CherryWorld(
        w=world,
        yuezhuang=yz,
        henglilu=hll,
        supervisor=supervisor,
        supervisor_b=supervisor_b,
        cadre=cadre,
        leader=leader,
        grower=grower,
        orchard=orchard,
        technique=technique,
        centre=centre,
        live_class=live_class,
    )


def make_enterprise(name: str, code: str, node: Any, *, leading: bool = True) -> Any:
    """An enterprise of the registry, tagged 龙头企业 unless `leading=False`."""
    from minsheng.enterprise import reference
    from minsheng.enterprise.models import Enterprise, EnterpriseTag, Industry

    reference.load(apps)
    enterprise = Enterprise.objects.create(
        credit_code=code, name=name, industry=Industry.objects.get(code="C"), size="large", node=node
    )
    if leading:
        tag, _ = EnterpriseTag.objects.get_or_create(name="龙头企业")
        enterprise.tags.add(tag)
    return enterprise
