"""Scoping: one entry point, subtree by prefix; community B sees nothing of community A."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from minsheng.core.scoping import get_visible_or_404
from minsheng.org import actions
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node, Resident

pytestmark = pytest.mark.django_db


def test_subtree_is_one_prefix_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = list(Node.objects.subtree_of(world.community_a).values_list("name", flat=True))
    assert names == ["颐和社区", "颐和家园", "1号楼", "1单元"]


def test_each_persona_sees_its_own_subtree(world):
    a = actions.register_resident(name="张三", node=world.unit_a, phone="13912345678")
    b = actions.register_resident(name="李四", node=world.unit_b, phone="13987654321")
    assert set(Resident.objects.visible_to(world.admin)) == {a, b}
    assert set(Resident.objects.visible_to(world.worker_a)) == {a}
    assert set(Resident.objects.visible_to(world.grid_a)) == {a}
    assert set(Resident.objects.visible_to(world.grid_b)) == {b}
    assert list(Resident.objects.visible_to(world.resident)) == []
    with pytest.raises(Http404):
        get_visible_or_404(Resident, world.grid_b, pk=a.pk)
    assert get_visible_or_404(Resident, world.grid_a, pk=a.pk) == a


def test_actions_check_permission_at_the_node(world):
    with pytest.raises(PermissionDenied):
        actions.register_resident(name="王五", node=world.unit_a, actor=world.grid_b)
    person = actions.register_resident(name="王五", node=world.unit_a, actor=world.grid_a)
    assert person.node == world.unit_a


def test_tree_grammar_is_enforced(world):
    with pytest.raises(ValidationError) as err:
        actions.create_node(parent=world.unit_a, kind=NodeKind.BUILDING, name="楼中楼")
    assert "kind" in err.value.message_dict
