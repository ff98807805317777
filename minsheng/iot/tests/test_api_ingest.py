"""POST /api/v1/iot/ingest/ with a gateway token."""

import pytest
from rest_framework.test import APIClient

from minsheng.iot.devices import issue_token
from minsheng.iot.models import Reading

pytestmark = pytest.mark.django_db
URL = "/api/v1/iot/ingest/"
PACK = '[{"bn":"gh1-","bt":1780000000,"n":"t1","v":18},{"n":"h1","v":60}]'


def device(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    return client


def test_gateway_posts_senml_and_a_replay_is_counted_as_duplicates(farm):
    token = issue_token(farm.gateway)
    response = device(token).post(URL, PACK, content_type="application/senml+json")
    assert response.status_code == 200
    assert response.json()["stored"] == 2
    again = device(token).post(URL, PACK, content_type="application/senml+json")
    assert again.status_code == 200 and again.json()["duplicates"] == 2
    assert Reading.objects.count() == 2
    farm.gateway.refresh_from_db()
    assert farm.gateway.last_seen is not None


def test_nothing_accepted_is_a_400_with_reasons(farm):
    token = issue_token(farm.gateway)
    response = device(token).post(URL, "{oops", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["rejected"] == 1 and "JSON" in response.json()["errors"][0]


def test_wrong_or_missing_token_and_a_persons_login_are_refused(farm, api_for):
    issue_token(farm.gateway)
    assert device("guess").post(URL, PACK, content_type="application/json").status_code == 401
    assert APIClient().post(URL, PACK, content_type="application/json").status_code in (401, 403)
    assert api_for(farm.w.admin).post(URL, PACK, content_type="application/json").status_code in (401, 403)
    assert Reading.objects.count() == 0


def test_reissuing_a_token_revokes_the_old_one(farm):
    old = issue_token(farm.gateway)
    new = issue_token(farm.gateway)
    assert device(old).post(URL, PACK, content_type="application/json").status_code == 401
    assert device(new).post(URL, PACK, content_type="application/json").status_code == 200
    assert farm.gateway.token_digest != new  # only the digest is kept
