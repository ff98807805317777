"""信访 on the 条例's clock (natural days, configured defaults): register → 告知 (15) → 办理 (60, +30 with approval
and the petitioner told why) → 答复意见书 → 复查 (request within 30, answer within 30) → 复核 (30 + 30) → 终结.
Each stage is its own Petition row and engine case, linked to the stage before."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.cases import actions as engine
from minsheng.cases.choices import Channel
from minsheng.core.calendar import TZ
from minsheng.core.errors import IllegalTransition
from minsheng.core.permissions import require_cap

from .. import conf, queries
from ..choices import Acceptance, BookingStatus, PetitionForm, PetitionKind, PetitionStage
from ..models import Booking, Petition, ReceptionDay
from .common import (
    as_actor,
    category_for,
    clean_text,
    finish_case,
    natural_due,
    notify,
    now,
    start_handling,
)

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.org.models import Node, Resident

    from ..models import Petition, ReceptionDay, Visit


CHANNELS: dict[str, str] = {
    PetitionForm.LETTER: Channel.LETTER,
    PetitionForm.VISIT: Channel.VISIT,
    PetitionForm.ONLINE: Channel.ONLINE,
    PetitionForm.PHONE: Channel.PHONE,
}
NEXT_STAGE: dict[str, str] = {
    PetitionStage.ORIGINAL: PetitionStage.REVIEW,
    PetitionStage.REVIEW: PetitionStage.RE_REVIEW,
}


@transaction.atomic
def do_register_petition(
    *,
    actor: User | None,
    form: str,
    node: Node,
    petitioner: str,
    matter: str,
    kind: str = PetitionKind.CLAIM,
    phone: str = "",
    id_number: str = "",
    resident: Resident | None = None,
    people: int = 1,
    visit: Visit | None = None,
    acknowledge_final: bool = False,
) -> Petition:
    """登记. A matter the same person already took to 终结 is flagged: registering it needs `acknowledge_final`
    (the clerk saw the warning), and it can then only be answered with 不予受理."""
    errors = {}
    matter = clean_text(matter, 4000)
    petitioner = clean_text(petitioner or (resident.name if resident else ""), 50)
    if form not in PetitionForm.values:
        errors["form"] = _("请选择信访形式")
    if kind not in PetitionKind.values:
        errors["kind"] = _("请选择信访类别")
    if not matter:
        errors["matter"] = _("请填写信访事项")
    if not petitioner:
        errors["petitioner"] = _("请填写信访人")
    if node is None:
        errors["node"] = _("请选择事项发生地")
    if not isinstance(people, int) or not 1 <= people <= 10000:
        errors["people"] = _("人数应为1至10000")
    if errors:
        raise ValidationError(errors)
    require_cap(actor, Cap.PETITION_HANDLE, node)
    phone = clean_text(phone or (resident.phone if resident else ""), 20)
    id_number = clean_text(id_number or (resident.id_number if resident else ""), 18).upper()
    final = queries.finalized_match(matter=matter, resident=resident, phone=phone, id_number=id_number)
    if final is not None and not acknowledge_final:
        raise ValidationError(
            {
                "matter": _(
                    "该信访人就相同事实和理由的信访事项已于复核后终结（%(n)s），依规不再受理；如仍需登记请确认。"
                )
                % {"n": final.case.number}
            },
            code="finalized",
        )
    at = now()
    repeat = queries.find_repeat(
        matter=matter,
        node=node,
        resident=resident,
        phone=phone,
        id_number=id_number,
        before=at,
        exclude_visit=visit,
    )
    is_first = visit.is_first if visit is not None else repeat is None
    case = engine.do_register(
        actor=actor,
        kind="petition",
        channel=CHANNELS[form],
        category=category_for(["M2", "99"]),
        description=matter,
        node=node,
        reporter_name=petitioner,
        reporter_phone=phone,
        reporter_user=resident.user if resident is not None and resident.user_id else None,
    )
    petition = Petition.objects.create(
        case=case,
        node=node,
        visit=visit,
        form=form,
        kind=kind,
        petitioner=petitioner,
        phone=phone,
        id_number=id_number,
        resident=resident,
        people=people,
        matter=matter,
        matter_words=queries.matter_words(matter),
        is_first=is_first,
        repeats_final=final,
        related_case=(visit.related_case if visit is not None else (repeat.case if repeat else None)),
        registered_at=at,
        notice_due=natural_due(at, conf.get("petition_notice_days")),
    )
    case.source = petition
    case.save(update_fields=["source_type", "source_id", "updated_at"])
    return petition


def _locked(petition: Petition) -> Petition:
    return Petition.objects.select_for_update(of=("self",)).select_related("case", "node").get(pk=petition.pk)


@transaction.atomic
def do_accept_petition(
    petition: Petition, *, actor: User | None, accept: bool, notice_text: str, handler: User | None = None
) -> Petition:
    """受理告知 (or 不予受理告知) in writing; acceptance starts the 60-day handling clock."""
    petition = _locked(petition)
    require_cap(actor, Cap.PETITION_HANDLE, petition.node)
    if petition.acceptance != Acceptance.PENDING:
        raise IllegalTransition(_("已告知是否受理"))
    notice_text = clean_text(notice_text, 4000)
    if not notice_text:
        raise ValidationError({"notice_text": _("请填写告知书内容")})
    if accept and petition.repeats_final_id:
        raise IllegalTransition(_("相同事实和理由的信访事项已终结，不予受理"))
    at = now()
    petition.notice_text = notice_text
    petition.noticed_at = at
    if accept:
        petition.acceptance = Acceptance.ACCEPTED
        days = conf.get(
            "petition_handle_days"
            if petition.stage == PetitionStage.ORIGINAL
            else "petition_review_answer_days"
        )
        petition.handle_due = natural_due(at, days)
        petition.save(update_fields=["acceptance", "notice_text", "noticed_at", "handle_due", "updated_at"])
        start_handling(petition.case, actor=actor, handler=handler or actor, note=notice_text[:200])
    else:
        petition.acceptance = Acceptance.NOT_ACCEPTED
        petition.save(update_fields=["acceptance", "notice_text", "noticed_at", "updated_at"])
        engine.do_reject(petition.case, actor=None, reason=notice_text)
    return petition


@transaction.atomic
def do_extend_petition(petition: Petition, *, actor: User | None, reason: str) -> Petition:
    """Complex matters: +30 days once, approved by the unit's head, and the petitioner is told why."""
    petition = _locked(petition)
    require_cap(actor, Cap.PETITION_APPROVE, petition.node)
    if actor is None:
        raise IllegalTransition(_("延期须经负责人批准"))
    if petition.acceptance != Acceptance.ACCEPTED or petition.replied_at is not None:
        raise IllegalTransition(_("只有已受理、尚未答复的信访事项可以延期"))
    if petition.extended:
        raise IllegalTransition(_("办理期限只能延长一次"))
    reason = clean_text(reason, 2000)
    if not reason:
        raise ValidationError({"reason": _("请填写延期理由（将告知信访人）")})
    assert petition.handle_due is not None, "an accepted petition has its handling deadline"
    petition.handle_due = natural_due(petition.handle_due, conf.get("petition_extension_days"))
    petition.extended = True
    petition.extension_reason = reason
    petition.extension_approved_by = actor
    petition.save(
        update_fields=["handle_due", "extended", "extension_reason", "extension_approved_by", "updated_at"]
    )
    engine.do_record(
        petition.case,
        actor=actor,
        verb="petition_extended",
        label=_("信访延期（已告知信访人延期理由）"),
        note=reason,
        public=True,
        due=petition.handle_due.isoformat(),
    )
    _extend_engine_case(petition, actor, reason)
    return petition


