"""An enterprise-services world on the personas: an officer, a leader, a department, two enterprises."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.cases.choices import UnitKind
from minsheng.cases.models import Unit
from minsheng.core.calendar import TZ
from minsheng.enterprise import actions, reference
from minsheng.enterprise.choices import SizeClass
from minsheng.enterprise.models import EnterpriseTag, Industry
from minsheng.enterprise.validators import make_uscc

#: A Wednesday in an ordinary working week.
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


@dataclass
class EntWorld:
    w: Any
    officer: Any
    officer_b: Any
    leader: Any
    unit: Any
    office: Any
    ent_a: Any
    ent_b: Any
    contact_a: Any
    contact_b: Any
    industry: Any


def code(n: int) -> str:
    return make_uscc(f"91370724MA{n:07d}"[:17])


@pytest.fixture
def ew(world, password) -> EntWorld:
    reference.load(apps)
    import importlib

    importlib.import_module("minsheng.activities.migrations.0002_event_kinds").add_kinds(apps, None)
    officer = account_actions.create_user(username="officer", display_name="企业服务专员", password=password)
    account_actions.grant_membership(user=officer, role=Role.ENTERPRISE_OFFICER, node=world.street)
    officer_b = account_actions.create_user(username="officer_b", display_name="龙泉专员", password=password)
    account_actions.grant_membership(user=officer_b, role=Role.ENTERPRISE_OFFICER, node=world.community_b)
    leader = account_actions.create_user(username="leader", display_name="街道领导", password=password)
    account_actions.grant_membership(user=leader, role=Role.STREET_LEADER, node=world.street)
    cadre = account_actions.create_user(username="dept", display_name="经发办干部", password=password)
    account_actions.grant_membership(user=cadre, role=Role.STREET_CADRE, node=world.street)
    unit = Unit.objects.create(
        name="经济发展办公室", kind=UnitKind.STREET_OFFICE, node=world.street, leader=leader
    )
    unit.members.set([cadre])
    office = Unit.objects.create(name="自然资源所", kind=UnitKind.EXTERNAL, node=world.street)
    industry = Industry.objects.get(code="C")
    tag = EnterpriseTag.objects.get(name="小微")
    ent_a = actions.create_enterprise(
        actor=officer,
        credit_code=code(1),
        name="颐和食品有限公司",
        industry=industry,
        size=SizeClass.SMALL,
        node=world.community_a,
        address="颐和路1号",
        cadre=officer,
        tags=[tag],
    )
    ent_b = actions.create_enterprise(
        actor=officer,
        credit_code=code(2),
        name="龙泉机械有限公司",
        industry=industry,
        size=SizeClass.MEDIUM,
        node=world.community_b,
    )
    contact_a = actions.add_contact(ent_a, actor=officer, name="张经理", phone="13900000001")
    contact_b = actions.add_contact(ent_b, actor=officer, name="李经理", phone="13900000002")
    return EntWorld(
        w=world,
        officer=officer,
        officer_b=officer_b,
        leader=leader,
        unit=unit,
        office=office,
        ent_a=ent_a,
        ent_b=ent_b,
        contact_a=contact_a,
        contact_b=contact_b,
        industry=industry,
    )
