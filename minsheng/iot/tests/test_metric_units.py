"""The cockpit says how many sensors are in use with the word for things (个 / items), not 件 / cases."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _stat(body: str, label: str) -> str:
    """The figure and unit of the cockpit's stat named `label`."""
    after = body.split(f'<span class="stat-label">{label}</span>', 1)[1]
    value = after.split('<span class="stat-value">', 1)[1].split("</span>", 1)[0]
    return " ".join(value.replace('<small class="muted">', " ").replace("</small>", "").split())


def test_the_cockpit_counts_two_sensors_as_items(farm, client_for):
    client = client_for(farm.w.admin)
    chinese = client.get(reverse("insights:cockpit"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert _stat(chinese, "在用传感器") == "2 个"
    english = client.get(reverse("insights:cockpit"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _stat(english, "Sensors in use") == "2 items"
