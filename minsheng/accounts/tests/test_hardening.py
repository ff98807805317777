"""Login throttling without gaps (one counter per account, a limit per address on the web login too), and no
manager can end their own last membership."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from minsheng.accounts import actions
from minsheng.accounts.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def web_login(identifier, password, address="10.0.0.7"):
    client = Client(REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"username": identifier, "password": password})
    return response


def token(identifier, password, address="10.0.0.7"):
    return APIClient(REMOTE_ADDR=address).post(
        "/api/v1/accounts/token/", {"username": identifier, "password": password}, format="json"
    )


def test_an_account_locked_by_username_is_locked_by_phone_too(world, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        assert web_login("grid_a", "wrong-password").status_code == 200  # the form again, with its error
    locked = web_login("13800000003", password)  # grid_a's phone, the right password
    assert locked.status_code == 200 and "尝试次数过多" in locked.content.decode()
    assert token("13800000003", password).status_code == 429
    # Another address is not locked out of the account.
    assert web_login("13800000003", password, address="10.0.0.8").status_code == 302


def test_failures_by_phone_and_by_username_add_up(world, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 4
    for identifier in ("grid_a", "13800000003", "grid_a", "13800000003"):
        web_login(identifier, "wrong-password")
    assert token("grid_a", password).status_code == 429


def test_the_web_login_has_a_limit_per_address(world, password, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    for i in range(10):  # spraying: a different username each time
        assert web_login(f"nobody{i}", "guess").status_code == 200
    locked = web_login("worker_a", password)
    assert locked.status_code == 200 and "尝试次数过多" in locked.content.decode()
    assert web_login("worker_a", password, address="10.0.0.99").status_code == 302


def test_a_manager_cannot_end_their_own_last_membership(world, api_for):
    membership = world.admin.memberships.get()
    api = api_for(world.admin)
    response = api.post(
        f"/api/v1/accounts/memberships/{membership.pk}/end/", {"on": "2026-12-31"}, format="json"
    )
    assert response.status_code == 400
    assert "最后一项任职" in response.json()["non_field_errors"][0]
    membership.refresh_from_db()
    assert membership.valid_to is None
    # With a second role left, ending the first is fine.
    actions.grant_membership(user=world.admin, role=Role.STREET_CADRE, node=world.street)
    response = api.post(
        f"/api/v1/accounts/memberships/{membership.pk}/end/", {"on": "2026-12-31"}, format="json"
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.valid_to == dt.date(2026, 12, 31)
