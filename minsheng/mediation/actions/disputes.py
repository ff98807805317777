"""人民调解: open, staff, mediate and end a dispute. The engine's case (kind 矛盾纠纷) carries handling, deadlines,
督办 and 包案; these steps add what 人民调解法 asks for (parties, 回避, records, the agreement and its clocks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.cases import actions as engine
from minsheng.cases.choices import Channel, Satisfaction
from minsheng.core.calendar import TZ
from minsheng.core.errors import IllegalTransition
from minsheng.core.permissions import require_cap

from .. import conf
from ..choices import (
    DisputeSource,
    DisputeType,
    ObjectionDecision,
    OtherRoute,
    Outcome,
    PartyRole,
    Performance,
    RiskGrade,
)
from ..models import AgreementCounter, Dispute, Mediator, Objection, Party, Session
from .common import (
    category_for,
    clean_text,
    finish_case,
    months_due,
    natural_due,
    notify,
    now,
    start_handling,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from minsheng.accounts.models import User
    from minsheng.org.models import Node

    from ..models import Dispute, Mediator, Visit


#: The engine's category of disputes: its time limit covers the mediation month (migration 0003).
DISPUTE_CATEGORY = ["M1", "03"]
SOURCE_CHANNELS: dict[str, str] = {
    DisputeSource.APPLIED: Channel.VISIT,
    DisputeSource.INITIATIVE: Channel.GRID_PATROL,
}


def _amount(value: object, field: str, errors: dict[str, Any]) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError):
        errors[field] = _("金额必须是数字")
        return Decimal(0)
    if amount < 0 or amount >= Decimal("1e10"):
        errors[field] = _("金额应在0至99亿元之间")
    return amount


def grade_risk(*, type: str, people: int, amount: Decimal, facts: str) -> tuple[str, list[str]]:
    """The configured rule (东至县's 高/中/低 tiers): any high condition → 高; else any medium one → 中; else 低."""
    high, medium = [], []
    if people >= conf.get("risk_high_people"):
        high.append(_("涉及%(n)d人以上") % {"n": conf.get("risk_high_people")})
    if amount >= conf.get("risk_high_amount"):
        high.append(_("争议金额%(n)s元以上") % {"n": conf.get("risk_high_amount")})
    if type in conf.get("risk_high_types"):
        high.append(_("高风险类型：%(t)s") % {"t": DisputeType(type).label})
    words = [w for w in conf.get("risk_high_words") if w in (facts or "")]
    if words:
        high.append(_("过激言行：%(w)s") % {"w": "、".join(words)})
    if high:
        return RiskGrade.HIGH, high
    if people >= conf.get("risk_medium_people"):
        medium.append(_("涉及%(n)d人以上") % {"n": conf.get("risk_medium_people")})
    if amount >= conf.get("risk_medium_amount"):
        medium.append(_("争议金额%(n)s元以上") % {"n": conf.get("risk_medium_amount")})
    if type in conf.get("risk_medium_types"):
        medium.append(_("易激化类型：%(t)s") % {"t": DisputeType(type).label})
    return (RiskGrade.MEDIUM, medium) if medium else (RiskGrade.LOW, [])


def _clean_party(data: dict[str, Any], errors: dict[str, Any], index: int) -> dict[str, Any]:
    resident = data.get("resident")
    name = clean_text(data.get("name") or (resident.name if resident else ""), 100)
    role = data.get("role")
    if role not in PartyRole.values:
        errors[f"parties.{index}.role"] = _("请选择当事人类别")
    if not name:
        errors[f"parties.{index}.name"] = _("请填写当事人姓名")
    return {
        "role": role,
        "resident": resident,
        "name": name,
        "phone": clean_text(data.get("phone") or (resident.phone if resident else ""), 20),
        "id_number": clean_text(
            data.get("id_number") or (resident.id_number if resident else ""), 18
        ).upper(),
        "address": clean_text(data.get("address") or (resident.address if resident else ""), 200),
    }


@transaction.atomic
def do_open_dispute(
    *,
    actor: User | None,
    node: Node,
    type: str,
    source: str,
    facts: str,
    parties: list[dict[str, Any]],
    people: int | None = None,
    amount: object = 0,
    title: str = "",
    mediators: Iterable[User | None] = (),
    visit: Visit | None = None,
) -> Dispute:
    """受理 a dispute: the engine's case is registered, accepted and given to the centre; the mediation clock
    (one month by default) starts now."""
    errors: dict[str, Any] = {}
    facts = clean_text(facts, 4000)
    if not facts:
        errors["facts"] = _("请填写纠纷简要情况")
    if type not in DisputeType.values:
        errors["type"] = _("请选择纠纷类型")
    if source not in DisputeSource.values:
        errors["source"] = _("请选择案件来源")
    if node is None:
        errors["node"] = _("请选择纠纷发生地")
    amount = _amount(amount, "amount", errors)
    cleaned = [_clean_party(p, errors, i) for i, p in enumerate(parties or [])]
    roles = {p["role"] for p in cleaned}
    if PartyRole.APPLICANT not in roles or PartyRole.RESPONDENT not in roles:
        errors["parties"] = _("至少需要一名申请人和一名被申请人")
    mediators = [m for m in mediators if m is not None]
    people = people or max(len(cleaned), 2)
    if not isinstance(people, int) or not 1 <= people <= 10000:
        errors["people"] = _("涉及人数应为1至10000")
    if errors:
        raise ValidationError(errors)
    require_cap(actor, Cap.MEDIATION_MEDIATE, node)
    lead = mediators[0] if mediators else actor
    risk, reasons = grade_risk(type=type, people=people, amount=amount, facts=facts)
    applicant = next(p for p in cleaned if p["role"] == PartyRole.APPLICANT)
    case = engine.do_register(
        actor=actor,
        kind="dispute",
        channel=SOURCE_CHANNELS.get(source, Channel.SYSTEM),
        category=category_for(DISPUTE_CATEGORY),
        description=facts,
        title=title or _("%(t)s纠纷：%(a)s") % {"t": DisputeType(type).label, "a": applicant["name"]},
        node=node,
        reporter_name=applicant["name"],
        reporter_phone=applicant["phone"],
        reporter_user=applicant["resident"].user
        if applicant["resident"] and applicant["resident"].user_id
        else None,
    )
    at = now()
    dispute = Dispute.objects.create(
        case=case,
        node=node,
        visit=visit,
        type=type,
        source=source,
        facts=facts,
        people=people,
        amount=amount,
        risk=risk,
        risk_reasons=reasons,
        accepted_at=at,
        mediation_due=months_due(at, conf.get("mediation_months")),
    )
    case.source = dispute
    case.save(update_fields=["source_type", "source_id", "updated_at"])
    for p in cleaned:
        Party.objects.create(dispute=dispute, **p)
    for i, user in enumerate(dict.fromkeys([lead, *mediators])):
        if user is not None:
            Mediator.objects.create(dispute=dispute, user=user, is_lead=i == 0, assigned_at=at)
    start_handling(case, actor=actor, handler=lead, note=_("受理调解申请"))
    if risk == RiskGrade.HIGH:
        notify(
            _leaders_of(node),
            title=_("高风险矛盾纠纷预警：%(t)s") % {"t": case.title},
            link=f"/mediation/disputes/{dispute.pk}/",
            source=dispute,
            level="urgent",
        )
    return dispute


def _leaders_of(node: Node) -> set[User]:
    """Who gets the 预警函 for a high-risk dispute: leaders and the centre's staff above the place."""
    from minsheng.accounts.models import Membership

    paths = [node.path[: i * node.steplen] for i in range(1, node.depth + 1)]
    return {
        m.user
        for m in Membership.objects.filter(
            node__path__in=paths, role__in=["street_leader", "mediation_staff"]
        ).select_related("user")
    }


def _locked(dispute: Dispute) -> Dispute:
    return Dispute.objects.select_for_update(of=("self",)).select_related("case", "node").get(pk=dispute.pk)


def _open(dispute: Dispute, actor: User | None) -> Dispute:
    dispute = _locked(dispute)
    require_cap(actor, Cap.MEDIATION_MEDIATE, dispute.node)
    if dispute.outcome != Outcome.PENDING:
        raise IllegalTransition(_("调解已终结（%(o)s），不能再操作") % {"o": dispute.get_outcome_display()})
    return dispute


def _log(dispute: Dispute, actor: User | None, verb: str, label: str, note: str = "", **extra: Any) -> None:
    engine.do_record(dispute.case, actor=actor, verb=verb, label=label, note=note, **extra)


@transaction.atomic
def do_assign_mediator(dispute: Dispute, *, actor: User | None, user: User, lead: bool = False) -> Mediator:
    dispute = _open(dispute, actor)
    if user is None:
        raise ValidationError({"user": _("请选择调解员")})
    if dispute.mediators.filter(user=user, active=True).exists():
        raise ValidationError({"user": _("该调解员已在本案")})
    if lead:
        dispute.mediators.filter(is_lead=True).update(is_lead=False)
    mediator = Mediator.objects.create(dispute=dispute, user=user, is_lead=lead, assigned_at=now())
    _log(dispute, actor, "mediator_assigned", _("指派调解员"), str(user))
    notify(
        [user],
        title=_("您被指派调解：%(t)s") % {"t": dispute.case.title},
        link=f"/mediation/disputes/{dispute.pk}/",
    )
    return mediator


@transaction.atomic
def do_object(
    dispute: Dispute, *, actor: User | None, party: Party, mediator: Mediator, reason: str
) -> Objection:
    """回避申请: a party objects to a mediator (decided by do_decide_objection, with a reason)."""
    dispute = _open(dispute, actor)
    reason = clean_text(reason, 2000)
    if not reason:
        raise ValidationError({"reason": _("请填写申请回避的理由")})
    if party.dispute_id != dispute.pk or mediator.dispute_id != dispute.pk or not mediator.active:
        raise ValidationError({"mediator": _("当事人或调解员不属于本案")})
    objection = Objection.objects.create(
        dispute=dispute, party=party, mediator=mediator, reason=reason, raised_at=now()
    )
    _log(dispute, actor, "objection", _("申请回避"), reason, party=party.name, mediator=str(mediator.user))
    return objection


@transaction.atomic
def do_decide_objection(
    objection: Objection,
    *,
    actor: User | None,
    uphold: bool,
    reason: str,
    replacement: User | None = None,
) -> Objection:
    objection = Objection.objects.select_for_update().select_related("mediator__user").get(pk=objection.pk)
    dispute = _open(objection.dispute, actor)
    if objection.decision != ObjectionDecision.PENDING:
        raise IllegalTransition(_("该回避申请已决定"))
    reason = clean_text(reason, 2000)
    if not reason:
        raise ValidationError({"reason": _("请填写决定理由")})
    if actor is not None and objection.mediator.user_id == actor.pk:
        raise IllegalTransition(_("被申请回避的调解员不能自行决定"))
    at = now()
    objection.decision = ObjectionDecision.UPHELD if uphold else ObjectionDecision.DISMISSED
    objection.decision_reason = reason
    objection.decided_by = actor
    objection.decided_at = at
    objection.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at", "updated_at"])
    if uphold:
        mediator = objection.mediator
        was_lead = mediator.is_lead
        mediator.active = False
        mediator.is_lead = False
        mediator.removed_at = at
        mediator.save(update_fields=["active", "is_lead", "removed_at", "updated_at"])
        if replacement is not None:
            do_assign_mediator(dispute, actor=actor, user=replacement, lead=was_lead)
    _log(
        dispute, actor, "objection_decided", _("回避决定"), reason, decision=objection.get_decision_display()
    )
    return objection


@transaction.atomic
def do_refuse(dispute: Dispute, *, actor: User | None, party: Party, note: str = "") -> Dispute:
    """第17条: a party clearly refuses, so no mediation takes place — it ends here."""
    dispute = _open(dispute, actor)
    if party.dispute_id != dispute.pk:
        raise ValidationError({"party": _("当事人不属于本案")})
    party.refused = True
    party.save(update_fields=["refused", "updated_at"])
    note = clean_text(note, 2000) or _("%(p)s明确拒绝调解") % {"p": party.name}
    _end(dispute, actor, Outcome.REFUSED, note)
    return dispute


@transaction.atomic
def do_record_session(
    dispute: Dispute,
    *,
    actor: User | None,
    attendees: str,
    record: str,
    held_at: dt.datetime | None = None,
    place: str = "",
) -> Session:
    dispute = _open(dispute, actor)
    attendees = clean_text(attendees, 300)
    record = clean_text(record, 8000)
    errors = {}
    if not attendees:
        errors["attendees"] = _("请填写参加人员")
    if not record:
        errors["record"] = _("请填写调解记录")
    held_at = held_at or now()
    if held_at > now():
        errors["held_at"] = _("调解时间不能晚于现在")
    if errors:
        raise ValidationError(errors)
    recorder = actor
    if recorder is None:
        lead = dispute.mediators.filter(is_lead=True).first()
        assert lead is not None, "an open dispute has its lead mediator"
        recorder = lead.user
    session = Session.objects.create(
        dispute=dispute,
        held_at=held_at,
        place=clean_text(place, 100),
        attendees=attendees,
        record=record,
        recorded_by=recorder,
    )
    _log(dispute, actor, "mediation_session", _("调解记录"), record[:200], attendees=attendees)
    return session


def _check_consent(dispute: Dispute, consents: Iterable[int | str] | None) -> list[Party]:
    parties = list(dispute.parties.all())
    consenting = {int(p) for p in (consents or [])}
    missing = [p.name for p in parties if p.pk not in consenting]
    if missing:
        raise ValidationError(
            {"consents": _("协议须经各方当事人同意，以下当事人未同意：%(n)s") % {"n": "、".join(missing)}}
        )
    return parties


def _next_number(year: int) -> tuple[int, str]:
    table = AgreementCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last", [year])
        row = cursor.fetchone()
    if row is None:
        AgreementCounter.objects.get_or_create(year=year)
        return _next_number(year)
    n = row[0]
    return n, _("（%(y)d）%(c)s人调字第%(n)d号") % {"y": year, "c": conf.get("committee_short_name"), "n": n}


def _agreement_clocks(dispute: Dispute, at: dt.datetime, performance_by: dt.date | None) -> None:
    dispute.judicial_due = natural_due(at, conf.get("judicial_confirmation_days"))
    if performance_by:
        import datetime as dt

        dispute.performance_due = dt.datetime.combine(performance_by, dt.time(23, 59, 59), tzinfo=TZ)
    else:
        dispute.performance_due = natural_due(at, conf.get("performance_visit_days"))


@transaction.atomic
def do_agree_written(
    dispute: Dispute,
    *,
    actor: User | None,
    disputed_points: str,
    agreed_terms: str,
    consents: Iterable[int | str] | None,
    performance_method: str = "",
    performance_by: dt.date | None = None,
    amount: object = 0,
) -> Dispute:
    """人民调解协议书 (第28–29条): facts and points in dispute, what was agreed, how and by when it is performed.
    Every party must consent; the number is (year)…人调字第N号; the 司法确认 window and 履行回访 start now."""
    dispute = _open(dispute, actor)
    errors: dict[str, Any] = {}
    disputed_points = clean_text(disputed_points, 4000)
    agreed_terms = clean_text(agreed_terms, 4000)
    if not disputed_points:
        errors["disputed_points"] = _("请填写主要事实、争议事项及各方责任")
    if not agreed_terms:
        errors["agreed_terms"] = _("请填写协议内容")
    amount = _amount(amount, "amount", errors)
    at = now()
    if performance_by and performance_by < timezone.localtime(at, TZ).date():
        errors["performance_by"] = _("履行期限不能早于今天")
    if errors:
        raise ValidationError(errors)
    parties = _check_consent(dispute, consents)
    for p in parties:
        p.consented = True
        p.save(update_fields=["consented", "updated_at"])
    year = timezone.localtime(at, TZ).year
    dispute.sequence, dispute.number = _next_number(year)
    dispute.disputed_points = disputed_points
    dispute.agreed_terms = agreed_terms
    dispute.performance_method = clean_text(performance_method, 200)
    dispute.performance_by = performance_by
    dispute.agreement_amount = amount
    _agreement_clocks(dispute, at, performance_by)
    _end(dispute, actor, Outcome.WRITTEN, _("达成书面调解协议 %(n)s") % {"n": dispute.number}, save_more=True)
    return dispute


@transaction.atomic
def do_agree_oral(
    dispute: Dispute,
    *,
    actor: User | None,
    record: str,
    consents: Iterable[int | str] | None,
    amount: object = 0,
    performance_by: dt.date | None = None,
) -> Dispute:
    """第28条: an oral agreement, its content recorded by the mediator."""
    dispute = _open(dispute, actor)
    errors: dict[str, Any] = {}
    record = clean_text(record, 4000)
    if not record:
        errors["record"] = _("请记录口头协议的内容")
    amount = _amount(amount, "amount", errors)
    if errors:
        raise ValidationError(errors)
    parties = _check_consent(dispute, consents)
    for p in parties:
        p.consented = True
        p.save(update_fields=["consented", "updated_at"])
    at = now()
    dispute.oral_record = record
    dispute.agreement_amount = amount
    dispute.performance_by = performance_by
    _agreement_clocks(dispute, at, performance_by)
    dispute.judicial_due = None  # 司法确认 needs a written agreement
    _end(dispute, actor, Outcome.ORAL, _("达成口头协议"), save_more=True)
    return dispute


@transaction.atomic
def do_fail(dispute: Dispute, *, actor: User | None, reason: str, routes: Iterable[str] | None) -> Dispute:
    """第26条: mediation fails — end it and tell the parties the other routes (仲裁/行政/诉讼)."""
    dispute = _open(dispute, actor)
    reason = clean_text(reason, 2000)
    routes = [r for r in (routes or []) if r in OtherRoute.values]
    errors = {}
    if not reason:
        errors["reason"] = _("请填写调解不成的原因")
    if not routes:
        errors["routes"] = _("请选择已告知当事人的其他解决途径")
    if errors:
        raise ValidationError(errors)
    dispute.routes_told = routes
    told = "、".join(str(OtherRoute(r).label) for r in routes)
    _end(
        dispute,
        actor,
        Outcome.FAILED,
        _("调解不成：%(r)s；已告知当事人可通过%(t)s解决") % {"r": reason, "t": told},
        save_more=True,
    )
    return dispute


def _end(dispute: Dispute, actor: User | None, outcome: str, note: str, save_more: bool = False) -> None:
    dispute.outcome = outcome
    dispute.ended_at = now()
    dispute.end_note = note
    fields = ["outcome", "ended_at", "end_note", "updated_at"]
    if save_more:
        fields += [
            "number",
            "sequence",
            "disputed_points",
            "agreed_terms",
            "performance_method",
            "performance_by",
            "agreement_amount",
            "oral_record",
            "judicial_due",
            "performance_due",
            "routes_told",
        ]
    dispute.save(update_fields=fields)
    finish_case(dispute.case, actor=actor, note=note)


def _ended_with_agreement(dispute: Dispute, actor: User | None) -> Dispute:
    dispute = _locked(dispute)
    require_cap(actor, Cap.MEDIATION_MEDIATE, dispute.node)
    if dispute.outcome not in (Outcome.WRITTEN, Outcome.ORAL):
        raise IllegalTransition(_("尚未达成调解协议"))
    return dispute


@transaction.atomic
def do_upload_signed(dispute: Dispute, *, actor: User | None, file: UploadedFile[bytes] | None) -> Dispute:
    """The agreement signed, sealed or fingerprinted by the parties and sealed by the committee (scan or photo)."""
    from minsheng.cases.attachments import validate_upload

    dispute = _ended_with_agreement(dispute, actor)
    if dispute.outcome != Outcome.WRITTEN:
        raise IllegalTransition(_("口头协议无需上传协议书"))
    if file is None:
        raise ValidationError({"file": _("请选择扫描件")})
    validate_upload(file)
    dispute.signed_scan.save(f"{dispute.pk}-{file.name}"[-100:], file, save=False)
    dispute.save(update_fields=["signed_scan", "updated_at"])
    _log(dispute, actor, "agreement_signed", _("上传签字协议书"), file.name or "")
    return dispute


@transaction.atomic
def do_record_judicial(dispute: Dispute, *, actor: User | None, applied_on: dt.date | None) -> Dispute:
    """The parties applied for 司法确认 (第33条): only within the window after a written agreement."""
    dispute = _ended_with_agreement(dispute, actor)
    if dispute.outcome != Outcome.WRITTEN or dispute.judicial_due is None:
        raise IllegalTransition(_("只有书面调解协议可以申请司法确认"))
    if applied_on is None:
        raise ValidationError({"applied_on": _("请填写申请日期")})
    import datetime as dt

    if dt.datetime.combine(applied_on, dt.time(0), tzinfo=TZ) > dispute.judicial_due:
        raise IllegalTransition(_("已超过协议生效后30日的司法确认申请期限"))
    dispute.judicial_applied_on = applied_on
    dispute.save(update_fields=["judicial_applied_on", "updated_at"])
    _log(dispute, actor, "judicial_applied", _("申请司法确认"), f"{applied_on:%Y-%m-%d}")
    return dispute


@transaction.atomic
def do_follow_up_performance(
    dispute: Dispute, *, actor: User | None, performance: str, satisfaction: str, note: str = ""
) -> Dispute:
    """履行回访 (第31条: the committee supervises performance); the engine's case gets its follow-up verdict."""
    dispute = _ended_with_agreement(dispute, actor)
    errors = {}
    if performance not in Performance.values:
        errors["performance"] = _("请选择履行情况")
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = _("请选择满意度")
    if errors:
        raise ValidationError(errors)
    if dispute.followed_up_at is not None:
        raise IllegalTransition(_("已完成履行回访"))
    dispute.performance = performance
    dispute.satisfaction = satisfaction
    dispute.followed_up_at = now()
    dispute.save(update_fields=["performance", "satisfaction", "followed_up_at", "updated_at"])
    comment = _("履行回访：%(p)s。%(n)s") % {"p": Performance(performance).label, "n": clean_text(note, 500)}
    case = dispute.case
    case.refresh_from_db()
    if case.status == "resolved" and satisfaction != Satisfaction.UNSATISFIED:
        engine.do_follow_up(
            case,
            actor=None,
            reachable=True,
            resolved=performance == Performance.FULL,
            satisfaction=satisfaction,
            comment=comment,
        )
    else:
        # 不满意 would send the engine's case back to 重办; a performance problem is the centre's to take up
        # (a new mediation or 司法确认), so it is recorded and the leaders see it on the timeline.
        _log(dispute, actor, "performance_visit", _("履行回访"), comment, satisfaction=satisfaction)
    return dispute
