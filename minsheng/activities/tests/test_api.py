"""/api/v1/activities/: the actions behind HTTP — 201/200 for check-ins, 400 for bad input, 403/404 outside one's
rights and scope, 409 for a state that forbids it — and responses that match the OpenAPI schema."""

import datetime as dt

import pytest
from django.utils import timezone

from minsheng.activities import actions
from minsheng.activities.actions import points, volunteers
from minsheng.activities.models import CheckIn, Exchange

pytestmark = pytest.mark.django_db
BASE = "/api/v1/activities"


def test_publish_register_and_check_in(aw, api_for):
    api = api_for(aw.w.worker_a)
    start = timezone.now() + dt.timedelta(minutes=30)
    payload = {
        "title": "急救知识宣讲",
        "kind": "publicity",
        "node": aw.w.community_a.pk,
        "venue": aw.venue.pk,
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=2)).isoformat(),
        "capacity": 1,
    }
    bad = api.post(
        f"{BASE}/events/", {**payload, "end": (start - dt.timedelta(hours=1)).isoformat()}, format="json"
    )
    assert bad.status_code == 400 and "end" in bad.json()
    assert api.post(f"{BASE}/events/", {**payload, "kind": "nope"}, format="json").status_code == 400
    assert (
        api.post(f"{BASE}/events/", {**payload, "node": aw.w.community_b.pk}, format="json").status_code
        == 400
    )
    created = api.post(f"{BASE}/events/", payload, format="json")
    assert created.status_code == 201, created.json()
    event_id = created.json()["id"]

    first = api.post(
        f"{BASE}/events/{event_id}/register/", {"name": "张大爷", "phone": "13900000001"}, format="json"
    )
    second = api.post(
        f"{BASE}/events/{event_id}/register/", {"name": "李阿姨", "phone": "13900000002"}, format="json"
    )
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    assert first.json()["phone"] == "139****0001"
    assert second.json()["status"] == "waitlisted"
    assert api.post(f"{BASE}/events/{event_id}/register/", {}, format="json").status_code == 400

    registration = first.json()["id"]
    checked = api.post(f"{BASE}/events/{event_id}/check-in/", {"registration": registration}, format="json")
    again = api.post(f"{BASE}/events/{event_id}/check-in/", {"registration": registration}, format="json")
    assert checked.status_code == 201 and checked.json()["created"] is True
    assert again.status_code == 200 and again.json()["created"] is False
    assert (
        api.post(f"{BASE}/events/{event_id}/check-in/", {"token": "ZZZZ9999"}, format="json").status_code
        == 400
    )
    assert api.post(f"{BASE}/events/{event_id}/check-in/", {}, format="json").status_code == 400
    assert CheckIn.objects.filter(event_id=event_id).count() == 1
    figures = api.get(f"{BASE}/events/{event_id}/figures/").json()
    assert figures["checked_in"] == 1 and figures["waitlisted"] == 1

    conflict = api.post(f"{BASE}/registrations/{registration}/cancel/")
    assert conflict.status_code == 409 and conflict.json()["code"] == "illegal_transition"
    assert api.post(f"{BASE}/events/{event_id}/headcount/", {"count": 10}, format="json").status_code == 409
    listing = api.get(f"{BASE}/events/", {"kind": "publicity"})
    assert listing.status_code == 200 and listing.json()["count"] == 1


def test_scope_and_rights(aw, api_for):
    event = aw.event()
    assert api_for(aw.w.grid_b).get(f"{BASE}/events/{event.pk}/").status_code == 404
    assert api_for(aw.w.resident).get(f"{BASE}/events/").status_code == 403
    refused = api_for(aw.w.grid_a).post(f"{BASE}/events/{event.pk}/cancel/", {"reason": "雨"}, format="json")
    assert refused.status_code == 403


