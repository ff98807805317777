"""Every answer carries the strict policy; the nonce in the header is the one the page's inline code carries."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_policy_with_a_fresh_nonce(client, world, client_for):
    first = client.get("/h5/")
    policy = first["Content-Security-Policy"]
    assert (
        "default-src 'self'" in policy
        and "object-src 'none'" in policy
        and "frame-ancestors 'none'" in policy
    )
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
    html = first.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert nonce not in client.get("/h5/")["Content-Security-Policy"]  # a new one each time
    staff = client_for(world.admin).get("/")
    assert "'nonce-" in staff["Content-Security-Policy"]
    assert "<script>" not in staff.content.decode()
    assert "Content-Security-Policy" in client.get("/api/v1/no-such-thing/")


def test_map_tiles_from_the_intranet_tile_server_are_allowed(rf, settings):
    from minsheng.core.middleware import ContentSecurityPolicyMiddleware

    settings.MINSHENG_MAP_TILES = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    middleware = ContentSecurityPolicyMiddleware(lambda request: None)
    request = rf.get("/cases/map/")
    request.csp_nonce = "n"
    assert "img-src 'self' data: blob: https://tiles.example.gov.cn" in middleware.policy(request)
