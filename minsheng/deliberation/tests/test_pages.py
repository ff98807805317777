"""The staff pages: a community worker runs a meeting from agenda to minutes; fast item entry; QR sign-in; the
phone visit round; who may see and do what."""

import datetime as dt

import pytest
import time_machine

from minsheng.deliberation import actions
from minsheng.deliberation.choices import ItemKind, MeetingStatus, ParticipantRole, TargetStatus
from minsheng.deliberation.models import Item, Meeting

from .conftest import local

pytestmark = pytest.mark.django_db


def make_meeting(dw, start=None):
    start = start or local(2026, 10, 12, 9)
    return actions.do_create_meeting(
        actor=dw.w.worker_a,
        kind=dw.kind("monday"),
        node=dw.w.community_a,
        title="颐和社区周一议事日",
        place="党群服务中心",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )


@time_machine.travel(local(2026, 10, 12, 9, 5), tick=False)
def test_worker_runs_a_monday_meeting_from_agenda_to_minutes(dw, client_for):
    w = dw.w
    c = client_for(w.worker_a)
    m = make_meeting(dw)
    assert c.get("/deliberation/").status_code == 200
    assert c.post(f"/deliberation/meetings/{m.pk}/act/topic/", {"title": "楼道堆物"}).status_code == 302
    assert c.post(f"/deliberation/meetings/{m.pk}/act/open/").status_code == 302
    for text in ("路灯不亮", "下水道堵", "垃圾桶不够"):
        r = c.post(
            f"/deliberation/meetings/{m.pk}/items/",
            {"kind": "problem", "text": text, "raised_by": "老刘"},
            HTTP_HX_REQUEST="true",
        )
        assert r.status_code == 200 and text in r.content.decode()
    r = c.post(
        f"/deliberation/meetings/{m.pk}/items/", {"kind": "problem", "text": " "}, HTTP_HX_REQUEST="true"
    )
    assert (
        "请填写" in r.content.decode() or "必填" in r.content.decode() or "This field" in r.content.decode()
    )
    assert Item.objects.filter(meeting=m, case__channel="monday").count() == 3
    # closing without minutes: a clear error, nothing changes
    r = c.post(f"/deliberation/meetings/{m.pk}/act/close/", {"minutes": ""})
    assert r.status_code == 400 and "请先填写会议纪要" in r.content.decode()
    assert Meeting.objects.get(pk=m.pk).status == MeetingStatus.IN_PROGRESS
    c.post(f"/deliberation/meetings/{m.pk}/act/attendee/", {"name": "居民代表老王", "role": "resident_rep"})
    c.post(f"/deliberation/meetings/{m.pk}/act/tally/", {"resident": "12"})
    r = c.post(f"/deliberation/meetings/{m.pk}/act/close/", {"minutes": "议定三件事，物业本周内落实。"})
    assert r.status_code == 302
    assert Meeting.objects.get(pk=m.pk).status == MeetingStatus.CLOSED
    r = c.get(f"/deliberation/meetings/{m.pk}/")
    assert r.status_code == 200 and "向居民公开纪要" in r.content.decode()
    assert c.post(f"/deliberation/meetings/{m.pk}/act/publish/").status_code == 302
    docx = c.get(f"/deliberation/meetings/{m.pk}/minutes.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = c.get(f"/deliberation/meetings/{m.pk}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert c.get(f"/deliberation/meetings/{m.pk}/qr.png").status_code == 200
    # a vote on a closed meeting is refused with a message, nothing recorded
    r = c.post(
        f"/deliberation/meetings/{m.pk}/act/vote/",
        {
            "subject": "x",
            "matter": "ordinary",
            "total_area": "100",
            "total_owners": "10",
            "participating_area": "80",
            "participating_owners": "8",
            "yes_area": "60",
            "yes_owners": "6",
        },
        follow=True,
    )
    assert "不能再记录表决" in r.content.decode() and m.votes.count() == 0


@time_machine.travel(local(2026, 10, 12, 9, 5), tick=False)
def test_qr_sign_in_is_idempotent(dw, client_for):
    m = make_meeting(dw)
    c = client_for(dw.property_mgr)
    url = f"/deliberation/signin/{m.token}/"
    assert c.get(url).status_code == 200
    assert "签到成功" in c.post(url, {"role": "property_manager"}).content.decode()
    assert "无需重复签到" in c.post(url, {"role": "property_manager"}).content.decode()
    assert m.attendance.count() == 1
    assert c.get("/deliberation/signin/nonsense/").status_code == 404


def test_sign_in_outside_the_window_is_refused(dw, client_for):
    m = make_meeting(dw)
    with time_machine.travel(local(2026, 10, 12, 7), tick=False):
        r = client_for(dw.property_mgr).post(f"/deliberation/signin/{m.token}/", {"role": "property_manager"})
    assert r.status_code == 400 and "不在签到时间内" in r.content.decode()
    assert m.attendance.count() == 0


def test_scope_and_capabilities(dw, client_for):
    w = dw.w
    m = make_meeting(dw)
    assert client_for(w.grid_b).get(f"/deliberation/meetings/{m.pk}/").status_code == 404
    assert client_for(w.resident).get("/deliberation/").status_code == 403
    assert client_for(w.grid_a).get("/deliberation/meetings/new/").status_code == 403
    r = client_for(w.grid_a).post(f"/deliberation/meetings/{m.pk}/act/open/", follow=True)
    assert "没有权限" in r.content.decode()
    assert Meeting.objects.get(pk=m.pk).status == MeetingStatus.SCHEDULED
    for url in (
        "/deliberation/series/",
        "/deliberation/visits/",
        "/deliberation/linked/",
        "/deliberation/teams/",
        "/deliberation/figures/",
        "/deliberation/export/meetings.xlsx",
        "/deliberation/export/visits.xlsx",
    ):
        assert client_for(w.worker_a).get(url).status_code == 200, url


def test_series_page_creates_a_weekly_series(dw, client_for):
    w = dw.w
    with time_machine.travel(local(2026, 9, 20, 9), tick=False):
        r = client_for(w.worker_a).post(
            "/deliberation/series/",
            {
                "kind": dw.kind("monday").pk,
                "node": w.community_a.pk,
                "title": "周一议事日",
                "place": "党群服务中心",
                "frequency": "weekly",
                "weekday": "0",
                "start_time": "09:00",
                "end_time": "10:30",
                "holiday_policy": "move",
                "starts_on": "2026-09-21",
            },
        )
    assert r.status_code == 302
    assert Meeting.objects.filter(series__isnull=False).count() == 13


def campaign_with_target(dw):
    w = dw.w
    campaign = actions.do_create_campaign(
        actor=w.worker_a,
        title="连心大走访",
        node=w.community_a,
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2026, 10, 31),
    )
    assert actions.do_add_targets(campaign, actor=w.worker_a) == 4  # 社区A's four households, not 社区B's
    actions.do_assign(campaign, actor=w.worker_a, visitor=w.grid_a)
    return campaign


