"""Volunteers: registration with consent, teams, shifts with slots and a confirmed waiting list, reminders,
service records and their confirmation (谁记录谁证明), the hours a 上门服务 case credits, certificates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.errors import IllegalTransition

from ..choices import (
    SLOT_HOLDING,
    CertificateStatus,
    RecordSource,
    RecordStatus,
    SignupStatus,
    TeamKind,
    VolunteerStatus,
)
from ..models import Certificate, ServiceRecord, Shift, ShiftSignup, Team, Volunteer
from ._common import new_code, notify_after_commit, require

if TYPE_CHECKING:
    from models import DualUnit, Event

    from minsheng.accounts.models import User
    from minsheng.cases.models import Case, CaseEvent, Unit
    from minsheng.org.models import Grid, Node, Resident


SS = SignupStatus
#: The notice given with the consent box on the registration form; its version is stored with each consent.
CONSENT_VERSION = "2026-01"
#: How long a volunteer moved up from the waiting list has to confirm before the slot goes to the next.
OFFER_HOURS = 24
#: Reminders go out this long before a shift.
REMIND_BEFORE = dt.timedelta(hours=24)


def _own(actor: User | None, volunteer: Volunteer) -> bool:
    return actor is not None and volunteer.user_id is not None and volunteer.user_id == actor.pk


def _hours(value: Decimal | int | float | str) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except (ArithmeticError, ValueError, TypeError):
        raise ValidationError({"hours": _("时长必须是数字")}) from None
    if hours <= 0 or hours > 24:
        raise ValidationError({"hours": _("时长应在 0.1 到 24 小时之间")})
    return hours


# -- registry and teams ----------------------------------------------------------------------------------------


@transaction.atomic
def do_register_volunteer(
    *,
    actor: User | None,
    node: Node,
    name: str,
    phone: str,
    consent: bool,
    id_type: str = "id_card",
    id_number: str = "",
    gender: str = "",
    birth_date: dt.date | None = None,
    skills: str = "",
    availability: str = "",
    is_party_member: bool = False,
    user: User | None = None,
    resident: Resident | None = None,
    unit: DualUnit | None = None,
) -> Volunteer:
    """条例 第7条: identity, skills, service time and contact, registered by the person or through an organisation —
    only with the person's consent to the recording of their service."""
    if not (actor is not None and user is not None and user.pk == actor.pk):
        require(actor, Cap.VOLUNTEERS_MANAGE, node)
    errors = {}
    name, phone = (name or "").strip(), (phone or "").strip()
    if not name:
        errors["name"] = _("请填写姓名")
    if not phone:
        errors["phone"] = _("请填写联系电话")
    if not consent:
        errors["consent"] = _("须本人同意登记并记录志愿服务信息")
    id_number = (id_number or "").strip().upper()
    if id_number and Volunteer.objects.filter(id_type=id_type, id_number=id_number).exists():
        errors["id_number"] = _("该证件号码已登记为志愿者")
    if user is not None and Volunteer.objects.filter(user=user).exists():
        errors["user"] = _("该账号已注册志愿者")
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    volunteer = Volunteer(
        number=f"T{new_code(10)}",
        name=name[:50],
        phone=phone[:20],
        node=node,
        id_type=id_type,
        id_number=id_number,
        gender=gender,
        birth_date=birth_date,
        skills=skills[:200],
        availability=availability[:200],
        is_party_member=is_party_member,
        user=user,
        resident=resident,
        unit=unit,
        consent_at=now,
        consent_text=CONSENT_VERSION,
        registered_at=now,
    )
    volunteer.full_clean(exclude=["node", "user", "resident", "unit", "number"])
    volunteer.save()
    volunteer.number = f"ZY{timezone.localtime(now).year}{volunteer.pk:06d}"
    volunteer.save(update_fields=["number"])
    return volunteer


