"""Each class of input the fuzzing found answering 500, fixed at its root, and the product's own error answers."""

import pytest
from django.urls import get_resolver

from minsheng.core import parsing

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agri/inspections/?store=-2.255153041264216e%2B173",
        "/api/v1/agri/stores/?village=-1.7976931348623155e%2B308",
        "/api/v1/org/party-orgs/?under=1.6561337092696134e%2B16",
        "/api/v1/org/assignments/?node=-9.889680822054466e%2B146",
        "/api/v1/org/grids/?community=1e30",
        "/api/v1/accounts/memberships/?user=99999999999999999999",
        "/api/v1/cases/?reported_after=0001-01-01T00:00:00%2B14:00",
        "/api/v1/cases/?due_before=9999-12-31T23:59:59-12:00",
        "/api/v1/agri/inspections/?month=0001-01-01",
        "/api/v1/agri/pass-rates/?by=level&start=0001-01-01",
        "/api/v1/agri/pass-rates/?by=level&end=9999-12-31",
        "/api/v1/agri/letters/coverage/?year=99999999999999999999",
    ],
)
def test_out_of_range_filters_are_400_with_the_field_named(world, api_for, url):
    response = api_for(world.admin).get(url)
    assert response.status_code == 400, response.content
    field = url.split("?")[1].split("&")[-1].split("=")[0]
    assert field in response.json()


def test_the_same_filters_on_a_page_are_form_errors_not_500(world, client_for):
    response = client_for(world.admin).get("/cases/?reported_after=0001-01-01T00:00:00%2B14:00&grid=1e30")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/open311/v2/requests.json?start_date=0001-01-01T00:00:00%2B14:00",
        "/open311/v2/requests.json?end_date=9999-12-31",
    ],
)
def test_open311_dates_out_of_range_are_its_400_error_list_for_anyone(client, world, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_strict_parsers():
    assert parsing.parse_int("42") == 42
    for bad in ("1e30", "3.0", "99999999999999999999", "", "0x10", True):
        with pytest.raises(parsing.InvalidValue):
            parsing.parse_int(bad)
    with pytest.raises(parsing.InvalidValue):
        parsing.parse_date("0001-01-01")
    with pytest.raises(parsing.InvalidValue):
        parsing.parse_datetime("1900-01-01T00:00:00+14:00")  # 1899 in UTC
    with pytest.raises(parsing.InvalidValue):
        parsing.from_timestamp(2**62)
    assert parsing.parse_datetime("2026-01-05").tzinfo is not None


def test_options_on_a_list_level_action_answers(world, api_for):
    response = api_for(world.admin).options("/api/v1/notifications/preferences/")
    assert response.status_code == 200


def test_a_user_created_without_a_password_cannot_log_in_yet(world, api_for):
    response = api_for(world.admin).post("/api/v1/accounts/users/", {"username": "newcomer"}, format="json")
    assert response.status_code == 201, response.content
    from minsheng.accounts.models import User

    assert not User.objects.get(username="newcomer").has_usable_password()


def test_non_numeric_and_huge_ids_in_action_urls_are_404(world, api_for):
    api = api_for(world.admin)
    for url in (
        "/api/v1/cases/abc/accept/",
        "/api/v1/accounts/memberships/abc/end/",
        "/api/v1/org/nodes/abc/children/",
        "/api/v1/org/nodes/99999999999999999999/",
        "/api/v1/cases/99999999999999999999/events/",
        "/api/v1/cases/requests/%06%C2%A9/decide/",
    ):
        response = api.post(url) if url.endswith(("accept/", "end/", "decide/")) else api.get(url)
        assert response.status_code == 404, url


def test_an_oversized_body_is_a_json_400(world, api_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_for(world.admin).post("/api/v1/cases/", "x" * 2000, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json") and "detail" in response.json()


# -- the product's own 404/500 answers ---------------------------------------------------------------------


def test_not_found_is_json_on_the_api_and_open311_and_a_page_elsewhere(client, world):
    api = client.get("/api/v1/no-such-thing/")
    assert api.status_code == 404 and api.json() == {"detail": "未找到"}
    open311 = client.get("/open311/v2/no-such-thing.json")
    assert open311.status_code == 404 and open311.json()[0]["code"] == 404
    xml = client.get("/open311/v2/no-such-thing.xml")
    assert xml.status_code == 404 and b"<errors>" in xml.content
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and "您要找的内容不存在" in page.content.decode()


def test_server_errors_answer_the_products_page_or_json(rf):
    resolver = get_resolver()
    handler = resolver.resolve_error_handler(500)
    api = handler(rf.get("/api/v1/cases/"))
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    page = handler(rf.get("/cases/"))
    assert page.status_code == 500 and "系统繁忙" in page.content.decode()
    assert "Traceback" not in page.content.decode()


def test_digits_that_are_not_ascii_are_not_ids(world, api_for, client_for):
    """ "²".isdigit() is true and int("²") fails: every place that took isdigit() for "an id" answered 500."""
    from minsheng.testing.sample import sample_rows

    case = sample_rows(world)["case"]
    response = api_for(world.admin).post(f"/api/v1/cases/{case.pk}/merge/", {"into": "²"}, format="json")
    assert response.status_code in (400, 409), response.content
    pages = client_for(world.admin)
    assert pages.get("/iot/alarms/?greenhouse=²").status_code == 200
    assert pages.post("/iot/alarms/bulk/", {"alarms": ["²"], "action": "acknowledge"}).status_code < 500
    assert pages.post("/cases/bulk-dispatch/", {"cases": ["²"], "unit": ""}).status_code < 500
    assert pages.get("/org/assignments/new/?node=²").status_code < 500