@time_machine.travel(local(2026, 10, 12, 15), tick=False)
def test_visit_round_on_the_phone(dw, client_for):
    w = dw.w
    campaign = campaign_with_target(dw)
    target = campaign.targets.order_by("pk").first()
    c = client_for(w.grid_a)
    assert "住户1" in c.get("/deliberation/visits/mine/").content.decode()
    r = c.post(f"/deliberation/visits/targets/{target.pk}/", {"outcome": "not_home"})
    assert r.status_code == 302
    target.refresh_from_db()
    assert target.status == TargetStatus.NOT_HOME
    assert "不在家" in c.get("/deliberation/visits/mine/").content.decode()  # it comes back on the round
    r = c.post(
        f"/deliberation/visits/targets/{target.pk}/",
        {"outcome": "visited", "notes": "老人独居，身体还好", "problem": "楼道灯坏了"},
    )
    assert r.status_code == 302
    target.refresh_from_db()
    assert target.status == TargetStatus.VISITED and target.attempts == 2
    item = Item.objects.get(visit__target=target)
    assert item.case.channel == "door_visit" and item.kind == ItemKind.PROBLEM
    # somebody not assigned
    other = campaign.targets.exclude(pk=target.pk).first()
    assert (
        client_for(w.worker_a)
        .post(f"/deliberation/visits/targets/{other.pk}/", {"outcome": "visited"})
        .status_code
        == 403
    )
    assert client_for(w.worker_a).get(f"/deliberation/visits/{campaign.pk}/").status_code == 200


