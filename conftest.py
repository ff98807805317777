"""Shared test fixtures: personas (like Healthchecks' alice/bob/charlie) and service requirements."""

import os

import pytest

IN_CI = os.environ.get("CI") == "true"

pytest_plugins = ["minsheng.testing.fixtures"]


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}  CI={IN_CI}"