def _extend_engine_case(petition: Petition, approver: User | None, reason: str) -> None:
    """The engine's case gets the same extension (申请 by its handler, 批准 by the approver), so its own clock and
    its 延期 figures agree with the petition: 30 natural days are at most 24 working days."""
    from minsheng.cases.choices import RequestKind, Status

    case = petition.case
    case.refresh_from_db()
    if case.status != Status.HANDLING or case.handler is None:
        return
    days = -(-conf.get("petition_extension_days") * 5 // 7) + 2
    request = engine.do_request(
        case, actor=case.handler, kind=RequestKind.EXTENSION, reason=reason, days=min(days, 60)
    )
    engine.do_decide(request, actor=as_actor(approver, case, "decide"), approve=True, note=reason)


def _reply_number(petition: Petition, at: dt.datetime) -> str:
    year = timezone.localtime(at, TZ).year
    n = Petition.objects.filter(replied_at__year=year).exclude(reply_number="").count() + 1
    prefix: dict[str, str] = {
        PetitionStage.ORIGINAL: _("信答"),
        PetitionStage.REVIEW: _("信复查"),
        PetitionStage.RE_REVIEW: _("信复核"),
    }
    return _("%(p)s〔%(y)d〕%(n)d号") % {"p": prefix[petition.stage], "y": year, "n": n}


@transaction.atomic
def do_reply_petition(petition: Petition, *, actor: User | None, text: str) -> Petition:
    """答复意见书. Only an accepted petition can be answered; a 复核 answer ends the matter (终结)."""
    petition = _locked(petition)
    require_cap(actor, Cap.PETITION_HANDLE, petition.node)
    if petition.acceptance != Acceptance.ACCEPTED:
        raise IllegalTransition(_("信访事项尚未受理，不能出具答复意见"))
    if petition.replied_at is not None:
        raise IllegalTransition(_("该信访事项已答复"))
    text = clean_text(text, 8000)
    if not text:
        raise ValidationError({"text": _("请填写答复意见")})
    at = now()
    petition.reply_text = text
    petition.replied_at = at
    petition.reply_number = _reply_number(petition, at)
    fields = ["reply_text", "replied_at", "reply_number", "updated_at"]
    if petition.stage == PetitionStage.RE_REVIEW:
        petition.final = True
        fields.append("final")
        chain = petition.previous
        while chain is not None:
            Petition.objects.filter(pk=chain.pk).update(final=True)
            chain = chain.previous
    else:
        petition.request_due = natural_due(at, conf.get("petition_review_request_days"))
        fields.append("request_due")
    petition.save(update_fields=fields)
    finish_case(petition.case, actor=actor, note=_("出具答复意见书 %(n)s") % {"n": petition.reply_number})
    return petition


@transaction.atomic
def do_request_review(petition: Petition, *, actor: User | None, reason: str) -> Petition:
    """复查 (after the reply) or 复核 (after the 复查): only within the window, never after 终结."""
    petition = _locked(petition)
    require_cap(actor, Cap.PETITION_HANDLE, petition.node)
    if petition.final or petition.stage == PetitionStage.RE_REVIEW:
        raise IllegalTransition(_("复核意见作出后信访事项已终结，不再受理复查复核"))
    if petition.replied_at is None:
        raise IllegalTransition(_("尚未答复，不能申请复查复核"))
    if Petition.objects.filter(previous=petition).exists():
        raise IllegalTransition(_("已申请过复查/复核"))
    assert petition.request_due is not None, "a replied petition has its review window"
    if now() > petition.request_due:
        raise IllegalTransition(
            _("已超过收到答复意见后%(d)d日的申请期限") % {"d": conf.get("petition_review_request_days")}
        )
    reason = clean_text(reason, 4000)
    if not reason:
        raise ValidationError({"reason": _("请填写申请理由")})
    stage = NEXT_STAGE[petition.stage]
    at = now()
    label = PetitionStage(stage).label
    case = engine.do_register(
        actor=actor,
        kind="petition",
        channel=petition.case.channel,
        category=petition.case.category,
        description=reason,
        title=(_("%(s)s：%(t)s") % {"s": label, "t": petition.case.title})[:90],
        node=petition.node,
        reporter_name=petition.petitioner,
        reporter_phone=petition.phone,
        reporter_user=petition.case.reporter_user,
    )
    review = Petition.objects.create(
        case=case,
        node=petition.node,
        stage=stage,
        previous=petition,
        form=petition.form,
        kind=petition.kind,
        petitioner=petition.petitioner,
        phone=petition.phone,
        id_number=petition.id_number,
        resident=petition.resident,
        people=petition.people,
        matter=petition.matter,
        matter_words=petition.matter_words,
        is_first=False,
        registered_at=at,
        notice_due=natural_due(at, conf.get("petition_notice_days")),
    )
    case.source = review
    case.save(update_fields=["source_type", "source_id", "updated_at"])
    engine.do_record(
        petition.case,
        actor=actor,
        verb="petition_review",
        label=_("申请%(s)s") % {"s": label},
        note=reason,
        public=True,
        next_case=case.number,
    )
    return review


# -- 领导公开接访 -------------------------------------------------------------------------------------


@transaction.atomic
def do_create_reception_day(
    *,
    actor: User | None,
    leader: User | None,
    node: Node,
    date: dt.date | None,
    place: str,
    topic: str = "",
    capacity: int = 10,
) -> ReceptionDay:
    errors = {}
    if leader is None:
        errors["leader"] = _("请选择接访领导")
    if date is None:
        errors["date"] = _("请选择接访日期")
    elif date < timezone.localtime(now(), TZ).date():
        errors["date"] = _("接访日期不能早于今天")
    place = clean_text(place, 100)
    if not place:
        errors["place"] = _("请填写接访地点")
    if not isinstance(capacity, int) or not 1 <= capacity <= 200:
        errors["capacity"] = _("可预约人数应为1至200")
    if errors:
        raise ValidationError(errors)
    assert leader is not None and date is not None  # refused above
    require_cap(actor, Cap.PETITION_HANDLE, node)
    return ReceptionDay.objects.create(
        leader=leader, node=node, date=date, place=place, topic=clean_text(topic, 100), capacity=capacity
    )


@transaction.atomic
def do_book(
    day: ReceptionDay,
    *,
    actor: User,
    name: str,
    matter: str,
    phone: str = "",
    resident: Resident | None = None,
) -> Booking:
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
    require_cap(actor, Cap.PETITION_HANDLE, day.node)
    name = clean_text(name or (resident.name if resident else ""), 50)
    matter = clean_text(matter, 300)
    errors = {}
    if not name:
        errors["name"] = _("请填写预约人")
    if not matter:
        errors["matter"] = _("请填写反映事项")
    if errors:
        raise ValidationError(errors)
    if day.date < timezone.localtime(now(), TZ).date():
        raise IllegalTransition(_("该接访日已过"))
    taken = day.bookings.aggregate(n=Count("pk", filter=~Q(status=BookingStatus.CANCELLED)))["n"]
    if taken >= day.capacity:
        raise IllegalTransition(_("该接访日预约已满"))
    booking = Booking.objects.create(
        day=day,
        resident=resident,
        name=name,
        phone=clean_text(phone or (resident.phone if resident else ""), 20),
        matter=matter,
        booked_by=actor,
    )
    notify([day.leader], title=_("公开接访新预约：%(n)s") % {"n": name}, link="/mediation/reception-days/")
    return booking


@transaction.atomic
def do_mark_received(booking: Booking, *, actor: User | None, received: bool = True) -> Booking:
    booking = Booking.objects.select_for_update().select_related("day").get(pk=booking.pk)
    require_cap(actor, Cap.PETITION_HANDLE, booking.day.node)
    if booking.status != BookingStatus.BOOKED:
        raise IllegalTransition(_("该预约已处理"))
    booking.status = BookingStatus.RECEIVED if received else BookingStatus.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    return booking