@time_machine.travel(local(2026, 10, 12, 15), tick=False)
def test_linked_overdue_list_and_contact(dw, client_for):
    c = client_for(dw.w.worker_a)
    r = c.get("/deliberation/linked/")
    assert "党员老李" in r.content.decode() and "从未联系" in r.content.decode()
    hh = dw.households[0]
    r = c.post(
        f"/deliberation/linked/{dw.member.pk}/contact/", {"household": hh.pk, "method": "door"}, follow=True
    )
    assert "已记录联户" in r.content.decode()
    assert dw.member.linked_contacts.count() == 1
    # a household not linked to the member
    r = c.post(
        f"/deliberation/linked/{dw.member.pk}/contact/",
        {"household": dw.households[4].pk, "method": "door"},
        follow=True,
    )
    assert "不是这名党员的联系户" in r.content.decode()


def test_resident_h5_upcoming_propose_and_published_minutes(dw, client_for):
    w = dw.w
    upcoming = make_meeting(dw, start=local(2026, 10, 19, 9))
    other = actions.do_create_meeting(
        actor=w.admin,
        kind=dw.kind("mazha"),
        node=w.estate_b,
        title="龙泉小区马扎议事会",
        place="院里",
        starts_at=local(2026, 10, 19, 15),
        ends_at=local(2026, 10, 19, 16),
    )
    c = client_for(w.resident)
    with time_machine.travel(local(2026, 10, 12, 20), tick=False):
        page = c.get("/h5/meetings/").content.decode()
        assert "颐和社区周一议事日" in page and "龙泉小区" not in page
        assert c.get(f"/h5/meetings/{other.pk}/").status_code == 404
        r = c.post(f"/h5/meetings/{upcoming.pk}/", {"title": "小区停车难", "name": "小王"})
        assert r.status_code == 302
        assert upcoming.topics.get().source == "resident"
        r = c.post(f"/h5/meetings/{upcoming.pk}/", {"title": ""})
        assert r.status_code == 200 and upcoming.topics.count() == 1
    with time_machine.travel(local(2026, 10, 19, 9, 10), tick=False):
        actions.do_open(upcoming, actor=w.worker_a)
        actions.do_raise_item(
            upcoming, actor=w.worker_a, kind=ItemKind.PROBLEM, text="东门停车难", raised_by="张三"
        )
        actions.do_register_attendee(upcoming, actor=w.worker_a, name="居民甲", role=ParticipantRole.RESIDENT)
        actions.do_close(upcoming, actor=w.worker_a, minutes="议定：划线增加车位")
        assert c.get(f"/h5/meetings/{upcoming.pk}/").status_code == 404  # not yet published
        actions.do_publish(upcoming, actor=w.worker_a)
        page = c.get(f"/h5/meetings/{upcoming.pk}/").content.decode()
        assert "划线增加车位" in page and "东门停车难" in page and "登记" in page and "张三" not in page


@time_machine.travel(local(2026, 10, 12, 8), tick=False)
def test_meeting_list_filters_like_the_api(dw, client_for):
    make_meeting(dw)
    c = client_for(dw.w.worker_a)
    assert "颐和社区周一议事日" in c.get("/deliberation/?kind=monday").content.decode()
    assert "颐和社区周一议事日" not in c.get("/deliberation/?kind=open_day").content.decode()
    assert c.get("/deliberation/?kind=nonsense&status=zzz").status_code == 200  # ignored, never a 500


