"""A small, hand-made world for tests, built through the real actions."""

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.org import actions
from minsheng.org.choices import NodeKind


def square(lng: float, lat: float, size: float = 0.01) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
        ],
    }


def build_world(password: str) -> dict:
    street = actions.create_node(parent=None, kind=NodeKind.STREET, name="城关街道", code="370724001000")
    community_a = actions.create_node(
        parent=street,
        kind=NodeKind.COMMUNITY,
        name="颐和社区",
        code="370724001001",
        geometry=square(118.50, 36.50),
    )
    community_b = actions.create_node(
        parent=street,
        kind=NodeKind.COMMUNITY,
        name="龙泉社区",
        code="370724001002",
        geometry=square(118.51, 36.50),
    )
    estate_a = actions.create_node(parent=community_a, kind=NodeKind.ESTATE, name="颐和家园")
    building_a = actions.create_node(parent=estate_a, kind=NodeKind.BUILDING, name="1号楼")
    unit_a = actions.create_node(parent=building_a, kind=NodeKind.UNIT, name="1单元")
    estate_b = actions.create_node(parent=community_b, kind=NodeKind.ESTATE, name="龙泉小区")
    building_b = actions.create_node(parent=estate_b, kind=NodeKind.BUILDING, name="3号楼")
    unit_b = actions.create_node(parent=building_b, kind=NodeKind.UNIT, name="2单元")

    def person(username, name, phone, role, node):
        user = account_actions.create_user(
            username=username, display_name=name, phone=phone, password=password
        )
        account_actions.grant_membership(user=user, role=role, node=node)
        return user

    return {
        "street": street,
        "community_a": community_a,
        "community_b": community_b,
        "estate_a": estate_a,
        "building_a": building_a,
        "unit_a": unit_a,
        "estate_b": estate_b,
        "unit_b": unit_b,
        "admin": person("admin", "街道管理员", "13800000001", Role.STREET_ADMIN, street),
        "worker_a": person("worker_a", "社区A工作者", "13800000002", Role.COMMUNITY_WORKER, community_a),
        "grid_a": person("grid_a", "社区A网格员", "13800000003", Role.GRID_WORKER, community_a),
        "grid_b": person("grid_b", "社区B网格员", "13800000004", Role.GRID_WORKER, community_b),
        "resident": person("resident", "居民小王", "13800000005", Role.RESIDENT, unit_a),
    }
