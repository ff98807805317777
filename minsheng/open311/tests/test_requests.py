"""GET requests and GET requests/{id}: fields, status mapping after real actions, filters, paging, privacy."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.cases import actions
from minsheng.cases.choices import Satisfaction

from .conftest import (
    BASE,
    NOW,
    REPORTER_NAME,
    REPORTER_PHONE,
    errors_of,
    json_of,
    validate,
    xml_of,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def get_json(client, path="requests.json", **params):
    response = client.get(f"{BASE}/{path}", params)
    assert response.status_code == 200, response.content
    body = json_of(response)
    validate(body, "requests.json")
    return body


def numbers(body) -> list[str]:
    return [r["service_request_id"] for r in body]


def close_the_loop(case, cw):
    w = cw.w
    case = actions.do_accept(case, actor=w.worker_a)
    case = actions.do_dispatch(case, actor=w.worker_a, unit=cw.unit_a, handler=w.grid_a)
    case = actions.do_sign(case, actor=w.grid_a)
    case = actions.do_reply(case, actor=w.grid_a, note="已疏通管道并清理路面")
    return actions.do_verify(case, actor=w.worker_a, passed=True)


def test_a_request_in_json_has_every_field_with_timezones(client, cw, register, frozen):
    case = register()
    case = actions.do_accept(case, actor=cw.w.worker_a)
    case = actions.do_dispatch(case, actor=cw.w.worker_a, unit=cw.unit_a, handler=cw.w.grid_a)
    (request,) = get_json(client)
    assert list(request) == FIELDS
    assert request["service_request_id"] == case.number
    assert request["status"] == "open"
    assert request["status_notes"] == "已派遣"
    assert (request["service_code"], request["service_name"]) == ("050101", "下水道堵塞")
    assert request["description"] == "3号楼下水道堵塞，污水外溢"
    assert request["agency_responsible"] == "颐和社区居委会"
    assert request["requested_datetime"] == "2026-03-02T10:00:00+08:00"
    assert request["updated_datetime"] == "2026-03-02T10:00:00+08:00"
    assert request["expected_datetime"] == "2026-03-09T17:30:00+08:00"  # 5 working days, end of office hours
    assert "2026-03-09 17:30" in request["service_notice"]
    # The place down to the 小区, never the 楼栋/单元 (decision 0002).
    assert request["address"] == "城关街道 颐和社区 颐和家园"
    assert request["address_id"] == str(cw.w.estate_a.pk)
    assert request["zipcode"] is None and request["media_url"] is None


def test_a_request_in_xml_carries_the_same_values(client, cw, register, frozen):
    case = register(lat=36.505, lng=118.505)
    json_request = get_json(client)[0]
    root = xml_of(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    (element,) = root.findall("request")
    assert [child.tag for child in element] == FIELDS
    assert element.findtext("service_request_id") == case.number
    for field in ("status", "status_notes", "service_code", "requested_datetime", "address", "address_id"):
        assert element.findtext(field) == json_request[field]
    assert float(element.findtext("lat")) == 36.505 and float(element.findtext("long")) == 118.505
    assert element.findtext("zipcode") == ""  # null is an empty element


def test_status_is_only_open_or_closed_after_the_real_actions(client, cw, register, frozen):
    w = cw.w
    resolved = close_the_loop(register(), cw)
    archived = actions.do_follow_up(
        close_the_loop(register(), cw), actor=w.worker_a, resolved=True, satisfaction=Satisfaction.SATISFIED
    )
    rejected = actions.do_reject(register(), actor=w.worker_a, reason="不属于本街道职责范围")
    merged = actions.do_merge(register(), into=resolved, actor=w.worker_a)
    handling = actions.do_sign(
        actions.do_dispatch(
            actions.do_accept(register(), actor=w.worker_a), actor=w.worker_a, unit=cw.unit_a
        ),
        actor=w.grid_a,
    )
    fresh = register()
    by_number = {r["service_request_id"]: r for r in get_json(client)}
    assert {n: r["status"] for n, r in by_number.items()} == {
        resolved.number: "closed",
        archived.number: "closed",
        rejected.number: "closed",
        merged.number: "closed",
        handling.number: "open",
        fresh.number: "open",
    }
    assert by_number[resolved.number]["status_notes"] == "已办结：已疏通管道并清理路面"
    assert by_number[rejected.number]["status_notes"] == "不予受理：不属于本街道职责范围"
    assert by_number[fresh.number]["status_notes"] == "登记"
    assert by_number[resolved.number]["service_notice"] is None  # nothing more is expected of a closed one
    assert set(numbers(get_json(client, status="closed"))) == {
        resolved.number,
        archived.number,
        rejected.number,
        merged.number,
    }
    assert set(numbers(get_json(client, status="open"))) == {handling.number, fresh.number}
    assert len(get_json(client, status="open,closed")) == 6
    xml_statuses = [e.text for e in xml_of(client.get(f"{BASE}/requests.xml")).iter("status")]
    assert sorted(xml_statuses) == ["closed"] * 4 + ["open"] * 2


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_400_with_one_error_each(client, cw, fmt):
    response = client.get(
        f"{BASE}/requests.{fmt}", {"status": "pending", "start_date": "yesterday", "page_size": "5000"}
    )
    assert response.status_code == 400
    errors = errors_of(response, fmt)
    assert [code for code, _ in errors] == [400, 400, 400]
    text = " ".join(description for _, description in errors)
    assert "status" in text and "start_date" in text and "page_size" in text


def test_service_request_id_overrides_the_other_filters(client, cw, register, frozen):
    first, _second, third = register(), register(), register()
    body = get_json(client, service_request_id=f"{first.number}, {third.number}", status="closed")
    assert set(numbers(body)) == {first.number, third.number}


def test_service_code_takes_a_list_and_any_level_of_the_tree(client, cw, register, frozen):
    sewer = register()
    building = register(category=cw.cat_building)
    consult = register(category=cw.cat_consult)
    assert numbers(get_json(client, service_code="050101")) == [sewer.number]
    assert set(numbers(get_json(client, service_code=f"050101,{cw.cat_consult.code}"))) == {
        sewer.number,
        consult.number,
    }
    assert numbers(get_json(client, service_code="09")) == [building.number]  # the whole 违章搭建 group
    assert get_json(client, service_code="nothing") == []


def test_the_default_window_is_the_last_90_days(client, cw, register, time_machine):
    time_machine.move_to(NOW - dt.timedelta(days=100), tick=False)
    old = register()
    time_machine.move_to(NOW - dt.timedelta(days=10), tick=False)
    recent = register()
    time_machine.move_to(NOW, tick=False)
    assert numbers(get_json(client)) == [recent.number]
    since = (NOW - dt.timedelta(days=120)).isoformat()
    assert numbers(get_json(client, start_date=since)) == [recent.number, old.number]
    until = (NOW - dt.timedelta(days=50)).isoformat()
    assert numbers(get_json(client, end_date=until)) == [old.number]
    assert numbers(get_json(client, start_date="2025-11-01", end_date="2025-12-31")) == [old.number]


def test_an_unencoded_plus_in_a_timezone_is_understood(client, cw, register, frozen):
    case = register()
    # "…+08:00" typed into a URL arrives as "… 08:00"; the request still means 09:00 China time.
    response = client.get(f"{BASE}/requests.json?start_date=2026-03-02T09:00:00+08:00")
    assert numbers(json_of(response)) == [case.number]
    response = client.get(f"{BASE}/requests.json?start_date=2026-03-02T11:00:00+08:00")
    assert json_of(response) == []


def test_page_and_page_size_walk_the_list_newest_first(client, cw, register, time_machine):
    cases = []
    for hour in range(5):
        time_machine.move_to(NOW + dt.timedelta(hours=hour), tick=False)
        cases.append(register())
    newest_first = [c.number for c in reversed(cases)]
    pages = [numbers(get_json(client, page=p, page_size=2)) for p in (1, 2, 3, 4)]
    assert pages == [newest_first[:2], newest_first[2:4], newest_first[4:], []]
    assert numbers(get_json(client, page_size=3)) == newest_first[:3]
    for bad in ({"page": "0"}, {"page_size": "1001"}, {"page": "two"}, {"page": "²"}, {"page": "9" * 30}):
        assert client.get(f"{BASE}/requests.json", bad).status_code == 400


def test_updated_after_and_before_follow_the_last_change(client, cw, register, time_machine):
    time_machine.move_to(NOW, tick=False)
    untouched, worked_on = register(), register()
    time_machine.move_to(NOW + dt.timedelta(days=2), tick=False)
    actions.do_accept(worked_on, actor=cw.w.worker_a)
    middle = (NOW + dt.timedelta(days=1)).isoformat()
    (request,) = get_json(client, updated_after=middle)
    assert request["service_request_id"] == worked_on.number
    assert request["updated_datetime"] == "2026-03-04T10:00:00+08:00"
    assert numbers(get_json(client, updated_before=middle)) == [untouched.number]


def test_only_appeals_are_published(client, cw, register, frozen):
    appeal = register()
    dispute = register(kind="dispute")
    assert numbers(get_json(client)) == [appeal.number]
    assert client.get(f"{BASE}/requests/{dispute.number}.json").status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_one_request_is_still_a_list_of_one(client, cw, register, frozen, fmt):
    case = register()
    response = client.get(f"{BASE}/requests/{case.number}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        body = json_of(response)
        validate(body, "requests.json")
        validate(body[0], "request.json")
        assert numbers(body) == [case.number]
    else:
        root = xml_of(response)
        assert [e.findtext("service_request_id") for e in root.findall("request")] == [case.number]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_and_any_token_are_404(client, cw, fmt):
    response = client.get(f"{BASE}/requests/CG-1999-000001.{fmt}")
    assert response.status_code == 404
    ((status, description),) = errors_of(response, fmt)
    assert status == 404 and "CG-1999-000001" in description
    response = client.get(f"{BASE}/tokens/12345.{fmt}")
    assert response.status_code == 404
    assert errors_of(response, fmt)[0][0] == 404


def test_the_first_photo_is_the_media_url_and_can_be_fetched(
    client, cw, register, frozen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with_photo = register(files=[SimpleUploadedFile("drain.png", PNG)])
    without = register()
    by_number = {r["service_request_id"]: r for r in get_json(client)}
    url = by_number[with_photo.number]["media_url"]
    assert url == f"http://testserver/open311/v2/requests/{with_photo.number}/media"
    assert by_number[without.number]["media_url"] is None
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert client.get(f"{BASE}/requests/{without.number}/media").status_code == 404


def test_a_media_url_given_by_the_client_is_published_when_there_is_no_photo(client, cw, api_key, frozen):
    data = {
        "api_key": api_key.key,
        "service_code": "050101",
        "address_id": str(cw.w.unit_a.pk),
        "media_url": "https://img.example.com/drain.jpg",
    }
    (created,) = json_of(client.post(f"{BASE}/requests.json", data))
    (request,) = get_json(client, f"requests/{created['service_request_id']}.json")
    assert request["media_url"] == "https://img.example.com/drain.jpg"


def test_no_personal_data_in_any_output(client, cw, register, api_key, frozen):
    typed_id = "370724198001011234"
    case = register(description=f"我是业主，电话13800138000，身份证{typed_id}，3号楼下水道堵塞")
    case = actions.do_accept(case, actor=cw.w.worker_a)
    client.post(
        f"{BASE}/requests.json",
        {
            "api_key": api_key.key,
            "service_code": "050101",
            "address_string": "颐和家园1号楼1单元",
            "first_name": "秀英",
            "last_name": "高",
            "phone": REPORTER_PHONE,
            "email": "gao@example.com",
        },
    )
    outputs = []
    for fmt in ("json", "xml"):
        outputs.append(client.get(f"{BASE}/requests.{fmt}").content.decode())
        outputs.append(client.get(f"{BASE}/requests/{case.number}.{fmt}").content.decode())
    for text in outputs:
        for secret in (REPORTER_NAME, "秀英", REPORTER_PHONE, "13800138000", typed_id, "gao@example.com"):
            assert secret not in text
        assert "1号楼" not in text and "1单元" not in text
        assert "138****8000" in text and "3707**********1234" in text
        assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?![+\-Z\d:])", text)  # no naive datetimes
