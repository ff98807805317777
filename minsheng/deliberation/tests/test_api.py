"""/api/v1/deliberation/: the run of a meeting over the API, the error statuses (400, 403, 404, 409), idempotent
sign-in, visits only by the assigned visitor, and responses that match the OpenAPI schema."""

import datetime as dt

import pytest
import time_machine

from minsheng.deliberation import actions
from minsheng.deliberation.models import Meeting

from .conftest import local

pytestmark = pytest.mark.django_db
BASE = "/api/v1/deliberation"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200


@time_machine.travel(local(2026, 10, 12, 9, 5), tick=False)
def test_meeting_over_the_api(dw, api_for):
    w = dw.w
    api = api_for(w.worker_a)
    r = api.post(
        f"{BASE}/meetings/",
        {
            "kind": "four_party",
            "node": w.estate_a.pk,
            "title": "四方联席会议",
            "place": "议事亭",
            "starts_at": "2026-10-12T09:00:00+08:00",
            "ends_at": "2026-10-12T11:00:00+08:00",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert api.post(f"{BASE}/meetings/{pk}/topics/", {"title": "充电桩"}, format="json").status_code == 201
    assert api.post(f"{BASE}/meetings/{pk}/open/").json()["status"] == "in_progress"
    r = api.post(
        f"{BASE}/meetings/{pk}/items/",
        {"kind": "problem", "text": "井盖松动", "raised_by": "老赵"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["case_number"] and r.json()["outcome"]["open"] is True
    assert (
        api.post(f"{BASE}/meetings/{pk}/items/", {"kind": "problem", "text": ""}, format="json").status_code
        == 400
    )
    r = api.post(
        f"{BASE}/meetings/{pk}/votes/",
        {
            "subject": "改建车棚",
            "matter": "rebuild",
            "total_area": "10000",
            "total_owners": 100,
            "participating_area": "6000",
            "participating_owners": 70,
            "yes_area": "6000",
            "yes_owners": 70,
            "result": "passed",
        },
        format="json",
    )
    assert (
        r.status_code == 201 and r.json()["result"] == "not_quorate"
    )  # computed, the sent result is ignored
    r = api.post(f"{BASE}/meetings/{pk}/close/", {}, format="json")
    assert r.status_code == 400 and {"minutes", "headcount"} <= set(r.json())
    r = api.post(
        f"{BASE}/meetings/{pk}/headcount/", {"counts": {"resident": 9, "owners_committee": 2}}, format="json"
    )
    assert r.json() == {"total": 11, "by_role": {"resident": 9, "owners_committee": 2}}
    assert (
        api.post(f"{BASE}/meetings/{pk}/headcount/", {"counts": {"alien": 1}}, format="json").status_code
        == 400
    )
    r = api.post(f"{BASE}/meetings/{pk}/close/", {"minutes": "议定事项若干"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = api.post(
        f"{BASE}/meetings/{pk}/votes/",
        {
            "subject": "x",
            "matter": "ordinary",
            "total_area": "100",
            "total_owners": 10,
            "participating_area": "80",
            "participating_owners": 8,
            "yes_area": "60",
            "yes_owners": 6,
        },
        format="json",
    )
    assert r.status_code == 409
    assert api.post(f"{BASE}/meetings/{pk}/publish/").json()["minutes_published"] is True
    assert api.get(f"{BASE}/meetings/?kind=four_party").json()["count"] == 1
    assert api_for(w.grid_b).get(f"{BASE}/meetings/{pk}/").status_code == 404
    assert api_for(w.grid_a).post(f"{BASE}/meetings/{pk}/publish/").status_code in (403, 409)


@time_machine.travel(local(2026, 10, 12, 9, 5), tick=False)
def test_sign_in_api_is_idempotent(dw, api_for):
    w = dw.w
    m = actions.do_create_meeting(
        actor=w.worker_a,
        kind=dw.kind("mazha"),
        node=w.estate_a,
        title="马扎议事会",
        place="院里",
        starts_at=local(2026, 10, 12, 9),
        ends_at=local(2026, 10, 12, 10),
    )
    api = api_for(dw.property_mgr)
    first = api.post(f"{BASE}/meetings/{m.pk}/sign-in/", {}, format="json").json()
    second = api.post(f"{BASE}/meetings/{m.pk}/sign-in/", {}, format="json").json()
    assert first["created"] is True and second["created"] is False
    assert first["attendance"]["id"] == second["attendance"]["id"]
    with time_machine.travel(local(2026, 10, 12, 12), tick=False):
        late = api_for(w.grid_a).post(f"{BASE}/meetings/{m.pk}/sign-in/", {}, format="json")
    assert late.status_code == 400 and "signed_at" in late.json()


@time_machine.travel(local(2026, 10, 12, 9, 5), tick=False)
def test_series_api(dw, api_for):
    w = dw.w
    r = api_for(w.worker_a).post(
        f"{BASE}/series/",
        {
            "kind": "open_day",
            "node": w.estate_a.pk,
            "title": "阳光开放日",
            "place": "物业中心",
            "frequency": "monthly",
            "day_of_month": 28,
            "start_time": "09:00",
            "end_time": "11:00",
            "starts_on": "2026-10-01",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert Meeting.objects.filter(series_id=r.json()["id"]).count() == 3
    bad = api_for(w.worker_a).post(
        f"{BASE}/series/",
        {
            "kind": "monday",
            "node": w.estate_a.pk,
            "title": "x",
            "place": "y",
            "frequency": "weekly",
            "start_time": "09:00",
            "end_time": "08:00",
            "starts_on": "2026-10-01",
        },
        format="json",
    )
    assert bad.status_code == 400 and "weekday" in bad.json()
    assert api_for(w.grid_a).post(f"{BASE}/series/", {}, format="json").status_code == 400  # shape first
    outside = api_for(w.grid_b).post(
        f"{BASE}/series/",
        {
            "kind": "monday",
            "node": w.estate_a.pk,
            "title": "x",
            "place": "y",
            "frequency": "weekly",
            "weekday": 0,
            "start_time": "09:00",
            "end_time": "10:00",
            "starts_on": "2026-10-01",
        },
        format="json",
    )
    assert outside.status_code == 400 and "node" in outside.json()


@time_machine.travel(local(2026, 10, 12, 15), tick=False)
def test_visits_api_only_for_the_assigned_visitor(dw, api_for):
    w = dw.w
    admin = api_for(w.worker_a)
    r = admin.post(
        f"{BASE}/campaigns/",
        {"title": "连心大走访", "node": w.community_a.pk, "starts_on": "2026-10-01", "ends_on": "2026-10-31"},
        format="json",
    )
    campaign = r.json()["id"]
    assert admin.post(f"{BASE}/campaigns/{campaign}/targets/", {}, format="json").json() == {"count": 4}
    assert admin.post(
        f"{BASE}/campaigns/{campaign}/assign/", {"visitor": w.grid_a.pk}, format="json"
    ).json() == {"count": 4}
    mine = api_for(w.grid_a).get(f"{BASE}/targets/?mine=true").json()
    assert mine["count"] == 4 and "*" in mine["results"][0]["address"]
    target = mine["results"][0]["id"]
    r = api_for(w.grid_a).post(
        f"{BASE}/targets/{target}/visit/",
        {"outcome": "visited", "notes": "一切安好", "problems": [{"text": "单元门禁坏了"}]},
        format="json",
    )
    assert r.status_code == 201 and r.json()["items"][0]["case_number"]
    assert (
        api_for(w.worker_a)
        .post(f"{BASE}/targets/{target}/visit/", {"outcome": "visited"}, format="json")
        .status_code
        == 403
    )
    assert (
        api_for(w.grid_a)
        .post(f"{BASE}/targets/{target}/visit/", {"outcome": "maybe"}, format="json")
        .status_code
        == 400
    )
    assert api_for(w.worker_a).get(f"{BASE}/visits/").json()["count"] == 1


def test_schema_documents_the_deliberation_api(client):
    r = client.get("/api/schema/?format=json")
    paths = r.json()["paths"]
    for path in (
        "/api/v1/deliberation/meetings/{id}/close/",
        "/api/v1/deliberation/meetings/{id}/sign-in/",
        "/api/v1/deliberation/targets/{id}/visit/",
        "/api/v1/deliberation/series/",
        "/api/v1/deliberation/series/{id}/",
        "/api/v1/deliberation/teams/",
        "/api/v1/deliberation/contact-plans/",
        "/api/v1/deliberation/contacts/",
    ):
        assert path in paths, path


@time_machine.travel(local(2026, 10, 12, 15), tick=False)
def test_visit_api_takes_photos_as_multipart(dw, api_for, settings, tmp_path):
    """The phone app posts the visit like the page does: a form with photos and a problem met at the door."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    w = dw.w
    campaign = actions.do_create_campaign(
        actor=w.worker_a,
        title="连心大走访",
        node=w.community_a,
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2026, 10, 31),
    )
    actions.do_add_targets(campaign, actor=w.worker_a)
    actions.do_assign(campaign, actor=w.worker_a, visitor=w.grid_a)
    target = campaign.targets.order_by("pk").first()
    visitor = api_for(w.grid_a)
    photo = SimpleUploadedFile("door.jpg", JPEG, content_type="image/jpeg")
    r = visitor.post(
        f"{BASE}/targets/{target.pk}/visit/",
        {"outcome": "visited", "notes": "楼道堆物", "photos": [photo], "problems[0]text": "楼道堆放杂物"},
        format="multipart",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert [p["name"] for p in body["photos"]] == ["door.jpg"]
    assert body["items"][0]["text"] == "楼道堆放杂物" and body["items"][0]["case_number"]
    # not a picture: 400 and nothing recorded
    other = campaign.targets.exclude(pk=target.pk).order_by("pk").first()
    text = SimpleUploadedFile("note.txt", b"hello", content_type="text/plain")
    r = visitor.post(
        f"{BASE}/targets/{other.pk}/visit/", {"outcome": "visited", "photos": [text]}, format="multipart"
    )
    assert r.status_code == 400 and "类型不支持" in str(r.json())
    other.refresh_from_db()
    assert other.attempts == 0


@time_machine.travel(local(2026, 10, 12, 9, 5), tick=False)
def test_series_patch_changes_only_untouched_future_occurrences(dw, api_for):
    w = dw.w
    series = actions.do_create_series(
        actor=w.worker_a,
        kind=dw.kind("open_day"),
        node=w.estate_a,
        title="阳光开放日",
        place="物业中心",
        convenor=w.worker_a,
        frequency="monthly",
        day_of_month=28,
        start_time=dt.time(9),
        end_time=dt.time(11),
        starts_on=dt.date(2026, 10, 1),
    )
    first = series.meetings.order_by("rule_date").first()
    actions.do_add_topic(first, actor=w.worker_a, title="停车位划线")  # somebody worked on it: it stays
    r = api_for(w.worker_a).patch(
        f"{BASE}/series/{series.pk}/", {"start_time": "14:00", "end_time": "16:00"}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert r.json()["start_time"] == "14:00:00"
    hours = {
        m.rule_date: m.starts_at.astimezone(local(2026, 1, 1).tzinfo).hour for m in series.meetings.all()
    }
    assert hours.pop(first.rule_date) == 9 and set(hours.values()) == {14}
    bad = api_for(w.worker_a).patch(f"{BASE}/series/{series.pk}/", {"end_time": "08:00"}, format="json")
    assert bad.status_code == 400 and "end_time" in bad.json()
    assert (
        api_for(w.grid_a).patch(f"{BASE}/series/{series.pk}/", {"title": "x"}, format="json").status_code
        == 403
    )


def test_red_team_api_creates_through_the_action_and_lists_in_scope(dw, api_for):
    w = dw.w
    r = api_for(w.worker_a).post(
        f"{BASE}/teams/",
        {
            "name": "颐和红色管家",
            "node": w.estate_a.pk,
            "leader": w.worker_a.pk,
            "members": [w.grid_a.pk, dw.property_mgr.pk],
            "buildings": [w.building_a.pk],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert sorted(r.json()["members"]) == sorted([w.grid_a.pk, dw.property_mgr.pk])
    assert r.json()["buildings"] == [w.building_a.pk]
    assert api_for(w.worker_a).get(f"{BASE}/teams/").json()["count"] == 1
    assert api_for(w.grid_b).get(f"{BASE}/teams/").json()["count"] == 0  # 社区B sees none of 社区A's teams
    bad = api_for(w.worker_a).post(f"{BASE}/teams/", {"name": " ", "node": w.estate_a.pk}, format="json")
    assert bad.status_code == 400 and "name" in bad.json()
    outside = api_for(w.worker_a).post(
        f"{BASE}/teams/", {"name": "跨区", "node": w.estate_a.pk, "buildings": [w.unit_b.pk]}, format="json"
    )
    assert outside.status_code == 400 and "buildings" in outside.json()


@time_machine.travel(local(2026, 10, 12, 15), tick=False)
def test_contact_plans_and_contacts_over_the_api(dw, api_for):
    w = dw.w
    staff = api_for(w.worker_a)
    r = staff.post(f"{BASE}/contact-plans/", {"party_member": dw.member.pk, "every_days": 14}, format="json")
    assert r.status_code == 200 and r.json()["every_days"] == 14
    r = staff.post(f"{BASE}/contact-plans/", {"party_member": dw.member.pk, "every_days": 7}, format="json")
    assert r.json()["every_days"] == 7 and staff.get(f"{BASE}/contact-plans/").json()["count"] == 1
    assert (
        staff.post(
            f"{BASE}/contact-plans/", {"party_member": dw.member.pk, "every_days": 0}, format="json"
        ).status_code
        == 400
    )
    # the party member records his own contact; a problem becomes a case at once
    member = api_for(w.grid_a)
    r = member.post(
        f"{BASE}/contacts/",
        {
            "party_member": dw.member.pk,
            "household": dw.households[0].pk,
            "method": "door",
            "note": "聊了家常",
            "problems": [{"text": "家门口路灯不亮"}],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["items"][0]["case_number"]
    not_linked = member.post(
        f"{BASE}/contacts/",
        {"party_member": dw.member.pk, "household": dw.households[4].pk, "method": "door"},
        format="json",
    )
    assert not_linked.status_code == 400 and "household" in not_linked.json()
    stranger = api_for(w.grid_b).post(
        f"{BASE}/contacts/",
        {"party_member": dw.member.pk, "household": dw.households[0].pk, "method": "door"},
        format="json",
    )
    assert stranger.status_code == 400 and "party_member" in stranger.json()
    assert member.get(f"{BASE}/contacts/").json()["count"] == 1
    assert staff.get(f"{BASE}/contacts/").json()["count"] == 1
    assert api_for(w.grid_b).get(f"{BASE}/contacts/").json()["count"] == 0