@transaction.atomic
def do_deactivate_volunteer(volunteer: Volunteer, *, actor: User | None, note: str = "") -> Volunteer:
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if not _own(actor, volunteer):
        require(actor, Cap.VOLUNTEERS_MANAGE, volunteer.node)
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise IllegalTransition(_("该志愿者已注销"))
    volunteer.status = VolunteerStatus.INACTIVE
    volunteer.save(update_fields=["status", "updated_at"])
    return volunteer


@transaction.atomic
def do_create_team(
    *,
    actor: User | None,
    name: str,
    node: Node,
    kind: str = TeamKind.GRID,
    grid: Grid | None = None,
    unit: DualUnit | None = None,
    leader: Volunteer | None = None,
    case_unit: Unit | None = None,
    visit_hours: Decimal | int | float | str = 1,
) -> Team:
    require(actor, Cap.VOLUNTEERS_MANAGE, node)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写队伍名称")})
    if grid is not None and Team.objects.filter(grid=grid).exists():  # one team per grid, whatever its kind
        raise ValidationError({"grid": _("该网格已有志愿服务队")})
    team = Team.objects.create(
        name=name[:100],
        kind=kind,
        node=node,
        grid=grid,
        unit=unit,
        leader=leader,
        case_unit=case_unit,
        visit_hours=_hours(visit_hours),
    )
    if leader is not None:
        team.members.add(leader)
    return team


@transaction.atomic
def do_add_team_members(team: Team, *, actor: User | None, volunteers: Iterable[Volunteer]) -> Team:
    require(actor, Cap.VOLUNTEERS_MANAGE, team.node)
    volunteers = list(volunteers)
    if any(v.status != VolunteerStatus.ACTIVE for v in volunteers):
        raise ValidationError({"volunteers": _("已注销的志愿者不能加入队伍")})
    team.members.add(*volunteers)
    return team


# -- shifts ------------------------------------------------------------------------------------------------------


@transaction.atomic
def do_create_shift(
    *,
    actor: User | None,
    role: str,
    start: dt.datetime,
    end: dt.datetime,
    slots: int,
    event: Event | None = None,
    node: Node | None = None,
    team: Team | None = None,
    description: str = "",
) -> Shift:
    node = event.node if event is not None else node
    if node is None:
        raise ValidationError({"node": _("请选择活动或组织")})
    require(actor, Cap.VOLUNTEERS_MANAGE, node)
    errors = {}
    if not (role or "").strip():
        errors["role"] = _("请填写岗位名称")
    if start is None or end is None or end <= start:
        errors["end"] = _("结束时间必须晚于开始时间")
    if not slots or int(slots) < 1:
        errors["slots"] = _("人数至少为 1")
    if errors:
        raise ValidationError(errors)
    return Shift.objects.create(
        event=event,
        node=node,
        team=team,
        role=role.strip()[:50],
        description=(description or "")[:200],
        start=start,
        end=end,
        slots=int(slots),
    )


def _locked_shift(shift: Shift) -> Shift:
    return Shift.objects.select_for_update(of=("self",)).select_related("node", "event").get(pk=shift.pk)


def _held(shift: Shift) -> int:
    return shift.signups.filter(status__in=SLOT_HOLDING).count()


@transaction.atomic
def do_sign_up(shift: Shift, *, actor: User | None, volunteer: Volunteer) -> ShiftSignup:
    """Self sign-up (or by the organiser): a free slot confirms at once; a full shift puts the volunteer on the
    waiting list."""
    shift = _locked_shift(shift)
    if not _own(actor, volunteer):
        require(actor, Cap.VOLUNTEERS_MANAGE, shift.node)
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise IllegalTransition(_("该志愿者已注销"))
    if clock.now() >= shift.start:
        raise IllegalTransition(_("岗位已开始，不能报名"))
    team = shift.team if shift.team_id else None
    if team is not None and not team.members.filter(pk=volunteer.pk).exists():
        raise IllegalTransition(_("该岗位仅限“%(t)s”队员报名") % {"t": team.name})
    existing = shift.signups.filter(volunteer=volunteer, status__in=[*SLOT_HOLDING, SS.WAITLISTED]).first()
    if existing is not None:
        return existing
    now = clock.now()
    status = SS.CONFIRMED if _held(shift) < shift.slots else SS.WAITLISTED
    signup = ShiftSignup.objects.create(
        shift=shift,
        volunteer=volunteer,
        status=status,
        signed_up_at=now,
        confirmed_at=now if status == SS.CONFIRMED else None,
    )
    return signup


