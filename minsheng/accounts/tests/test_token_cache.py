"""API tokens with the user and memberships cached (decision 0063): no queries for them on a repeated call, and
every change that matters — the token, the user, a membership, an org node — is seen at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from minsheng.accounts import actions
from minsheng.accounts.choices import Role
from minsheng.accounts.models import Membership

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me/"
CASES = "/api/v1/cases/"


def client_with(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def auth_queries(client: APIClient, path: str = ME) -> int:
    """Queries of one call that read the token or the memberships."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(
        "authtoken_token" in q["sql"] or 'FROM "accounts_membership"' in q["sql"]
        for q in queries.captured_queries
    )


def test_a_repeated_call_reads_neither_token_nor_memberships(world):
    client = client_with(world.grid_a)
    assert auth_queries(client) == 2
    assert auth_queries(client) == 0
    assert client.get(ME).json()["username"] == "grid_a"


def test_a_deleted_token_is_refused_at_once(world):
    client = client_with(world.grid_a)
    assert client.get(ME).status_code == 200
    Token.objects.filter(user=world.grid_a).delete()
    response = client.get(ME)
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    refused = stranger.get(ME)
    assert response.status_code == refused.status_code == 403  # the session scheme comes first: no 401
    assert response.json() == refused.json()


def test_a_deactivated_user_is_refused_at_once(world):
    client = client_with(world.grid_a)
    assert client.get(ME).status_code == 200
    world.grid_a.is_active = False
    world.grid_a.save()
    assert client.get(ME).status_code == 403


def test_a_revoked_membership_is_seen_at_once(world):
    client = client_with(world.grid_a)
    assert client.get(CASES).status_code == 200
    Membership.objects.filter(user=world.grid_a).delete()
    assert client.get(CASES).status_code == 403


def test_a_new_membership_widens_the_scope_at_once(world):
    client = client_with(world.grid_a)
    before = client.get("/api/v1/org/nodes/?page_size=500").json()["count"]
    actions.grant_membership(user=world.grid_a, role=Role.GRID_WORKER, node=world.community_b)
    after = client.get("/api/v1/org/nodes/?page_size=500").json()["count"]
    assert after > before


def test_a_changed_node_drops_the_cached_memberships(world):
    client = client_with(world.grid_a)
    assert auth_queries(client) == 2
    assert auth_queries(client) == 0
    world.community_a.name = "颐和新社区"
    world.community_a.save()
    assert auth_queries(client) == 2
