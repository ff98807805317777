"""The centre's world: the shared personas plus a centre clerk (矛调中心工作人员), a second mediator and a 街道领导."""

from dataclasses import dataclass
from typing import Any

import pytest

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.org import actions as org_actions


def ensure_kinds() -> None:
    import importlib

    from django.apps import apps

    importlib.import_module("minsheng.mediation.migrations.0002_case_kinds").add_kinds(apps, None)
    importlib.import_module("minsheng.mediation.migrations.0003_engine_categories").add_categories(apps, None)


@dataclass
class Centre:
    w: Any
    clerk: Any
    mediator: Any
    leader: Any
    resident_a: Any
    resident_b: Any


@pytest.fixture
def centre(world, password) -> Centre:
    ensure_kinds()

    def person(username, name, phone, role, node):
        user = account_actions.create_user(
            username=username, display_name=name, phone=phone, password=password
        )
        account_actions.grant_membership(user=user, role=role, node=node)
        return user

    clerk = person("clerk", "窗口接待员", "13800000011", Role.MEDIATION_STAFF, world.street)
    mediator = person("mediator", "调解员老周", "13800000012", Role.MEDIATION_STAFF, world.street)
    leader = person("leader", "街道书记", "13800000013", Role.STREET_LEADER, world.street)
    resident_a = org_actions.register_resident(
        name="王秀兰", node=world.unit_a, phone="13955550001", id_number="370724198001011238"
    )
    resident_b = org_actions.register_resident(
        name="李建国", node=world.unit_a, phone="13955550002", id_number="370724197512124563"
    )
    return Centre(world, clerk, mediator, leader, resident_a, resident_b)
