"""Discovery, the service list and service definitions, in JSON and XML, against the official schemas."""

import pytest

from minsheng.cases.models import Category

from .conftest import BASE, errors_of, json_of, validate, xml_of

pytestmark = pytest.mark.django_db


def test_discovery_names_the_v2_endpoint_in_both_formats(client):
    body = json_of(client.get(f"{BASE}/discovery.json"))
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    (endpoint,) = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert body["changeset"].endswith("+08:00")

    root = xml_of(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/url") == "http://testserver/open311/v2"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == endpoint["formats"]
    # The bare base URL answers with the discovery document too (XML, the spec's default format).
    assert xml_of(client.get(f"{BASE}/")).tag == "discovery"


def test_services_are_the_leaf_categories_with_their_top_level_as_group(client):
    body = json_of(client.get(f"{BASE}/services.json"))
    validate(body, "services.json")
    by_code = {s["service_code"]: s for s in body}
    leaves = Category.objects.filter(is_active=True, numchild=0)
    assert set(by_code) == set(leaves.values_list("code", flat=True))
    sewer = by_code["050101"]
    assert sewer["service_name"] == "下水道堵塞"
    assert sewer["group"] == "下水道/排水"
    assert sewer["description"] == "下水道/排水 / 管道堵塞 / 下水道堵塞"
    assert sewer["metadata"] is True and sewer["type"] == "realtime"
    keywords = sewer["keywords"].split(",")
    assert {"下水道堵塞", "下水道", "堵塞", "管道堵塞"} <= set(keywords)
    assert "05" not in by_code and "0501" not in by_code  # groups, not services


def test_services_in_xml_carry_the_same_fields(client):
    root = xml_of(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services = {s.findtext("service_code"): s for s in root.findall("service")}
    assert len(services) == len(json_of(client.get(f"{BASE}/services.json")))
    sewer = services["050101"]
    assert sewer.findtext("service_name") == "下水道堵塞"
    assert sewer.findtext("group") == "下水道/排水"
    assert sewer.findtext("metadata") == "true"
    assert sewer.findtext("type") == "realtime"


def test_switching_categories_off_changes_the_service_list(client):
    Category.objects.filter(code="050102").update(is_active=False)
    codes = {s["service_code"] for s in json_of(client.get(f"{BASE}/services.json"))}
    assert "050102" not in codes and "050101" in codes
    # With every child of 管道堵塞 off, 管道堵塞 itself becomes the service.
    Category.objects.filter(code="050101").update(is_active=False)
    codes = {s["service_code"] for s in json_of(client.get(f"{BASE}/services.json"))}
    assert "0501" in codes and "050101" not in codes
    # A switched-off group takes all its services with it.
    Category.objects.filter(code="05").update(is_active=False)
    codes = {s["service_code"] for s in json_of(client.get(f"{BASE}/services.json"))}
    assert not {c for c in codes if c.startswith("05")}


def test_service_definition_offers_urgency_and_the_estates(client, cw):
    body = json_of(client.get(f"{BASE}/services/050101.json"))
    validate(body, "service-definition.json")
    assert body["service_code"] == "050101"
    urgency, estate = body["attributes"]
    assert urgency["code"] == "urgency" and urgency["datatype"] == "singlevaluelist"
    assert urgency["required"] is False and urgency["order"] == 1
    assert [v["key"] for v in urgency["values"]] == ["normal", "urgent", "emergency"]
    assert estate["code"] == "estate" and estate["datatype"] == "singlevaluelist"
    assert {v["key"] for v in estate["values"]} == {str(cw.w.estate_a.pk), str(cw.w.estate_b.pk)}
    assert any(v["name"].endswith("颐和家园") for v in estate["values"])

    root = xml_of(client.get(f"{BASE}/services/050101.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "050101"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["urgency", "estate"]
    assert attributes[0].findtext("variable") == "true"
    assert [v.findtext("key") for v in attributes[0].findall("values/value")] == [
        "normal",
        "urgent",
        "emergency",
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("code", ["nope", "05"])  # unknown, and a group rather than a service
def test_unknown_service_is_404_with_the_error_list(client, fmt, code):
    response = client.get(f"{BASE}/services/{code}.{fmt}")
    assert response.status_code == 404
    ((status, description),) = errors_of(response, fmt)
    assert status == 404 and code in description


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_jurisdiction_id_is_accepted_when_it_is_ours_and_404_otherwise(client, fmt, settings):
    settings.MINSHENG_OPEN311_JURISDICTION = "yihe.example"
    assert client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "yihe.example"}).status_code == 200
    assert client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": ""}).status_code == 200  # blank = absent
    response = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "sfgov.org"})
    assert response.status_code == 404
    ((status, description),) = errors_of(response, fmt)
    assert status == 404 and "sfgov.org" in description


def test_default_jurisdiction(client):
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "chengguan.local"}).status_code == 200


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("/open311/v2/nothing.json", "json"),
        ("/open311/v2/nothing.xml", "xml"),
        ("/open311/v2/services.csv", "xml"),
    ],
)
def test_unknown_endpoints_and_formats_answer_with_the_error_list(client, path, fmt):
    response = client.get(path)
    assert response.status_code == 404
    ((status, _description),) = errors_of(response, fmt)
    assert status == 404


def test_a_method_the_endpoint_does_not_take_is_400(client):
    response = client.put(f"{BASE}/services.json")
    assert response.status_code == 400
    ((status, description),) = errors_of(response, "json")
    assert status == 400 and "PUT" in description
