"""Villages with supervisors on top of the personas, and the reference data reloaded (a transactional test's flush
empties the tables the data migration filled)."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.agri import reference
from minsheng.agri.models import Commodity, Pesticide
from minsheng.org import actions as org_actions
from minsheng.org.choices import NodeKind


@dataclass
class AgriWorld:
    w: Any
    village_1: Any
    village_2: Any
    supervisor: Any

    def commodity(self, name: str) -> Commodity:
        return Commodity.objects.resolve(name)

    def pesticide(self, name: str) -> Pesticide:
        return Pesticide.objects.get(name=name)


@pytest.fixture
def aw(world, password) -> AgriWorld:
    reference.load(apps)
    village_1 = org_actions.create_node(parent=world.street, kind=NodeKind.VILLAGE, name="东关村")
    village_2 = org_actions.create_node(parent=world.street, kind=NodeKind.VILLAGE, name="西关村")
    supervisor = account_actions.create_user(username="sup", display_name="村级监管员老李", password=password)
    account_actions.grant_membership(user=supervisor, role=Role.VILLAGE_SUPERVISOR, node=village_1)
    return AgriWorld(w=world, village_1=village_1, village_2=village_2, supervisor=supervisor)
