"""POST requests: the api_key, the spec's parameters, and the case the engine registers from them."""

import pytest

from minsheng.cases.choices import Channel, Status, Urgency
from minsheng.cases.models import Case
from minsheng.open311.models import Open311Key, Submission

from .conftest import BASE, errors_of, json_of, xml_of

pytestmark = pytest.mark.django_db


def post(client, fmt="json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


def form(key, **overrides):
    values = {
        "api_key": key.key,
        "service_code": "050101",
        "address_id": "",
        "description": "小区东门下水道堵塞，污水漫到路面",
        "first_name": "秀英",
        "last_name": "高",
        "phone": "13912345678",
        "email": "gao@example.com",
    }
    values.update(overrides)
    return values


def test_post_registers_an_online_appeal_and_returns_its_number(client, cw, api_key):
    data = form(api_key, address_id=str(cw.w.unit_a.pk), **{"attribute[urgency]": "urgent"})
    response = post(client, **data)
    assert response.status_code == 200
    (body,) = json_of(response)
    case = Case.objects.get()
    assert body["service_request_id"] == case.number
    assert (
        body["service_notice"]
        == f"诉求已登记，编号 {case.number}；受理后 24 个自然小时内办结，可凭编号查询进度"
    )
    assert body["account_id"] is None
    assert case.kind.code == "appeal" and case.channel == Channel.ONLINE
    assert case.status == Status.REGISTERED
    assert case.category == cw.cat_sewer and case.urgency == Urgency.URGENT
    assert case.node == cw.w.unit_a and case.grid == cw.grid
    assert (case.reporter_name, case.reporter_phone, case.anonymous) == ("高秀英", "13912345678", False)
    assert case.first_receiver is None
    event = case.events.get()
    assert (event.verb, event.actor) == ("register", None)
    # The case remembers which client sent it, through the engine's generic source link.
    assert case.source == Submission.objects.get(key=api_key)


def test_post_answers_in_xml_too(client, cw, api_key):
    response = post(client, "xml", **form(api_key, address_id=str(cw.w.estate_a.pk)))
    assert response.status_code == 200
    root = xml_of(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request.findtext("service_request_id") == Case.objects.get().number
    assert request.findtext("service_notice")
    assert request.find("account_id") is not None and request.findtext("account_id") == ""


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("api_key_value", [None, "", "wrong-key", "inactive"])
def test_missing_wrong_or_inactive_key_is_403(client, cw, api_key, fmt, api_key_value):
    data = form(api_key, address_id=str(cw.w.unit_a.pk))
    if api_key_value is None:
        del data["api_key"]
    elif api_key_value == "inactive":
        Open311Key.objects.filter(pk=api_key.pk).update(active=False)
    else:
        data["api_key"] = api_key_value
    response = post(client, fmt, **data)
    assert response.status_code == 403
    ((status, description),) = errors_of(response, fmt)
    assert status == 403 and "api_key" in description
    assert not Case.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_service_code_and_location_are_both_reported(client, cw, api_key, fmt):
    response = post(client, fmt, **form(api_key, service_code=""))
    assert response.status_code == 400
    errors = errors_of(response, fmt)
    assert [code for code, _ in errors] == [400, 400]
    assert "service_code" in errors[0][1]
    assert "lat" in errors[1][1] and "address_string" in errors[1][1] and "address_id" in errors[1][1]
    assert not Case.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_code_is_404(client, cw, api_key, fmt):
    response = post(client, fmt, **form(api_key, service_code="999999", address_id=str(cw.w.unit_a.pk)))
    assert response.status_code == 404
    ((status, description),) = errors_of(response, fmt)
    assert status == 404 and "999999" in description


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_description_over_4000_characters_is_400_and_nothing_is_written(client, cw, api_key, fmt):
    response = post(client, fmt, **form(api_key, address_id=str(cw.w.unit_a.pk), description="堵" * 4001))
    assert response.status_code == 400
    ((status, description),) = errors_of(response, fmt)
    assert status == 400 and "4000" in description
    assert not Case.objects.exists() and not Submission.objects.exists()
    # Exactly 4000 is fine.
    assert (
        post(
            client, fmt, **form(api_key, address_id=str(cw.w.unit_a.pk), description="堵" * 4000)
        ).status_code
        == 200
    )


def test_a_point_inside_a_grid_locates_the_case_in_its_community(client, cw, api_key):
    response = post(client, **form(api_key, lat="36.505", long="118.505"))
    assert response.status_code == 200
    case = Case.objects.get()
    assert (case.node, case.grid, case.lat, case.lng) == (cw.w.community_a, cw.grid, 36.505, 118.505)


def test_a_point_outside_any_grid_falls_to_the_community_outline(client, cw, api_key):
    assert post(client, **form(api_key, lat="36.505", long="118.515")).status_code == 200
    assert Case.objects.get().node == cw.w.community_b  # 龙泉社区 has an outline and no grid


def test_a_point_outside_the_jurisdiction_is_400(client, cw, api_key):
    response = post(client, **form(api_key, lat="39.9", long="116.4"))
    assert response.status_code == 400
    ((_code, description),) = errors_of(response, "json")
    assert "辖区" in description


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("颐和家园1号楼1单元门口", "unit_a"),
        ("颐和家园1号楼", "building_a"),
        ("龙泉社区龙泉小区北门", "estate_b"),
        ("城关大道与人民路交叉口", "street"),  # nothing recognised: the 街道 itself, for the dispatcher
    ],
)
def test_address_string_is_matched_to_the_places_it_names(client, cw, api_key, address, expected):
    assert post(client, **form(api_key, address_string=address)).status_code == 200
    case = Case.objects.get()
    assert case.node == getattr(cw.w, expected)
    assert case.address == address


