"""The workbench shell: login, the menu, the residents' notice, the language switch, the audit history."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_renders_for_each_staff_persona(world, client_for):
    for user in (world.admin, world.worker_a, world.grid_a, world.grid_b):
        response = client_for(user).get(reverse("core:home"))
        assert response.status_code == 200, user
        assert "工作台" in response.content.decode()
