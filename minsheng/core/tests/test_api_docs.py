"""The OpenAPI schema and the offline API docs: a valid document, and pages that load nothing from the internet."""

import re

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

ORG_PATHS = [
    "/api/v1/org/nodes/",
    "/api/v1/org/nodes/{id}/children/",
    "/api/v1/org/grids/locate/",
    "/api/v1/org/residents/{id}/",
    "/api/v1/org/assignments/responsible/",
    "/api/v1/accounts/token/",
    "/api/v1/accounts/me/",
]


def asset_urls(html: str) -> list[str]:
    return re.findall(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", html)


def test_schema_is_a_valid_openapi_document(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on anything the OpenAPI 3 JSON schema rejects
    assert schema["openapi"].startswith("3.")
    for path in ORG_PATHS:
        assert path in schema["paths"], path
    assert "delete" not in schema["paths"]["/api/v1/org/residents/{id}/"]
    params = {p["name"] for p in schema["paths"]["/api/v1/org/residents/{id}/"]["get"]["parameters"]}
    assert "unmasked" in params


def test_swagger_ui_is_served_from_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = asset_urls(html)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    # Assets are vendored; the start-up script comes from the docs page itself (no inline script, for the CSP).
    assert all(u.startswith(("/static/", "/api/docs/?script")) for u in urls), urls
    assert not re.search(r"https?://", html)
    assert not re.search(r"<script>", html)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_redoc_loads_nothing_from_the_internet(client):
    html = client.get("/api/redoc/").content.decode()
    assert all(u.startswith("/static/") for u in asset_urls(html))
    # Redoc's bundle draws the Redocly logo from its CDN: the page allows images from this server only
    assert "img-src 'self' data: blob:" in html