def test_volunteers_records_and_exchange(aw, api_for, volunteer):
    api = api_for(aw.w.worker_a)
    created = api.post(
        f"{BASE}/volunteers/",
        {"name": "李医生", "phone": "13900000011", "node": aw.w.community_a.pk, "consent": False},
        format="json",
    )
    assert created.status_code == 400 and "consent" in created.json()
    record = api.post(
        f"{BASE}/records/",
        {
            "volunteer": volunteer.pk,
            "content": "助老",
            "served_on": aw.now.date().isoformat(),
            "hours": "2.5",
        },
        format="json",
    )
    assert record.status_code == 201 and record.json()["status"] == "pending"
    confirmed = api.post(f"{BASE}/records/{record.json()['id']}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert api.post(f"{BASE}/records/{record.json()['id']}/confirm/").status_code == 409
    balance = api.get(f"{BASE}/volunteers/{volunteer.pk}/balance/").json()
    assert balance["balance"] == 25 and balance["volunteer"] == volunteer.pk
    item = points.do_add_market_item(
        actor=aw.w.worker_a, node=aw.w.community_a, name="大米", points=30, stock=2
    )
    refused = api.post(f"{BASE}/market-items/{item.pk}/exchange/", {"volunteer": volunteer.pk}, format="json")
    assert refused.status_code == 409 and "积分不足" in refused.json()["detail"]
    assert not Exchange.objects.exists()
    listing = api.get(f"{BASE}/volunteers/").json()["results"]
    assert listing[0]["phone"].count("*") == 4 and "****" in listing[0]["id_number"]


def test_figures_endpoint(aw, api_for):
    event = aw.event(start_in_hours=1)
    actions.do_record_attendance(event, actor=aw.w.grid_a, people=[{"name": "甲"}, {"name": "乙"}])
    api = api_for(aw.w.worker_a)
    day = timezone.localdate(event.start)  # the event's own day: an hour from now may be tomorrow already
    body = api.get(f"{BASE}/figures/", {"by": "kind", "start": f"{day.year}-01-01", "end": day}).json()
    by_code = {m["code"]: m["value"] for m in body["metrics"]}
    assert by_code["activities.person_times"] == 2 and by_code["activities.unique_participants"] == 2
    assert body["breakdown"][0]["person_times"] == 2
    assert api.get(f"{BASE}/figures/", {"by": "nonsense"}).status_code == 400
    assert api.get(f"{BASE}/figures/", {"start": "2026-13-01"}).status_code == 400
    assert api.get(f"{BASE}/figures/", {"start": "2026-12-31", "end": "2026-01-01"}).status_code == 400


def test_shift_signup_through_the_api(aw, api_for, volunteer):
    event = aw.event(start_in_hours=48)
    shift = volunteers.do_create_shift(
        actor=aw.w.worker_a, event=event, role="引导", start=event.start, end=event.end, slots=1
    )
    api = api_for(aw.w.worker_a)
    signup = api.post(f"{BASE}/shifts/{shift.pk}/signup/", {"volunteer": volunteer.pk}, format="json")
    assert signup.status_code == 201 and signup.json()["status"] == "confirmed"
    assert api.get(f"{BASE}/shifts/", {"event": event.pk}).json()["count"] == 1


def test_schema_lists_the_activities_api(client):
    from drf_spectacular.validation import validate_schema

    schema = client.get("/api/schema/?format=json").json()
    validate_schema(schema)
    for path in (
        "/api/v1/activities/events/",
        "/api/v1/activities/events/{id}/check-in/",
        "/api/v1/activities/figures/",
    ):
        assert path in schema["paths"], path


def test_dual_reporting_created_and_moved_through_the_api(aw, api_for, volunteer):
    api = api_for(aw.w.worker_a)
    today = aw.now.date().isoformat()
    unit_payload = {
        "node": aw.w.community_a.pk,
        "name": "县供电公司",
        "kind": "soe",
        "contact_name": "王主任",
        "contact_phone": "13900000021",
        "reported_on": today,
        "resources": ["电工志愿服务"],
    }
    missing = api.post(f"{BASE}/dual-units/", {"node": aw.w.community_a.pk, "name": ""}, format="json")
    assert missing.status_code == 400
    assert {"name", "contact_name", "reported_on"} <= missing.json().keys()
    assert api.post(f"{BASE}/dual-units/", {**unit_payload, "kind": "x"}, format="json").status_code == 400
    elsewhere = api.post(f"{BASE}/dual-units/", {**unit_payload, "node": aw.w.community_b.pk}, format="json")
    assert elsewhere.status_code == 400 and "node" in elsewhere.json()
    unit = api.post(f"{BASE}/dual-units/", unit_payload, format="json")
    assert unit.status_code == 201, unit.json()
    assert unit.json()["contact_phone"] == "139****0021" and unit.json()["resources"] == ["电工志愿服务"]
    again = api.post(f"{BASE}/dual-units/", unit_payload, format="json")
    assert again.status_code == 400 and "name" in again.json()
    unit_id = unit.json()["id"]

    resource = api.post(f"{BASE}/resources/", {"unit": unit_id, "title": "会议室"}, format="json")
    assert resource.status_code == 201 and resource.json()["unit"] == unit_id
    assert api.post(f"{BASE}/resources/", {"unit": unit_id, "title": " "}, format="json").status_code == 400
    assert api.get(f"{BASE}/resources/").json()["count"] == 2

    member = api.post(
        f"{BASE}/dual-members/",
        {
            "node": aw.w.community_a.pk,
            "name": "刘党员",
            "reported_on": today,
            "unit": unit_id,
            "volunteer": volunteer.pk,
        },
        format="json",
    )
    assert member.status_code == 201 and member.json()["work_unit_name"] == "县供电公司"
    ended = api.post(f"{BASE}/dual-members/{member.json()['id']}/end/")
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert api.post(f"{BASE}/dual-members/{member.json()['id']}/end/").status_code == 409

    need = api.post(f"{BASE}/needs/", {"node": aw.w.community_a.pk, "title": "楼道灯维修"}, format="json")
    assert need.status_code == 201 and need.json()["status"] == "open"
    need_id = need.json()["id"]
    assert api.post(f"{BASE}/needs/{need_id}/claim/", {"unit": "x"}, format="json").status_code == 400
    claimed = api.post(f"{BASE}/needs/{need_id}/claim/", {"unit": unit_id}, format="json")
    assert claimed.status_code == 200 and claimed.json()["claimed_by"] == unit_id
    assert api.post(f"{BASE}/needs/{need_id}/claim/", {"unit": unit_id}, format="json").status_code == 409

    project_payload = {
        "node": aw.w.community_a.pk,
        "title": "楼道亮灯工程",
        "units": [unit_id],
        "need": need_id,
    }
    backwards = api.post(
        f"{BASE}/projects/",
        {**project_payload, "start_on": "2026-06-02", "end_on": "2026-06-01"},
        format="json",
    )
    assert backwards.status_code == 400 and "end_on" in backwards.json()
    project = api.post(f"{BASE}/projects/", project_payload, format="json")
    assert project.status_code == 201 and project.json()["units"] == [unit_id]
    project_id = project.json()["id"]
    assert (
        api.post(f"{BASE}/projects/{project_id}/status/", {"status": "?"}, format="json").status_code == 400
    )
    done = api.post(f"{BASE}/projects/{project_id}/status/", {"status": "done"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert api.get(f"{BASE}/needs/{need_id}/").json()["status"] == "done"
    assert api.post(f"{BASE}/needs/{need_id}/finish/").status_code == 409

    assert api.post(f"{BASE}/dual-units/{unit_id}/end/").json()["status"] == "ended"
    assert api.post(f"{BASE}/dual-units/{unit_id}/end/").status_code == 409


def test_dual_reporting_rights_and_scope(aw, api_for):
    need = actions_dual().do_add_need(actor=aw.w.worker_a, node=aw.w.community_a, title="助老")
    grid = api_for(aw.w.grid_a)
    refused = grid.post(f"{BASE}/needs/{need.pk}/finish/")
    assert refused.status_code == 403
    assert api_for(aw.w.grid_b).post(f"{BASE}/needs/{need.pk}/finish/").status_code == 404
    created = grid.post(f"{BASE}/needs/", {"node": aw.w.community_a.pk, "title": "助老"}, format="json")
    assert created.status_code in (400, 403)


def test_teams_created_and_joined_through_the_api(aw, api_for, volunteer):
    api = api_for(aw.w.worker_a)
    assert (
        api.post(f"{BASE}/teams/", {"node": aw.w.community_a.pk, "name": ""}, format="json").status_code
        == 400
    )
    bad_hours = {"node": aw.w.community_a.pk, "name": "队", "visit_hours": "abc"}
    assert api.post(f"{BASE}/teams/", bad_hours, format="json").status_code == 400
    team = api.post(
        f"{BASE}/teams/",
        {"node": aw.w.community_a.pk, "name": "颐和党员志愿者队", "kind": "party", "leader": volunteer.pk},
        format="json",
    )
    assert team.status_code == 201, team.json()
    assert team.json()["kind"] == "party" and team.json()["members"] == [volunteer.pk]
    team_id = team.json()["id"]
    other = volunteers.do_register_volunteer(
        actor=aw.w.worker_a, node=aw.w.community_a, name="小赵", phone="13800000006", consent=True
    )
    assert api.post(f"{BASE}/teams/{team_id}/members/", {"volunteers": []}, format="json").status_code == 400
    joined = api.post(f"{BASE}/teams/{team_id}/members/", {"volunteers": [other.pk]}, format="json")
    assert joined.status_code == 200 and sorted(joined.json()["members"]) == sorted([volunteer.pk, other.pk])
    volunteers.do_deactivate_volunteer(other, actor=aw.w.worker_a)
    gone = api.post(f"{BASE}/teams/{team_id}/members/", {"volunteers": [other.pk]}, format="json")
    assert gone.status_code == 400

    from minsheng.org.models import Grid

    grid = Grid.objects.create(code="G-TEST-1", name="颐和一网格", community=aw.w.community_a)
    first = {"node": aw.w.community_a.pk, "name": "一网格队", "grid": grid.pk}
    assert api.post(f"{BASE}/teams/", first, format="json").status_code == 201
    second = api.post(f"{BASE}/teams/", {**first, "name": "党员队", "kind": "party"}, format="json")
    assert second.status_code == 400 and "grid" in second.json()


def test_schema_documents_the_dual_and_team_writes(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path in ("dual-units/", "dual-members/", "resources/", "needs/", "projects/", "teams/"):
        post = paths[f"/api/v1/activities/{path}"]["post"]
        assert "201" in post["responses"], path
    for path in (
        "dual-units/{id}/end/",
        "dual-members/{id}/end/",
        "needs/{id}/claim/",
        "needs/{id}/finish/",
        "projects/{id}/status/",
        "teams/{id}/members/",
    ):
        assert "post" in paths[f"/api/v1/activities/{path}"], path


def actions_dual():
    from minsheng.activities.actions import dual

    return dual
