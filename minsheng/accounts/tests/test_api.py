"""Accounts through /api/v1/accounts/: tokens (with login throttling), `me`, scoped user and membership management."""

import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from minsheng.accounts import actions
from minsheng.accounts.choices import Role
from minsheng.accounts.models import Membership, User
from minsheng.core.models import AuditLog

pytestmark = pytest.mark.django_db

API = "/api/v1/accounts"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Failure counters and rate limits live in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


def obtain(username, password):
    return APIClient().post(f"{API}/token/", {"username": username, "password": password}, format="json")


# -- tokens ----------------------------------------------------------------------------------------


def test_token_by_phone_then_calls_with_it(world, password):
    response = obtain("13800000003", password)  # grid_a's phone
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    assert response.json()["user"]["username"] == "grid_a"

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get(f"{API}/me/")
    assert me.status_code == 200 and me.json()["username"] == "grid_a"

    created = client.post("/api/v1/org/residents/", {"name": "王五", "node": world.unit_a.pk}, format="json")
    assert created.status_code == 201, created.content
    # The token's owner, not an anonymous request, is who the audit log names.
    entry = AuditLog.objects.get(action="create", object_id=str(created.json()["id"]), object_repr="王五")
    assert entry.user == world.grid_a

    assert APIClient().get(f"{API}/me/").status_code in (401, 403)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(f"{API}/me/").status_code in (401, 403)


def test_token_by_username_is_the_same_token(world, password):
    first = obtain("grid_a", password).json()["token"]
    assert obtain("13800000003", password).json()["token"] == first


def test_wrong_password_is_a_400_in_chinese(world):
    response = obtain("grid_a", "wrong-password")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["手机号/用户名或密码不正确。"]}


def test_locked_out_identifier_gets_429_even_with_the_right_password(world, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(2):
        assert obtain("grid_a", "wrong-password").status_code == 400
    third = obtain("grid_a", "wrong-password")
    assert third.status_code == 429
    response = obtain("grid_a", password)
    assert response.status_code == 429
    assert "尝试次数过多" in response.json()["detail"]
    assert obtain("grid_b", password).status_code == 200  # another identifier is not affected


def test_token_endpoint_is_rate_limited_per_address(world, password):
    """Spraying many identifiers from one address runs into the scoped `login` rate (10/min)."""
    statuses = [obtain(f"nobody{i}", "x").status_code for i in range(11)]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


# -- me --------------------------------------------------------------------------------------------


def test_me_lists_roles_memberships_and_capabilities(world, api_for):
    me = api_for(world.grid_a).get(f"{API}/me/").json()
    assert me["roles"] == ["网格员"]
    assert [(m["role"], m["node"]) for m in me["memberships"]] == [(Role.GRID_WORKER, world.community_a.pk)]
    assert me["memberships"][0]["node_name"] == "城关街道 颐和社区"
    assert "org.view_pii" in me["capabilities"]
    assert "accounts.manage" not in me["capabilities"]
    assert api_for(world.resident).get(f"{API}/me/").json()["capabilities"] == []


# -- users and memberships -------------------------------------------------------------------------


@pytest.fixture
def manager_a(world):
    """A street-admin role held only at community A: manages accounts there and nowhere else."""
    user = actions.create_user(username="manager_a", password=None)
    actions.grant_membership(user=user, role=Role.STREET_ADMIN, node=world.community_a)
    return user


def test_users_and_memberships_need_accounts_manage(world, api_for):
    assert api_for(world.grid_a).get(f"{API}/users/").status_code == 403
    assert api_for(world.grid_a).get(f"{API}/memberships/").status_code == 403
    assert api_for(world.worker_a).post(f"{API}/users/", {"username": "x"}).status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_manager_sees_only_memberships_in_scope(world, manager_a, api_for):
    rows = api_for(manager_a).get(f"{API}/memberships/").json()["results"]
    assert {r["user_name"] for r in rows} == {"社区A工作者", "社区A网格员", "居民小王", "manager_a"}
    membership_b = Membership.objects.get(user=world.grid_b)
    assert api_for(manager_a).get(f"{API}/memberships/{membership_b.pk}/").status_code == 404
    users = {u["username"] for u in api_for(manager_a).get(f"{API}/users/").json()["results"]}
    assert "grid_b" not in users and "grid_a" in users
    everyone = {u["username"] for u in api_for(world.admin).get(f"{API}/users/").json()["results"]}
    assert {"admin", "worker_a", "grid_a", "grid_b", "resident", "manager_a"} <= everyone


def test_create_user_then_grant_and_end_a_membership(world, manager_a, api_for):
    client = api_for(manager_a)
    response = client.post(
        f"{API}/users/",
        {
            "username": "grid_a2",
            "display_name": "新网格员",
            "phone": "13811112222",
            "password": "Zx-9f8e7d6c",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["phone"] == "138****2222"
    assert "password" not in response.json()
    new_user = User.objects.get(username="grid_a2")
    assert new_user.check_password("Zx-9f8e7d6c")

    # Not yet in any role, the new account is visible to the manager so a role can be granted.
    assert new_user.pk in [u["id"] for u in client.get(f"{API}/users/").json()["results"]]
    response = client.post(
        f"{API}/memberships/",
        {"user": new_user.pk, "role": Role.GRID_WORKER, "node": world.estate_a.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert new_user.has_cap("org.change", world.unit_a)

    response = client.post(
        f"{API}/memberships/{response.json()['id']}/end/", {"on": "2026-03-31"}, format="json"
    )
    assert response.status_code == 200
    assert Membership.objects.get(user=new_user).valid_to == dt.date(2026, 3, 31)


def test_membership_outside_the_managers_scope_is_refused(world, manager_a, api_for):
    grid_a2 = actions.create_user(username="grid_a2", password=None)
    response = api_for(manager_a).post(
        f"{API}/memberships/",
        {"user": grid_a2.pk, "role": Role.GRID_WORKER, "node": world.community_b.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "node" in response.json()
    response = api_for(manager_a).post(
        f"{API}/memberships/",
        {"user": world.grid_b.pk, "role": Role.GRID_WORKER, "node": world.community_a.pk},
        format="json",
    )
    assert response.status_code == 400 and "user" in response.json()
    assert not Membership.objects.filter(user=grid_a2).exists()


def test_user_validation_errors_name_their_fields(world, api_for):
    client = api_for(world.admin)
    response = client.post(f"{API}/users/", {"username": "weak", "password": "12345678"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()
    response = client.post(f"{API}/users/", {"username": "dup", "phone": "13800000003"}, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()
    response = client.post(f"{API}/users/", {"username": "bad", "phone": "12345"}, format="json")
    assert response.json()["phone"] == ["请输入11位手机号码"]
    response = client.post(
        f"{API}/memberships/",
        {"user": world.grid_a.pk, "role": "king", "node": world.street.pk},
        format="json",
    )
    assert response.status_code == 400 and "role" in response.json()
    assert not User.objects.filter(username__in=["weak", "dup", "bad"]).exists()