def test_address_id_takes_a_node_id_or_a_division_code(client, cw, api_key):
    assert post(client, **form(api_key, address_id="370724001002")).status_code == 200
    assert Case.objects.get().node == cw.w.community_b
    assert post(client, **form(api_key, address_id=str(cw.w.estate_a.pk))).status_code == 200
    assert Case.objects.latest("pk").node == cw.w.estate_a
    for unknown in ("999999", "9" * 30, "²", "颐和家园"):
        response = post(client, **form(api_key, address_id=unknown))
        assert response.status_code == 400
        assert unknown in errors_of(response, "json")[0][1]


def test_the_estate_attribute_locates_the_case(client, cw, api_key):
    data = form(api_key, address_string="北门", **{"attribute[estate]": str(cw.w.estate_b.pk)})
    assert post(client, **data).status_code == 200
    assert Case.objects.get().node == cw.w.estate_b


def test_bad_values_are_each_reported(client, cw, api_key):
    data = form(
        api_key,
        address_id=str(cw.w.unit_a.pk),
        phone="call me",
        media_url="javascript:alert(1)",
        lat="north",
        long="118.5",
        **{"attribute[urgency]": "whenever", "attribute[estate]": str(cw.w.street.pk)},
    )
    response = post(client, **data)
    assert response.status_code == 400
    text = " ".join(description for _, description in errors_of(response, "json"))
    for name in ("urgency", "estate", "lat", "phone", "media_url"):
        assert name in text
    assert not Case.objects.exists()


def test_without_a_description_the_service_name_describes_the_case(client, cw, api_key):
    data = form(
        api_key, address_id=str(cw.w.unit_a.pk), description="", first_name="", last_name="", phone=""
    )
    assert post(client, **data).status_code == 200
    case = Case.objects.get()
    assert case.description == "下水道堵塞"
    assert case.anonymous and case.reporter_name == "" and case.reporter_phone == ""


def test_latin_names_keep_their_order(client, cw, api_key):
    data = form(api_key, address_id=str(cw.w.unit_a.pk), first_name="John", last_name="Smith")
    assert post(client, **data).status_code == 200
    assert Case.objects.get().reporter_name == "John Smith"


def test_post_needs_no_csrf_token(cw, api_key):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post(f"{BASE}/requests.json", form(api_key, address_id=str(cw.w.unit_a.pk))).status_code == 200
    )


def test_control_characters_are_dropped_and_line_breaks_kept(client, cw, api_key):
    data = form(api_key, address_id=str(cw.w.unit_a.pk), description="井盖\x00缺失\x07\n东门旁")
    assert post(client, **data).status_code == 200
    assert Case.objects.get().description == "井盖缺失\n东门旁"