def _offer_next(shift: Shift) -> ShiftSignup | None:
    """A slot came free: offer it to the first on the waiting list, who must confirm within OFFER_HOURS."""
    if _held(shift) >= shift.slots or clock.now() >= shift.start:
        return None
    signup = shift.signups.filter(status=SS.WAITLISTED).order_by("signed_up_at", "pk").first()
    if signup is None:
        return None
    now = clock.now()
    signup.status = SS.OFFERED
    signup.offered_at = now
    signup.offer_expires_at = min(now + dt.timedelta(hours=OFFER_HOURS), shift.start)
    signup.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
    notify_after_commit(
        [signup.volunteer.user],
        title=_("志愿岗位有空位，请确认：%(r)s") % {"r": shift.role},
        body=_("请在 %(t)s 前确认是否参加，逾期视为放弃。")
        % {"t": timezone.localtime(signup.offer_expires_at).strftime("%m-%d %H:%M")},
        link="/h5/activities/me/",
        kind="activities.shift_offer",
    )
    return signup


@transaction.atomic
def do_cancel_signup(signup: ShiftSignup, *, actor: User | None) -> ShiftSignup:
    shift = _locked_shift(signup.shift)
    signup = ShiftSignup.objects.select_for_update(of=("self",)).select_related("volunteer").get(pk=signup.pk)
    if not _own(actor, signup.volunteer):
        require(actor, Cap.VOLUNTEERS_MANAGE, shift.node)
    if signup.status not in (*SLOT_HOLDING, SS.WAITLISTED):
        raise IllegalTransition(_("该报名已取消"))
    held = signup.status in SLOT_HOLDING
    signup.status = SS.CANCELLED
    signup.save(update_fields=["status", "updated_at"])
    if held:
        _offer_next(shift)
    return signup


@transaction.atomic
def do_answer_offer(signup: ShiftSignup, *, actor: User | None, accept: bool) -> ShiftSignup:
    shift = _locked_shift(signup.shift)
    signup = ShiftSignup.objects.select_for_update(of=("self",)).select_related("volunteer").get(pk=signup.pk)
    if not _own(actor, signup.volunteer):
        require(actor, Cap.VOLUNTEERS_MANAGE, shift.node)
    if signup.status != SS.OFFERED:
        raise IllegalTransition(_("没有待确认的递补名额"))
    now = clock.now()
    if signup.offer_expires_at and now > signup.offer_expires_at:
        raise IllegalTransition(_("确认已超时，名额已让给下一位"))
    if accept:
        signup.status = SS.CONFIRMED
        signup.confirmed_at = now
        signup.save(update_fields=["status", "confirmed_at", "updated_at"])
    else:
        signup.status = SS.DECLINED
        signup.save(update_fields=["status", "updated_at"])
        _offer_next(shift)
    return signup


