"""A capability check names a declared capability, or fails loudly — for the superuser and the anonymous too."""

import pytest
from django.contrib.auth.models import AnonymousUser

from minsheng.accounts.choices import Cap
from minsheng.accounts.roles import CAPABILITIES
from minsheng.core import capabilities
from minsheng.core.capabilities import UnknownCapability
from minsheng.core.scoping import get_visible_or_404
from minsheng.org.models import Node


def test_every_granted_capability_and_every_cap_is_declared():
    declared = capabilities.known()
    assert set(Cap) <= declared
    assert {name for granted in CAPABILITIES.values() for name in granted} <= declared


def test_a_cap_and_its_name_mean_the_same(world):
    assert world.worker_a.has_cap(Cap.ORG_VIEW, world.unit_a)
    assert world.worker_a.has_cap("org.view", world.unit_a)
    assert world.worker_a.scope_paths(Cap.ORG_VIEW) == world.worker_a.scope_paths("org.view")


@pytest.mark.parametrize("who", ["worker_a", "admin"])
def test_a_misspelt_capability_raises_instead_of_denying_or_allowing(world, who):
    user = getattr(world, who)
    with pytest.raises(UnknownCapability):
        user.has_cap("org.veiw")
    with pytest.raises(UnknownCapability):
        Node.objects.visible_to(user, "org.veiw")


def test_scoped_reads_refuse_a_misspelt_capability_before_looking_at_the_user(world):
    with pytest.raises(UnknownCapability):
        Node.objects.visible_to(AnonymousUser(), "agri.veiw")
    with pytest.raises(UnknownCapability):
        get_visible_or_404(Node, world.admin, "agri.veiw", pk=world.street.pk)


def test_a_typo_in_a_cap_fails_when_the_code_loads():
    with pytest.raises(AttributeError):
        Cap.AGRI_VEIW  # noqa: B018
