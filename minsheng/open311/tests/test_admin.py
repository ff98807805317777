"""The administrator issues and switches off API keys in the Django admin."""

import pytest

from minsheng.open311.models import Open311Key

pytestmark = pytest.mark.django_db


def test_adding_a_key_in_the_admin_generates_a_secret_and_shows_it(admin_client):
    response = admin_client.post("/admin/open311/open311key/add/", {"name": "某某小程序", "active": "on"})
    assert response.status_code == 302
    key = Open311Key.objects.get(name="某某小程序")
    assert len(key.key) >= 40 and key.active
    # The full key is on its page (to hand over), the list shows only its start.
    assert key.key in admin_client.get(f"/admin/open311/open311key/{key.pk}/change/").content.decode()
    listing = admin_client.get("/admin/open311/open311key/").content.decode()
    assert key.key[:6] in listing and key.key not in listing


def test_keys_differ_and_a_switched_off_key_no_longer_posts(admin_client, client):
    first = Open311Key.objects.create(name="甲")
    second = Open311Key.objects.create(name="乙")
    assert first.key != second.key
    admin_client.post(f"/admin/open311/open311key/{first.pk}/change/", {"name": "甲"})  # "active" unticked
    first.refresh_from_db()
    assert not first.active
    response = client.post("/open311/v2/requests.json", {"api_key": first.key, "service_code": "050101"})
    assert response.status_code == 403
