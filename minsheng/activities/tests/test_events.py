"""The events core: publishing, the waiting list, idempotent door check-in, the head count, closing, host links."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.activities import actions, queries
from minsheng.activities.choices import OrganiserKind, RegistrationStatus
from minsheng.activities.models import CheckIn, EventLog, Registration
from minsheng.core.errors import IllegalTransition

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_worker_publishes_and_log_records_it(aw):
    event = aw.event(capacity=10)
    assert event.status == "published"
    assert event.organiser_kind == OrganiserKind.COMMUNITY
    assert event.organiser_name == "颐和社区"
    assert EventLog.objects.filter(event=event, verb="created").exists()


def test_bad_input_changes_nothing(aw):
    with pytest.raises(ValidationError) as exc:
        actions.do_create_event(
            actor=aw.w.worker_a,
            kind="market",
            title="  ",
            node=aw.w.community_a,
            start=aw.now,
            end=aw.now - dt.timedelta(hours=1),
            capacity=0,
        )
    assert {"title", "end", "capacity"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        aw.event(kind="no-such-kind")


def test_resident_and_other_community_cannot_publish(aw):
    with pytest.raises(PermissionDenied):
        aw.event(actor=aw.w.resident)
    with pytest.raises(PermissionDenied):
        aw.event(actor=aw.w.grid_b)


def test_over_capacity_goes_to_waiting_list_and_moves_up_on_cancel(aw):
    event = aw.event(capacity=1)
    first = actions.do_register(event, actor=aw.w.worker_a, name="张大爷", phone="13900000001")
    second = actions.do_register(event, actor=aw.w.worker_a, name="李阿姨", phone="13900000002")
    third = actions.do_register(event, actor=aw.w.resident)
    assert first.status == RegistrationStatus.CONFIRMED
    assert second.status == RegistrationStatus.WAITLISTED
    assert third.status == RegistrationStatus.WAITLISTED

    actions.do_cancel_registration(first, actor=aw.w.worker_a)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.CONFIRMED and second.promoted_at is not None
    assert third.status == RegistrationStatus.WAITLISTED

    actions.do_update_event(event, actor=aw.w.worker_a, capacity=2)
    third.refresh_from_db()
    assert third.status == RegistrationStatus.CONFIRMED


def test_registering_twice_is_one_registration(aw):
    event = aw.event(capacity=5)
    a = actions.do_register(event, actor=aw.w.resident)
    b = actions.do_register(event, actor=aw.w.resident)
    assert a.pk == b.pk
    assert Registration.objects.filter(event=event).count() == 1
    actions.do_cancel_registration(a, actor=aw.w.resident)
    c = actions.do_register(event, actor=aw.w.resident)
    assert c.pk != a.pk and c.status == RegistrationStatus.CONFIRMED


def test_resident_cannot_register_others_or_cancel_theirs(aw):
    event = aw.event()
    with pytest.raises(PermissionDenied):
        actions.do_register(event, actor=aw.w.resident, name="别人", phone="13900000009")
    other = actions.do_register(event, actor=aw.w.worker_a, name="别人", phone="13900000009")
    with pytest.raises(PermissionDenied):
        actions.do_cancel_registration(other, actor=aw.w.resident)


def test_check_in_twice_counts_once(aw):
    event = aw.event(start_in_hours=1)
    registration = actions.do_register(event, actor=aw.w.resident)
    first, created = actions.do_check_in(event, actor=aw.w.grid_a, token=registration.token.lower())
    assert created
    again, created_again = actions.do_check_in(event, actor=aw.w.grid_a, token=registration.token)
    assert not created_again and again.pk == first.pk
    again, created_again = actions.do_check_in(event, actor=aw.w.grid_a, registration=registration)
    assert not created_again
    assert CheckIn.objects.filter(event=event).count() == 1
    assert queries.event_figures(event)["checked_in"] == 1
    with pytest.raises(IllegalTransition):
        actions.do_cancel_registration(registration, actor=aw.w.resident)


def test_check_in_refuses_wrong_codes_and_wrong_people(aw):
    event = aw.event(start_in_hours=1)
    other = aw.event(start_in_hours=1, title="书画笔会", kind="calligraphy")
    registration = actions.do_register(other, actor=aw.w.resident)
    with pytest.raises(ValidationError, match="不属于本活动"):
        actions.do_check_in(event, actor=aw.w.grid_a, token=registration.token)
    with pytest.raises(ValidationError, match="无效"):
        actions.do_check_in(event, actor=aw.w.grid_a, token="ZZZZ2222")
    with pytest.raises(ValidationError):
        actions.do_check_in(event, actor=aw.w.grid_a, token="  ")
    with pytest.raises(PermissionDenied):
        actions.do_check_in(other, actor=aw.w.grid_b, token=registration.token)
    with pytest.raises(PermissionDenied):
        actions.do_check_in(other, actor=aw.w.resident, token=registration.token)


def test_check_in_opens_two_hours_before(aw):
    event = aw.event(start_in_hours=5)
    registration = actions.do_register(event, actor=aw.w.resident)
    with pytest.raises(IllegalTransition):
        actions.do_check_in(event, actor=aw.w.grid_a, registration=registration)
    with time_machine.travel(event.start - dt.timedelta(minutes=30)):
        _, created = actions.do_check_in(event, actor=aw.w.grid_a, registration=registration)
    assert created


def test_waitlisted_person_at_the_door(aw):
    event = aw.event(capacity=1, start_in_hours=1)
    first = actions.do_register(event, actor=aw.w.worker_a, name="甲", phone="13900000001")
    waiting = actions.do_register(event, actor=aw.w.worker_a, name="乙", phone="13900000002")
    with pytest.raises(IllegalTransition, match="候补"):
        actions.do_check_in(event, actor=aw.w.grid_a, registration=waiting)
    actions.do_cancel_registration(first, actor=aw.w.worker_a)  # 乙 moves up and may enter
    _, created = actions.do_check_in(event, actor=aw.w.grid_a, registration=waiting)
    assert created


def test_headcount_only_for_open_air_and_kept_apart(aw):
    indoor = aw.event()
    with pytest.raises(IllegalTransition):
        actions.do_record_headcount(indoor, actor=aw.w.grid_a, count=100)
    outdoor = aw.event(open_air=True, kind="performance", title="一村一年一场戏")
    assert outdoor.open_air
    with pytest.raises(ValidationError):
        actions.do_record_headcount(outdoor, actor=aw.w.grid_a, count=-1)
    outdoor = actions.do_record_headcount(outdoor, actor=aw.w.grid_a, count=800, note="目测")
    figures = queries.event_figures(outdoor)
    assert figures["headcount"] == 800 and figures["checked_in"] == 0


def test_close_with_summary_and_photos(aw):
    event = aw.event(start_in_hours=1)
    with pytest.raises(IllegalTransition):
        actions.do_close_event(event, actor=aw.w.worker_a, summary="太早")
    with time_machine.travel(event.end + dt.timedelta(hours=1)):
        with pytest.raises(ValidationError):
            actions.do_close_event(event, actor=aw.w.worker_a, summary="")
        with pytest.raises(ValidationError):
            bad = SimpleUploadedFile("x.png", b"not an image")
            actions.do_close_event(event, actor=aw.w.worker_a, summary="好", photos=[bad])
        photo = SimpleUploadedFile("market.png", PNG)
        actions.do_close_event(event, actor=aw.w.worker_a, summary="摊位 20 个", photos=[photo])
    event.refresh_from_db()
    assert event.status == "closed" and event.photos.count() == 1
    with pytest.raises(IllegalTransition):
        actions.do_register(event, actor=aw.w.resident)


def test_cancel_event_needs_reason(aw):
    event = aw.event()
    with pytest.raises(ValidationError):
        actions.do_cancel_event(event, actor=aw.w.worker_a, reason="")
    actions.do_cancel_event(event, actor=aw.w.worker_a, reason="降雨")
    with pytest.raises(IllegalTransition):
        actions.do_cancel_event(event, actor=aw.w.worker_a, reason="again")


def test_another_domain_hosts_an_event(aw):
    """A host record (any saved row — here a node stands in for an enterprise training) owns the event; the calling
    domain vouches for its officer, who holds no activities capability."""
    host = aw.w.estate_b
    event = actions.do_create_event(
        actor=aw.w.grid_b,
        kind="training",
        title="企业用工政策培训",
        node=aw.w.street,
        start=aw.now + dt.timedelta(minutes=30),
        end=aw.now + dt.timedelta(hours=2),
        capacity=1,
        place="街道三楼会议室",
        host=host,
        public=False,
    )
    assert event.organiser_kind == OrganiserKind.HOST and event.host == host
    assert list(queries.events_for_host(host)) == [event]
    contact = actions.do_register(event, actor=aw.w.grid_b, name="王经理", organisation="临朐某公司")
    waiting = actions.do_register(event, actor=aw.w.grid_b, name="赵会计", organisation="另一公司")
    assert waiting.status == RegistrationStatus.WAITLISTED
    assert contact.source == "host"
    _, created = actions.do_check_in(event, actor=aw.w.grid_b, token=contact.token)
    assert created
    assert event not in queries.upcoming_public(aw.now)


def test_upcoming_near_me(aw):
    mine = aw.event()
    theirs = aw.event(node=aw.w.community_b, actor=aw.w.admin)
    near = list(queries.upcoming_public(aw.now, node=aw.w.unit_a))
    assert mine in near and theirs not in near


def test_bulk_attendance_counts_each_person_once(aw):
    event = aw.event(capacity=2, start_in_hours=1, open_air=True)
    walked_in = actions.do_register(event, actor=aw.w.worker_a, name="甲", phone="13900000001")
    sheet = [
        {"name": "甲", "phone": "13900000001"},
        {"name": "乙", "phone": "13900000002"},
        {"name": "乙", "phone": "13900000002"},  # the same line twice on the sheet
        {"name": "丙", "organisation": "县医院"},
        aw.w.resident,
    ]
    assert actions.do_record_attendance(event, actor=aw.w.grid_a, people=sheet) == 4
    assert actions.do_record_attendance(event, actor=aw.w.grid_a, people=sheet) == 0
    assert CheckIn.objects.filter(event=event).count() == 4
    assert Registration.objects.filter(event=event).count() == 4
    assert CheckIn.objects.get(registration=walked_in)
    with pytest.raises(PermissionDenied):
        actions.do_record_attendance(event, actor=aw.w.grid_b, people=sheet)
