"""A small case world on top of the personas: a unit per community, a street office, routing rules."""

from dataclasses import dataclass
from typing import Any

import pytest

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.cases.choices import UnitKind
from minsheng.cases.models import Category, RoutingRule, Unit
from minsheng.org import actions as org_actions
from minsheng.testing.world import square


@dataclass
class CaseWorld:
    w: Any
    unit_a: Unit
    unit_b: Unit
    office: Unit
    cadre: Any
    leader: Any
    grid: Any
    cat_sewer: Category
    cat_building: Category
    cat_consult: Category


@pytest.fixture
def cw(world, password) -> CaseWorld:
    cadre = account_actions.create_user(username="cadre", display_name="城管科干部", password=password)
    account_actions.grant_membership(user=cadre, role=Role.STREET_CADRE, node=world.street)
    leader = account_actions.create_user(username="leader", display_name="街道领导", password=password)
    account_actions.grant_membership(user=leader, role=Role.STREET_LEADER, node=world.street)
    unit_a = Unit.objects.create(
        name="颐和社区居委会", kind=UnitKind.COMMUNITY, node=world.community_a, leader=world.worker_a
    )
    unit_a.members.set([world.worker_a, world.grid_a])
    unit_b = Unit.objects.create(name="龙泉社区居委会", kind=UnitKind.COMMUNITY, node=world.community_b)
    unit_b.members.set([world.grid_b])
    office = Unit.objects.create(name="城管科", kind=UnitKind.STREET_OFFICE, node=world.street, leader=leader)
    office.members.set([cadre])
    grid = org_actions.create_grid(
        community=world.community_a,
        name="颐和一网格",
        boundary=square(118.50, 36.50),
        worker=world.grid_a,
        nodes=[world.estate_a],
    )
    RoutingRule.objects.create(territorial=True)
    cat_building = Category.objects.get(code="09")
    RoutingRule.objects.create(category=cat_building, unit=office)
    return CaseWorld(
        w=world,
        unit_a=unit_a,
        unit_b=unit_b,
        office=office,
        cadre=cadre,
        leader=leader,
        grid=grid,
        cat_sewer=Category.objects.get(code="050101"),
        cat_building=Category.objects.get(code="090101"),
        cat_consult=Category.objects.get(code="110101"),
    )