def expire_offers() -> int:
    """Periodic and idempotent: offers not answered in time lapse, and the slot goes to the next in line."""
    count = 0
    now = clock.now()
    for pk in ShiftSignup.objects.filter(status=SS.OFFERED, offer_expires_at__lt=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            signup = ShiftSignup.objects.select_for_update().get(pk=pk)
            if signup.status != SS.OFFERED:
                continue
            shift = _locked_shift(signup.shift)
            signup.status = SS.DECLINED
            signup.save(update_fields=["status", "updated_at"])
            _offer_next(shift)
            count += 1
    return count


def send_shift_reminders() -> int:
    """Periodic and idempotent: one reminder per shift to its confirmed volunteers, a day before it starts."""
    from minsheng.core import notifications

    now = clock.now()
    sent = 0
    due = Shift.objects.filter(reminded_at__isnull=True, start__gt=now, start__lte=now + REMIND_BEFORE)
    for shift in due.select_related("event"):
        users = [
            s.volunteer.user
            for s in shift.signups.filter(status=SS.CONFIRMED, volunteer__user__isnull=False).select_related(
                "volunteer__user"
            )
        ]
        with transaction.atomic():
            if Shift.objects.filter(pk=shift.pk, reminded_at__isnull=True).update(reminded_at=now) == 0:
                continue
            if users:
                where = shift.event.title if shift.event is not None else shift.role
                notifications.notify(
                    users,
                    title=_("志愿服务提醒：%(w)s") % {"w": where},
                    body=_("%(r)s，%(t)s 开始，请准时到岗。")
                    % {"r": shift.role, "t": timezone.localtime(shift.start).strftime("%m-%d %H:%M")},
                    link="/h5/activities/me/",
                    kind="activities.shift_reminder",
                    dedupe_key=f"shift-reminder-{shift.pk}",
                )
                sent += len(users)
    return sent


# -- service records (hours) ------------------------------------------------------------------------------------


@transaction.atomic
def do_record_service(
    volunteer: Volunteer,
    *,
    actor: User | None,
    content: str,
    served_on: dt.date,
    hours: Decimal | int | float | str,
    node: Node | None = None,
    shift: Shift | None = None,
    team: Team | None = None,
    confirm: bool = False,
    note: str = "",
) -> ServiceRecord:
    """Record actual service time (travel excluded). The organiser who records may confirm at once (谁记录谁证明);
    otherwise the record waits for the organiser's confirmation and earns nothing meanwhile."""
    node = node or (shift.node if shift is not None else volunteer.node)
    require(actor, Cap.VOLUNTEERS_MANAGE, node)
    hours = _hours(hours)
    if not (content or "").strip():
        raise ValidationError({"content": _("请填写服务内容")})
    if served_on is None or served_on > clock.today():
        raise ValidationError({"served_on": _("服务日期不能晚于今天")})
    if shift is not None:
        span = Decimal((shift.end - shift.start).total_seconds() / 3600).quantize(Decimal("0.1"))
        if hours > span:
            raise ValidationError({"hours": _("时长不能超过岗位时间（%(h)s 小时）") % {"h": span}})
        if ServiceRecord.objects.filter(volunteer=volunteer, shift=shift).exists():
            raise IllegalTransition(_("该志愿者在此岗位的服务已记录"))
    record = ServiceRecord.objects.create(
        volunteer=volunteer,
        node=node,
        team=team,
        unit=volunteer.unit,
        source=RecordSource.SHIFT if shift is not None else RecordSource.MANUAL,
        shift=shift,
        content=content.strip()[:200],
        served_on=served_on,
        hours=hours,
        recorded_by=actor,
        note=(note or "")[:200],
    )
    if confirm:
        assert_not_self_confirm(record, actor)
        record = _confirm(record, actor, by_name=str(actor) if actor else _("系统"))
    return record


def _confirm(record: ServiceRecord, actor: User | None, *, by_name: str) -> ServiceRecord:
    from .points import earn_for_record

    record.status = RecordStatus.CONFIRMED
    record.confirmed_by = actor
    record.confirmed_by_name = by_name[:100]
    record.confirmed_at = clock.now()
    record.save(update_fields=["status", "confirmed_by", "confirmed_by_name", "confirmed_at", "updated_at"])
    earn_for_record(record, actor)
    return record


@transaction.atomic
def do_confirm_record(record: ServiceRecord, *, actor: User | None) -> ServiceRecord:
    record = (
        ServiceRecord.objects.select_for_update(of=("self",)).select_related("volunteer").get(pk=record.pk)
    )
    require(actor, Cap.VOLUNTEERS_MANAGE, record.node)
    if record.status != RecordStatus.PENDING:
        raise IllegalTransition(_("只有待确认的记录可以确认"))
    assert_not_self_confirm(record, actor)
    return _confirm(record, actor, by_name=str(actor))


@transaction.atomic
def do_reject_record(record: ServiceRecord, *, actor: User | None, reason: str) -> ServiceRecord:
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    require(actor, Cap.VOLUNTEERS_MANAGE, record.node)
    if record.status != RecordStatus.PENDING:
        raise IllegalTransition(_("只有待确认的记录可以退回"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请说明原因")})
    record.status = RecordStatus.REJECTED
    record.note = reason.strip()[:200]
    record.save(update_fields=["status", "note", "updated_at"])
    return record


@transaction.atomic
def do_record_shift(
    shift: Shift,
    *,
    actor: User | None,
    attended: dict[Volunteer, Decimal] | None = None,
    confirm: bool = True,
) -> list[ServiceRecord]:
    """After the activity: the organiser records every confirmed volunteer of the shift — the shift's length, or the
    hours given per volunteer in `attended` ({volunteer: hours}; absent volunteers left out)."""
    shift = _locked_shift(shift)
    require(actor, Cap.VOLUNTEERS_MANAGE, shift.node)
    if clock.now() < shift.end:
        raise IllegalTransition(_("岗位尚未结束"))
    full = Decimal((shift.end - shift.start).total_seconds() / 3600).quantize(Decimal("0.1"))
    signups = list(shift.signups.filter(status=SS.CONFIRMED).select_related("volunteer"))
    if attended is None:
        attended = {s.volunteer: full for s in signups}
    title = shift.event.title if shift.event is not None else shift.role
    day = timezone.localtime(shift.start).date()
    records = []
    for volunteer, hours in attended.items():
        if ServiceRecord.objects.filter(volunteer=volunteer, shift=shift).exists():
            continue
        records.append(
            do_record_service(
                volunteer,
                actor=actor,
                content=f"{title} · {shift.role}",
                served_on=day,
                hours=hours,
                shift=shift,
                team=shift.team,
                confirm=confirm,
            )
        )
    return records


# -- the hours a 上门服务 case credits (cases.signals.case_event) ---------------------------------------------------


def on_case_event(sender: object, case: Case, event: CaseEvent, **kwargs: Any) -> None:
    """A case whose lead unit is a volunteer team's 承办单位: its 办结反馈 writes a pending record for the volunteer
    who replied (or the team leader); the resident's satisfied 回访 confirms it, an unsatisfied one rejects it."""
    import logging

    try:
        _credit_case(case, event)
    except Exception:  # a listener must never break the case's own transaction
        logging.getLogger(__name__).exception("volunteer hours for case %s", case.pk)


def _credit_case(case: Case, event: CaseEvent) -> None:
    if not case.lead_unit_id:
        return
    team = Team.objects.filter(case_unit_id=case.lead_unit_id).select_related("leader").first()
    if team is None:
        return
    existing = ServiceRecord.objects.filter(case=case).first()
    if event.verb == "reply":
        volunteer = Volunteer.objects.filter(user_id=event.actor_id).first() if event.actor_id else None
        volunteer = volunteer or team.leader
        if volunteer is None:
            return
        if existing is not None:
            if (
                existing.status == RecordStatus.REJECTED
            ):  # 重办 after an unsatisfied 回访: the new reply counts again
                existing.status = RecordStatus.PENDING
                existing.save(update_fields=["status", "updated_at"])
            return
        ServiceRecord.objects.create(
            volunteer=volunteer,
            node=case.node.territory() or case.node,
            team=team,
            unit=volunteer.unit,
            source=RecordSource.CASE,
            case=case,
            content=_("上门服务：%(t)s") % {"t": case.title[:150]},
            served_on=timezone.localtime(event.created_at).date(),
            hours=team.visit_hours,
            recorded_by=event.actor,
            note=_("诉求 %(n)s 办结反馈") % {"n": case.number},
        )
    elif event.verb == "follow_up" and existing is not None and existing.status == RecordStatus.PENDING:
        _confirm(existing, None, by_name=_("居民回访确认（%(s)s）") % {"s": case.get_satisfaction_display()})
    elif event.verb == "redo" and existing is not None and existing.status == RecordStatus.PENDING:
        existing.status = RecordStatus.REJECTED
        existing.note = _("回访不满意，重办")
        existing.save(update_fields=["status", "note", "updated_at"])


# -- certificates -------------------------------------------------------------------------------------------------


@transaction.atomic
def do_issue_certificate(
    volunteer: Volunteer,
    *,
    actor: User | None,
    period_start: dt.date,
    period_end: dt.date,
    issuer: str,
    person_in_charge: str,
    handler: str,
    contact: str,
    node: Node | None = None,
) -> Certificate:
    """志愿服务证明 over the confirmed records of a period, issued by the organisation that recorded them."""
    node = node or volunteer.node
    require(actor, Cap.VOLUNTEERS_MANAGE, node)
    errors = {}
    if period_start is None or period_end is None or period_end < period_start:
        errors["period_end"] = _("截止日期不能早于起始日期")
    for field, value in (
        ("issuer", issuer),
        ("person_in_charge", person_in_charge),
        ("handler", handler),
        ("contact", contact),
    ):
        if not (value or "").strip():
            errors[field] = _("必填")
    if errors:
        raise ValidationError(errors)
    records = ServiceRecord.objects.filter(
        volunteer=volunteer,
        status=RecordStatus.CONFIRMED,
        served_on__gte=period_start,
        served_on__lte=period_end,
        node__path__startswith=node.path,
    ).order_by("served_on", "pk")
    total = records.aggregate(h=Sum("hours"))["h"] or Decimal(0)
    if not total:
        raise IllegalTransition(_("该期间没有已确认的志愿服务记录，不能出具证明"))
    now = clock.now()
    year = timezone.localtime(now).year
    seq = Certificate.objects.filter(number__startswith=f"ZYZM{year}").count() + 1
    certificate = Certificate.objects.create(
        number=f"ZYZM{year}{seq:06d}",
        verify_code=new_code(12),
        volunteer=volunteer,
        node=node,
        period_start=period_start,
        period_end=period_end,
        hours=total,
        record_count=records.count(),
        items=[
            {
                "date": r.served_on.isoformat(),
                "content": r.content,
                "hours": str(r.hours),
                "confirmed_by": r.confirmed_by_name,
            }
            for r in records
        ],
        issuer=issuer.strip()[:100],
        person_in_charge=person_in_charge.strip()[:50],
        handler=handler.strip()[:50],
        contact=contact.strip()[:30],
        issued_at=now,
        issued_by=actor,
    )
    return certificate


@transaction.atomic
def do_revoke_certificate(certificate: Certificate, *, actor: User | None, reason: str) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    require(actor, Cap.VOLUNTEERS_MANAGE, certificate.node)
    if certificate.status != CertificateStatus.VALID:
        raise IllegalTransition(_("证明已作废"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请说明作废原因")})
    certificate.status = CertificateStatus.REVOKED
    certificate.save(update_fields=["status", "updated_at"])
    return certificate


def own_volunteer(user: User) -> Volunteer | None:
    if user is None or not user.is_authenticated:
        return None
    return Volunteer.objects.filter(user=user).first()


def assert_not_self_confirm(record: ServiceRecord, actor: User | None) -> None:
    if actor is not None and record.volunteer.user_id == actor.pk:
        raise PermissionDenied(_("不能确认自己的服务时长"))
