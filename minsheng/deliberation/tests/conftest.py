"""Deliberation's world on top of the personas: the meeting kinds reloaded (a transactional test's flush empties the
tables the data migration filled), a property manager, households with a party member linked to them."""

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.core.calendar import TZ
from minsheng.deliberation.models import MeetingKind
from minsheng.org import actions as org_actions
from minsheng.org.choices import PartyOrgKind
from minsheng.org.models import PartyMember


def reload_kinds() -> None:
    module = importlib.import_module("minsheng.deliberation.migrations.0002_meeting_kinds")
    module.add_kinds(apps, None)


@dataclass
class DelibWorld:
    w: Any
    property_mgr: Any
    households: list
    member: Any

    def kind(self, code: str) -> MeetingKind:
        return MeetingKind.objects.get(code=code)


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture
def dw(world, password) -> DelibWorld:
    reload_kinds()
    property_mgr = account_actions.create_user(
        username="pm_a", display_name="物业经理老张", phone="13800000011", password=password
    )
    account_actions.grant_membership(user=property_mgr, role=Role.PROPERTY_STAFF, node=world.estate_a)
    households = [
        org_actions.register_household(node=world.unit_a, room=f"{n}01", head_name=f"住户{n}")
        for n in range(1, 5)
    ]
    households.append(org_actions.register_household(node=world.unit_b, room="301", head_name="龙泉住户"))
    branch = org_actions.create_party_org(
        parent=None, kind=PartyOrgKind.BRANCH, name="颐和家园党支部", node=world.estate_a
    )
    member = PartyMember.objects.create(name="党员老李", party_org=branch, user=world.grid_a)
    org_actions.link_member_households(member, households[:3])
    return DelibWorld(world, property_mgr, households, member)
