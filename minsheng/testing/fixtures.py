"""Personas and service fixtures shared by every app's tests.

The world: 城关街道 with 社区A (小区 A1, building 1, unit 1) and 社区B (小区 B1). Personas:
  admin    街道管理员 at the street
  worker_a 社区工作者 at 社区A
  grid_a   网格员 at 社区A
  grid_b   网格员 at 社区B
  resident 居民 living in 社区A
"""

import os
import socket
from dataclasses import dataclass
from typing import Any

import pytest

from minsheng.testing.world import build_world

IN_CI = os.environ.get("CI") == "true"
PASSWORD = "Test-pass-2026"


def require_service(name: str, host: str, port: int) -> None:
    """Skip (outside CI) or fail (in CI) when a service the test needs is not listening."""
    try:
        with socket.create_connection((host, port), timeout=2):
            return
    except OSError as exc:
        message = f"{name} is not reachable at {host}:{port} ({exc})"
        if IN_CI:
            pytest.fail(f"CI requires {message}")
        pytest.skip(message)


def require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.skip("runs in the PostgreSQL pass of the suite (make test-postgres)")
        pytest.skip("needs PostgreSQL (set DATABASE_URL, or run make test-postgres)")


def require_chromium() -> str:
    path = "/usr/bin/chromium"
    if not os.path.exists(path):
        if IN_CI:
            pytest.fail("CI requires Chromium at /usr/bin/chromium (scripts/ensure-test-deps.sh installs it)")
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    return path


@dataclass
class World:
    street: Any
    community_a: Any
    community_b: Any
    estate_a: Any
    building_a: Any
    unit_a: Any
    estate_b: Any
    unit_b: Any
    admin: Any
    worker_a: Any
    grid_a: Any
    grid_b: Any
    resident: Any


def ensure_reference_data() -> None:
    """Re-seed what data migrations put in (tags, case kinds, categories, limits). A transactional test's flush
    empties every table, so the tests after it would otherwise run without them. Idempotent."""
    import importlib

    from django.apps import apps

    for module, function in (
        ("minsheng.org.migrations.0002_default_tags", "add_tags"),
        ("minsheng.cases.migrations.0002_defaults", "add_defaults"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def world(db) -> World:
    ensure_reference_data()
    return World(**build_world(PASSWORD))


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def client_for(client):
    """client_for(user) → a Django test client logged in as that user."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def api_for():
    """api_for(user) → a DRF APIClient authenticated as that user."""
    from rest_framework.test import APIClient

    def make(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing is deliberately slow; tests only need it to be a hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached configuration tables must not outlive the test database transaction they were read in."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def browser():
    """The system's Chromium driven by Playwright (never a downloaded browser), started without the background
    networking a closed intranet machine would refuse."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = require_chromium()
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
