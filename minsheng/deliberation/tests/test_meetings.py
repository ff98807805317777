"""Meeting actions: series and their occurrences on the working-day calendar, agenda with carried-over items,
sign-in, items raised → cases, 第278条 votes, closing and publishing — and the bad input each refuses."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.cases import actions as case_actions
from minsheng.cases.choices import Channel, Status
from minsheng.core.errors import IllegalTransition
from minsheng.deliberation import actions, votes
from minsheng.deliberation.choices import (
    HolidayPolicy,
    ItemKind,
    MeetingStatus,
    ParticipantRole,
    TopicSource,
    VoteMatter,
    VoteResult,
)
from minsheng.deliberation.models import Meeting

from .conftest import local

pytestmark = pytest.mark.django_db


def monday_series(dw, policy=HolidayPolicy.MOVE, until=dt.date(2026, 10, 31)):
    w = dw.w
    return actions.do_create_series(
        actor=w.worker_a,
        kind=dw.kind("monday"),
        node=w.community_a,
        title="颐和社区周一议事日",
        place="社区党群服务中心二楼",
        convenor=w.worker_a,
        frequency="weekly",
        weekday=0,
        start_time=dt.time(9),
        end_time=dt.time(10, 30),
        starts_on=dt.date(2026, 9, 28),
        holiday_policy=policy,
        stamp_until=until,
    )


@time_machine.travel(local(2026, 9, 20, 9), tick=False)
def test_monday_series_moves_a_holiday_monday_to_the_next_workday(dw):
    series = monday_series(dw)
    days = list(series.meetings.order_by("starts_at").values_list("rule_date", "starts_at"))
    rule_dates = [r for r, _ in days]
    assert rule_dates == [
        dt.date(2026, 9, 28),
        dt.date(2026, 10, 5),
        dt.date(2026, 10, 12),
        dt.date(2026, 10, 19),
        dt.date(2026, 10, 26),
    ]
    moved = dict(days)[dt.date(2026, 10, 5)]
    assert moved.astimezone(local(2026, 1, 1).tzinfo).date() == dt.date(2026, 10, 8)  # 国庆 ends on the 7th
    # Stamping again adds nothing.
    assert actions.do_stamp(series, actor=dw.w.worker_a, until=dt.date(2026, 10, 31)) == []


@time_machine.travel(local(2026, 9, 20, 9), tick=False)
def test_monday_series_can_skip_holidays(dw):
    series = monday_series(dw, HolidayPolicy.SKIP)
    assert dt.date(2026, 10, 5) not in set(series.meetings.values_list("rule_date", flat=True))
    assert series.meetings.count() == 4


@time_machine.travel(local(2026, 1, 5, 9), tick=False)
def test_open_day_on_the_28th(dw):
    w = dw.w
    series = actions.do_create_series(
        actor=w.worker_a,
        kind=dw.kind("open_day"),
        node=w.estate_a,
        title="颐和家园阳光开放日",
        place="物业服务中心",
        convenor=w.worker_a,
        frequency="monthly",
        day_of_month=28,
        start_time=dt.time(9),
        end_time=dt.time(11),
        starts_on=dt.date(2026, 1, 1),
        holiday_policy=HolidayPolicy.KEEP,
        stamp_until=dt.date(2026, 6, 30),
    )
    assert sorted(series.meetings.values_list("rule_date", flat=True)) == [
        dt.date(2026, m, 28) for m in range(1, 7)
    ]


def test_editing_a_series_changes_future_occurrences_only(dw):
    with time_machine.travel(local(2026, 9, 20, 9), tick=False):
        series = monday_series(dw)
    with time_machine.travel(local(2026, 10, 13, 9), tick=False):
        held = series.meetings.get(rule_date=dt.date(2026, 9, 28))
        actions.do_update_series(
            series, actor=dw.w.worker_a, place="小区议事亭", start_time=dt.time(15), end_time=dt.time(16)
        )
        assert Meeting.objects.get(pk=held.pk).place == "社区党群服务中心二楼"
        future = series.meetings.get(rule_date=dt.date(2026, 10, 19))
        assert future.place == "小区议事亭"
        assert future.starts_at == local(2026, 10, 19, 15)


def test_series_needs_a_weekday_and_ordered_times(dw):
    w = dw.w
    with pytest.raises(ValidationError) as exc:
        actions.do_create_series(
            actor=w.worker_a,
            kind=dw.kind("monday"),
            node=w.community_a,
            title="x",
            place="y",
            convenor=w.worker_a,
            frequency="weekly",
            start_time=dt.time(10),
            end_time=dt.time(9),
            starts_on=dt.date(2026, 1, 1),
        )
    assert {"weekday", "end_time"} <= set(exc.value.message_dict)


def test_only_managers_create_series(dw):
    w = dw.w
    with pytest.raises(PermissionDenied):
        actions.do_create_series(
            actor=w.grid_a,
            kind=dw.kind("monday"),
            node=w.community_a,
            title="x",
            place="y",
            convenor=w.grid_a,
            frequency="weekly",
            weekday=0,
            start_time=dt.time(9),
            end_time=dt.time(10),
            starts_on=dt.date(2026, 1, 1),
        )


def meeting(dw, kind="four_party", start=None):
    w = dw.w
    start = start or local(2026, 10, 12, 9)
    return actions.do_create_meeting(
        actor=w.worker_a,
        kind=dw.kind(kind),
        node=w.estate_a,
        title="颐和家园四方联席会议",
        place="小区议事亭",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )


@time_machine.travel(local(2026, 10, 12, 9, 5), tick=False)
def test_a_meeting_from_agenda_to_published_minutes(dw):
    w = dw.w
    m = meeting(dw)
    assert m.expected_roles == ["community_worker", "property_manager", "owners_committee", "resident_rep"]
    actions.do_add_topic(m, actor=w.worker_a, title="电动车充电桩选址")
    actions.do_open(m, actor=w.worker_a)
    attendance, created = actions.do_sign_in(m, user=dw.property_mgr)
    assert created and attendance.role == ParticipantRole.PROPERTY_MANAGER
    again, created = actions.do_sign_in(m, user=dw.property_mgr)
    assert not created and again.pk == attendance.pk and m.attendance.count() == 1
    actions.do_register_attendee(
        m, actor=w.worker_a, name="业委会王主任", role=ParticipantRole.OWNERS_COMMITTEE
    )
    actions.do_set_tally(m, actor=w.worker_a, counts={"resident": 23})
    problem = actions.do_raise_item(
        m, actor=dw.property_mgr, kind=ItemKind.PROBLEM, text="3号楼下水道反味", raised_by="刘大爷"
    )
    advice = actions.do_raise_item(m, actor=w.worker_a, kind=ItemKind.SUGGESTION, text="建议增设休闲座椅")
    assert problem.case.channel == Channel.FOUR_PARTY
    assert problem.case.source == problem and problem.case.kind.code == "deliberation"
    assert problem.case.node == w.estate_a
    assert advice.case is None
    vote = actions.do_record_vote(
        m,
        actor=w.worker_a,
        subject="使用维修资金更换电梯",
        matter=VoteMatter.REPAIR_FUND,
        total_area=Decimal("10000"),
        total_owners=100,
        participating_area=Decimal("7000"),
        participating_owners=70,
        yes_area=Decimal("5300"),
        yes_owners=53,
    )
    assert vote.result == VoteResult.PASSED
    m = actions.do_close(m, actor=w.worker_a, minutes="议定：物业一周内疏通3号楼下水道。")
    assert m.status == MeetingStatus.CLOSED
    assert actions.meetings.headcount(m) == {"resident": 23, "property_manager": 1, "owners_committee": 1}
    actions.do_publish(m, actor=w.worker_a)
    m.refresh_from_db()
    assert m.minutes_published and m.published_at


@time_machine.travel(local(2026, 10, 12, 9, 5), tick=False)
def test_closing_needs_minutes_and_a_headcount(dw):
    w = dw.w
    m = meeting(dw)
    actions.do_open(m, actor=w.worker_a)
    with pytest.raises(ValidationError) as exc:
        actions.do_close(m, actor=w.worker_a)
    assert set(exc.value.message_dict) == {"minutes", "headcount"}
    assert "会议纪要" in exc.value.message_dict["minutes"][0]
    m.refresh_from_db()
    assert m.status == MeetingStatus.IN_PROGRESS
    with pytest.raises(IllegalTransition):
        actions.do_close(meeting(dw, start=local(2026, 10, 20, 9)), actor=w.worker_a, minutes="x")


@time_machine.travel(local(2026, 10, 12, 9, 5), tick=False)
def test_nothing_changes_on_a_closed_meeting(dw):
    w = dw.w
    m = meeting(dw)
    actions.do_open(m, actor=w.worker_a)
    actions.do_register_attendee(m, actor=w.worker_a, name="居民甲", role=ParticipantRole.RESIDENT)
    actions.do_close(m, actor=w.worker_a, minutes="纪要")
    with pytest.raises(IllegalTransition):
        actions.do_record_vote(
            m,
            actor=w.worker_a,
            subject="x",
            matter=VoteMatter.ORDINARY,
            total_area=100,
            total_owners=10,
            participating_area=80,
            participating_owners=8,
            yes_area=50,
            yes_owners=5,
        )
    with pytest.raises(IllegalTransition):
        actions.do_raise_item(m, actor=w.worker_a, kind=ItemKind.PROBLEM, text="x")
    with pytest.raises(IllegalTransition):
        actions.do_sign_in(m, user=dw.property_mgr)
    assert m.votes.count() == 0 and m.items.count() == 0


def test_sign_in_only_inside_the_window(dw):
    m = meeting(dw)
    for moment in (local(2026, 10, 12, 8, 29), local(2026, 10, 12, 11, 31)):
        with time_machine.travel(moment, tick=False), pytest.raises(ValidationError) as exc:
            actions.do_sign_in(m, user=dw.property_mgr)
        assert "签到时间" in exc.value.message_dict["signed_at"][0]
    with time_machine.travel(local(2026, 10, 12, 8, 31), tick=False):
        assert actions.do_sign_in(m, user=dw.property_mgr)[1]
    assert m.attendance.count() == 1


@time_machine.travel(local(2026, 10, 12, 9, 5), tick=False)
def test_items_need_text_and_the_right_place(dw):
    w = dw.w
    m = meeting(dw)
    with pytest.raises(ValidationError):
        actions.do_raise_item(m, actor=w.worker_a, kind=ItemKind.PROBLEM, text="  ")
    with pytest.raises(ValidationError):
        actions.do_raise_item(m, actor=w.worker_a, kind="gossip", text="x")
    with pytest.raises(PermissionDenied):
        actions.do_raise_item(m, actor=w.grid_b, kind=ItemKind.PROBLEM, text="x")
    with pytest.raises(PermissionDenied):
        actions.do_close(m, actor=w.grid_a, minutes="x")
    assert m.items.count() == 0


def test_the_next_meeting_answers_for_the_last_ones_open_items(dw):
    w = dw.w
    with time_machine.travel(local(2026, 10, 12, 9, 5), tick=False):
        first = meeting(dw)
        actions.do_open(first, actor=w.worker_a)
        open_one = actions.do_raise_item(first, actor=w.worker_a, kind=ItemKind.PROBLEM, text="路灯不亮")
        done_one = actions.do_raise_item(first, actor=w.worker_a, kind=ItemKind.PROBLEM, text="垃圾桶满溢")
        actions.do_raise_item(first, actor=w.worker_a, kind=ItemKind.SUGGESTION, text="多组织活动")
        actions.do_register_attendee(first, actor=w.worker_a, name="居民甲", role=ParticipantRole.RESIDENT)
        actions.do_close(first, actor=w.worker_a, minutes="纪要")
        case = done_one.case
        case_actions.do_accept(case, actor=w.admin)
        case.refresh_from_db()
        case.status = Status.RESOLVED  # the engine's own path is tested in cases; here only the state matters
        case.save(update_fields=["status"])
    with time_machine.travel(local(2026, 10, 19, 9, 5), tick=False):
        second = meeting(dw, start=local(2026, 10, 19, 9))
        actions.do_open(second, actor=w.worker_a)
        carried = second.topics.filter(source=TopicSource.CARRIED)
        assert [t.carried_item for t in carried] == [open_one]
        assert actions.do_carry_over(second, actor=w.worker_a) == 0


def test_resident_proposes_a_topic_before_the_meeting_only(dw):
    w = dw.w
    m = meeting(dw)
    with time_machine.travel(local(2026, 10, 10, 20), tick=False):
        topic = actions.do_propose_topic(m, user=w.resident, title="楼道堆物清理", name="小王")
        assert topic.source == TopicSource.RESIDENT
    with time_machine.travel(local(2026, 10, 12, 9, 30), tick=False), pytest.raises(IllegalTransition):
        actions.do_propose_topic(m, user=w.resident, title="晚了")


def test_cancel_needs_a_reason(dw):
    w = dw.w
    m = meeting(dw)
    with pytest.raises(ValidationError):
        actions.do_cancel(m, actor=w.worker_a, reason="")
    actions.do_cancel(m, actor=w.worker_a, reason="台风预警")
    m.refresh_from_db()
    assert m.status == MeetingStatus.CANCELLED
    with pytest.raises(IllegalTransition):
        actions.do_open(m, actor=w.worker_a)


@pytest.mark.parametrize(
    ("matter", "part", "yes", "expected"),
    [
        (VoteMatter.ORDINARY, (66, 66), (60, 60), VoteResult.NOT_QUORATE),  # 66% < 2/3
        (VoteMatter.ORDINARY, (67, 67), (34, 34), VoteResult.PASSED),  # more than half
        (VoteMatter.ORDINARY, (80, 80), (40, 40), VoteResult.REJECTED),  # exactly half is not 过半数
        (VoteMatter.REBUILD, (80, 80), (60, 60), VoteResult.PASSED),  # exactly 3/4 is enough (以上)
        (VoteMatter.CHANGE_USE, (80, 80), (60, 59), VoteResult.REJECTED),  # both area and headcount
        (VoteMatter.REPAIR_FUND, (100, 70), (100, 50), VoteResult.REJECTED),
    ],
)
def test_civil_code_278_thresholds(matter, part, yes, expected):
    assert (
        votes.result(
            matter,
            total_area=100,
            total_owners=100,
            participating_area=part[0],
            participating_owners=part[1],
            yes_area=yes[0],
            yes_owners=yes[1],
        )
        == expected
    )


def test_vote_counts_must_be_consistent():
    with pytest.raises(ValidationError) as exc:
        votes.result(
            VoteMatter.ORDINARY,
            total_area=100,
            total_owners=10,
            participating_area=120,
            participating_owners=11,
            yes_area=0,
            yes_owners=0,
        )
    assert {"participating_area", "participating_owners"} <= set(exc.value.message_dict)
