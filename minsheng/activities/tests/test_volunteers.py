"""Volunteer registry, shifts with a confirmed waiting list, reminders, hours and their confirmation."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.activities.actions import points, volunteers
from minsheng.activities.choices import RecordStatus, SignupStatus
from minsheng.activities.models import ServiceRecord
from minsheng.core.errors import IllegalTransition
from minsheng.core.models import Notification

pytestmark = pytest.mark.django_db


def _volunteer(aw, name, phone, **kw):
    return volunteers.do_register_volunteer(
        actor=aw.w.worker_a, node=aw.w.community_a, name=name, phone=phone, consent=True, **kw
    )


def test_registration_needs_consent_and_article_7_fields(aw):
    with pytest.raises(ValidationError) as exc:
        volunteers.do_register_volunteer(
            actor=aw.w.worker_a, node=aw.w.community_a, name="", phone="", consent=False
        )
    assert {"name", "phone", "consent"} <= set(exc.value.message_dict)
    v = _volunteer(
        aw, "李医生", "13900000011", skills="医护", availability="周六上午", id_number="370724198001011111"
    )
    assert v.number.startswith("ZY") and v.consent_at and v.consent_text
    with pytest.raises(ValidationError):
        _volunteer(aw, "重复", "13900000012", id_number="370724198001011111")
    with pytest.raises(PermissionDenied):
        volunteers.do_register_volunteer(
            actor=aw.w.grid_b, node=aw.w.community_a, name="x", phone="13900000013", consent=True
        )


def test_resident_registers_themselves(aw):
    v = volunteers.do_register_volunteer(
        actor=aw.w.resident,
        node=aw.w.community_a,
        name="小王",
        phone="13800000005",
        consent=True,
        user=aw.w.resident,
    )
    assert v.user == aw.w.resident


def test_shift_waiting_list_moves_up_with_confirmation(aw, volunteer):
    event = aw.event(start_in_hours=48)
    shift = volunteers.do_create_shift(
        actor=aw.w.worker_a, event=event, role="秩序维护", start=event.start, end=event.end, slots=1
    )
    other = _volunteer(aw, "老张", "13900000021")
    third = _volunteer(aw, "老李", "13900000022")
    first = volunteers.do_sign_up(shift, actor=aw.w.resident, volunteer=volunteer)
    second = volunteers.do_sign_up(shift, actor=aw.w.worker_a, volunteer=other)
    last = volunteers.do_sign_up(shift, actor=aw.w.worker_a, volunteer=third)
    assert (first.status, second.status, last.status) == ("confirmed", "waitlisted", "waitlisted")

    volunteers.do_cancel_signup(first, actor=aw.w.resident)
    second.refresh_from_db()
    assert second.status == SignupStatus.OFFERED and second.offer_expires_at is not None
    # a decline passes the slot on
    volunteers.do_answer_offer(second, actor=aw.w.worker_a, accept=False)
    last.refresh_from_db()
    assert last.status == SignupStatus.OFFERED
    # an offer not answered in time lapses
    with time_machine.travel(last.offer_expires_at + dt.timedelta(minutes=1)):
        with pytest.raises(IllegalTransition):
            volunteers.do_answer_offer(last, actor=aw.w.worker_a, accept=True)
        assert volunteers.expire_offers() == 1
    last.refresh_from_db()
    assert last.status == SignupStatus.DECLINED


def test_accepted_offer_confirms(aw, volunteer):
    event = aw.event(start_in_hours=48)
    shift = volunteers.do_create_shift(
        actor=aw.w.worker_a, event=event, role="签到引导", start=event.start, end=event.end, slots=1
    )
    other = _volunteer(aw, "老张", "13900000021")
    held = volunteers.do_sign_up(shift, actor=aw.w.worker_a, volunteer=other)
    waiting = volunteers.do_sign_up(shift, actor=aw.w.resident, volunteer=volunteer)
    volunteers.do_cancel_signup(held, actor=aw.w.worker_a)
    waiting.refresh_from_db()
    signup = volunteers.do_answer_offer(waiting, actor=aw.w.resident, accept=True)
    assert signup.status == SignupStatus.CONFIRMED


def test_reminders_once_a_day_before(aw, volunteer, django_capture_on_commit_callbacks):
    event = aw.event(start_in_hours=20)
    shift = volunteers.do_create_shift(
        actor=aw.w.worker_a, event=event, role="摊位服务", start=event.start, end=event.end, slots=3
    )
    volunteers.do_sign_up(shift, actor=aw.w.resident, volunteer=volunteer)
    assert volunteers.send_shift_reminders() == 1
    assert volunteers.send_shift_reminders() == 0
    assert Notification.objects.filter(recipient=aw.w.resident, kind="activities.shift_reminder").count() == 1


def test_hours_confirmed_by_organiser_earn_points(aw, volunteer):
    event = aw.event(start_in_hours=1)
    shift = volunteers.do_create_shift(
        actor=aw.w.worker_a, event=event, role="义诊协助", start=event.start, end=event.end, slots=2
    )
    volunteers.do_sign_up(shift, actor=aw.w.resident, volunteer=volunteer)
    with pytest.raises(IllegalTransition):
        volunteers.do_record_shift(shift, actor=aw.w.worker_a)
    with time_machine.travel(event.end + dt.timedelta(hours=1)):
        with pytest.raises(ValidationError):  # longer than the shift
            volunteers.do_record_shift(shift, actor=aw.w.worker_a, attended={volunteer: 5})
        (record,) = volunteers.do_record_shift(shift, actor=aw.w.worker_a, confirm=False)
    assert record.status == RecordStatus.PENDING and record.hours == Decimal("3.0")
    assert points.balance_of(points.account_of(volunteer)) == 0  # no points without a confirmed record
    with pytest.raises(PermissionDenied):
        volunteers.do_confirm_record(record, actor=aw.w.grid_a)
    record = volunteers.do_confirm_record(record, actor=aw.w.worker_a)
    assert record.status == RecordStatus.CONFIRMED and record.confirmed_by == aw.w.worker_a
    assert points.balance_of(points.account_of(volunteer)) == 30
    with pytest.raises(IllegalTransition):
        volunteers.do_confirm_record(record, actor=aw.w.worker_a)
    assert points.balance_of(points.account_of(volunteer)) == 30


def test_rejected_record_earns_nothing(aw, volunteer):
    record = volunteers.do_record_service(
        volunteer, actor=aw.w.worker_a, content="楼道清扫", served_on=aw.now.date(), hours="1.5"
    )
    with pytest.raises(ValidationError):
        volunteers.do_reject_record(record, actor=aw.w.worker_a, reason="")
    volunteers.do_reject_record(record, actor=aw.w.worker_a, reason="当天未到岗")
    assert ServiceRecord.objects.get(pk=record.pk).status == RecordStatus.REJECTED
    assert points.balance_of(points.account_of(volunteer)) == 0


def test_bad_hours_refused(aw, volunteer):
    for bad in ("0", "-1", "25", "abc"):
        with pytest.raises(ValidationError):
            volunteers.do_record_service(
                volunteer, actor=aw.w.worker_a, content="x", served_on=aw.now.date(), hours=bad
            )
    with pytest.raises(ValidationError):
        volunteers.do_record_service(
            volunteer,
            actor=aw.w.worker_a,
            content="x",
            served_on=aw.now.date() + dt.timedelta(days=3),
            hours=1,
        )


def test_certificate_numbers_and_totals(aw, volunteer):
    for day, hours in ((1, "2"), (2, "1.5")):
        volunteers.do_record_service(
            volunteer,
            actor=aw.w.worker_a,
            content="助老服务",
            served_on=aw.now.date() - dt.timedelta(days=day),
            hours=hours,
            confirm=True,
        )
    volunteers.do_record_service(
        volunteer, actor=aw.w.worker_a, content="未确认", served_on=aw.now.date(), hours="5"
    )
    kwargs = {
        "actor": aw.w.worker_a,
        "period_start": aw.now.date() - dt.timedelta(days=30),
        "period_end": aw.now.date(),
        "issuer": "颐和社区居民委员会",
        "person_in_charge": "王书记",
        "handler": "社区A工作者",
        "contact": "0536-1234567",
    }
    cert = volunteers.do_issue_certificate(volunteer, **kwargs)
    assert cert.hours == Decimal("3.5") and cert.record_count == 2 and cert.number.startswith("ZYZM")
    again = volunteers.do_issue_certificate(volunteer, **kwargs)
    assert again.number != cert.number
    with pytest.raises(IllegalTransition):
        volunteers.do_issue_certificate(
            volunteer,
            **{
                **kwargs,
                "period_start": aw.now.date() - dt.timedelta(days=400),
                "period_end": aw.now.date() - dt.timedelta(days=300),
            },
        )