def test_worker_forms_a_red_team(dw, client_for):
    w = dw.w
    c = client_for(w.worker_a)
    assert "组建队伍" in c.get("/deliberation/teams/").content.decode()
    r = c.post(
        "/deliberation/teams/",
        {
            "name": "颐和红色管家服务队",
            "node": w.community_a.pk,
            "members": [w.grid_a.pk, dw.property_mgr.pk],
            "buildings": [w.building_a.pk],
        },
        follow=True,
    )
    assert "队伍已建立" in r.content.decode() and "1号楼" in r.content.decode()
    r = client_for(w.grid_a).post(
        "/deliberation/teams/", {"name": "x", "node": w.community_a.pk}, follow=True
    )
    assert "请选择社区/小区" in r.content.decode()  # grid workers may not form teams: no node offered


def test_worker_calls_a_one_off_meeting(dw, client_for):
    w = dw.w
    c = client_for(w.worker_a)
    assert c.get("/deliberation/meetings/new/").status_code == 200
    r = c.post(
        "/deliberation/meetings/new/",
        {
            "kind": dw.kind("four_party").pk,
            "node": w.estate_a.pk,
            "title": "加装电梯四方联席会议",
            "place": "议事亭",
            "starts_at": "2026-10-12T15:00",
            "ends_at": "2026-10-12T14:00",
        },
    )
    assert r.status_code == 200 and "结束时间必须晚于开始时间" in r.content.decode()
    r = c.post(
        "/deliberation/meetings/new/",
        {
            "kind": dw.kind("four_party").pk,
            "node": w.estate_a.pk,
            "title": "加装电梯四方联席会议",
            "place": "议事亭",
            "starts_at": "2026-10-12T15:00",
            "ends_at": "2026-10-12T17:00",
        },
    )
    assert r.status_code == 302
    assert Meeting.objects.get().expected_roles[:2] == ["community_worker", "property_manager"]


def test_campaign_targets_chosen_by_grid_on_the_page(dw, client_for):
    """A grid brings in the households of the nodes it covers, not of its whole community."""
    from minsheng.org import actions as org_actions

    w = dw.w
    org_actions.register_household(node=w.estate_a, room="门岗", head_name="小区门岗户")
    grid = org_actions.create_grid(
        community=w.community_a, name="颐和一网格", nodes=[w.unit_a], actor=w.admin
    )
    campaign = actions.do_create_campaign(
        actor=w.worker_a,
        title="独居老人走访",
        node=w.community_a,
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2026, 10, 31),
    )
    c = client_for(w.worker_a)
    assert "颐和一网格" in c.get(f"/deliberation/visits/{campaign.pk}/").content.decode()
    r = c.post(f"/deliberation/visits/{campaign.pk}/", {"verb": "targets", "grids": [grid.pk]})
    assert r.status_code == 302
    assert sorted(campaign.targets.values_list("household__head_name", flat=True)) == [
        "住户1",
        "住户2",
        "住户3",
        "住户4",
    ]


def test_series_edit_page_reached_from_the_series_list(dw, client_for):
    w = dw.w
    with time_machine.travel(local(2026, 9, 20, 9), tick=False):
        series = actions.do_create_series(
            actor=w.worker_a,
            kind=dw.kind("monday"),
            node=w.community_a,
            title="周一议事日",
            place="党群服务中心",
            convenor=w.worker_a,
            frequency="weekly",
            weekday=0,
            start_time=dt.time(9),
            end_time=dt.time(10, 30),
            starts_on=dt.date(2026, 9, 21),
        )
        c = client_for(w.worker_a)
        url = f"/deliberation/series/{series.pk}/edit/"
        assert url in c.get("/deliberation/series/").content.decode()
        assert "党群服务中心" in c.get(url).content.decode()
        form = {
            "title": "周二议事日",
            "place": "党群服务中心",
            "frequency": "weekly",
            "weekday": "1",
            "start_time": "09:00",
            "end_time": "10:30",
            "holiday_policy": "move",
            "is_active": "on",
        }
        assert c.post(url, {**form, "end_time": "08:00"}).status_code == 200  # error shown on the form
        assert c.post(url, form).status_code == 302
        assert client_for(w.grid_a).get(url).status_code == 403
    weekdays = {m.rule_date.weekday() for m in series.meetings.all()}  # a holiday moves the day itself
    assert weekdays == {1}
    assert set(series.meetings.values_list("title", flat=True)) == {"周二议事日"}
