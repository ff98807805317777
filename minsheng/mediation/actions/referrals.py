"""诉调·警调·访调对接, on Primero's referral lifecycle: sent → accepted | rejected (reason, the sender told) |
revoked; accepted → done (successful or not, with the reason). Each step is on the engine case's timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.cases import actions as engine
from minsheng.core.errors import IllegalTransition
from minsheng.core.permissions import require_cap

from ..choices import Direction, NotSuccessful, Partner, ReferralStatus
from ..models import Referral
from .common import clean_text, notify, now

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.cases.models import Case

    from ..models import Referral


RS = ReferralStatus


@transaction.atomic
def do_refer(
    case: Case,
    *,
    actor: User,
    direction: str,
    partner: str,
    partner_name: str,
    reason: str,
    consent: bool = False,
) -> Referral:
    errors = {}
    if direction not in Direction.values:
        errors["direction"] = _("请选择移交方向")
    if partner not in Partner.values:
        errors["partner"] = _("请选择对接单位类别")
    partner_name = clean_text(partner_name, 100) or (
        str(Partner(partner).label) if partner in Partner.values else ""
    )
    reason = clean_text(reason, 2000)
    if not reason:
        errors["reason"] = _("请填写移交事由")
    if direction == Direction.OUT and not consent:
        errors["consent"] = _("移出前须征得当事人同意")
    if errors:
        raise ValidationError(errors)
    require_cap(actor, Cap.MEDIATION_MEDIATE, case.node)
    referral = Referral.objects.create(
        case=case,
        node=case.node,
        direction=direction,
        partner=partner,
        partner_name=str(partner_name),
        reason=reason,
        consent=bool(consent),
        sent_by=actor,
        sent_at=now(),
    )
    _log(
        referral,
        actor,
        "referral_sent",
        _("对接移交：%(d)s%(p)s") % {"d": referral.get_direction_display(), "p": partner_name},
        reason,
    )
    return referral


def _log(referral: Referral, actor: User | None, verb: str, label: str, note: str = "") -> None:
    engine.do_record(referral.case, actor=actor, verb=verb, label=label, note=note, referral=referral.pk)


def _locked(referral: Referral, actor: User | None, *sources: str) -> Referral:
    referral = (
        Referral.objects.select_for_update(of=("self",)).select_related("case", "sent_by").get(pk=referral.pk)
    )
    require_cap(actor, Cap.MEDIATION_MEDIATE, referral.node)
    if referral.status not in sources:
        raise IllegalTransition(
            _("移交当前状态为“%(s)s”，不能执行此操作") % {"s": referral.get_status_display()}
        )
    return referral


@transaction.atomic
def do_accept_referral(referral: Referral, *, actor: User | None, note: str = "") -> Referral:
    referral = _locked(referral, actor, RS.SENT)
    referral.status = RS.ACCEPTED
    referral.decided_at = now()
    referral.save(update_fields=["status", "decided_at", "updated_at"])
    _log(referral, actor, "referral_accepted", _("对接方已接收"), clean_text(note, 500))
    return referral


@transaction.atomic
def do_reject_referral(referral: Referral, *, actor: User | None, reason: str) -> Referral:
    reason = clean_text(reason, 2000)
    if not reason:
        raise ValidationError({"reason": _("请填写拒收理由")})
    referral = _locked(referral, actor, RS.SENT)
    referral.status = RS.REJECTED
    referral.decided_at = now()
    referral.reject_reason = reason
    referral.save(update_fields=["status", "decided_at", "reject_reason", "updated_at"])
    _log(referral, actor, "referral_rejected", _("对接方拒收"), reason)
    notify(
        [referral.sent_by],
        title=_("移交被拒收：%(n)s") % {"n": referral.case.number},
        link=f"/mediation/referrals/{referral.pk}/",
        source=referral,
        level="warning",
    )
    return referral


@transaction.atomic
def do_revoke_referral(referral: Referral, *, actor: User | None, reason: str) -> Referral:
    reason = clean_text(reason, 2000)
    if not reason:
        raise ValidationError({"reason": _("请填写撤回理由")})
    referral = _locked(referral, actor, RS.SENT, RS.ACCEPTED)
    referral.status = RS.REVOKED
    referral.revoke_reason = reason
    referral.save(update_fields=["status", "revoke_reason", "updated_at"])
    _log(referral, actor, "referral_revoked", _("撤回移交"), reason)
    return referral


@transaction.atomic
def do_complete_referral(
    referral: Referral,
    *,
    actor: User | None,
    successful: bool,
    not_successful_reason: str = "",
    note: str = "",
) -> Referral:
    if successful is None:
        raise ValidationError({"successful": _("请选择办理结果")})
    if not successful and not_successful_reason not in NotSuccessful.values:
        raise ValidationError({"not_successful_reason": _("请选择未成功的原因")})
    referral = _locked(referral, actor, RS.ACCEPTED)
    referral.status = RS.DONE
    referral.done_at = now()
    referral.successful = bool(successful)
    referral.not_successful_reason = "" if successful else not_successful_reason
    referral.outcome_note = clean_text(note, 2000)
    referral.save(
        update_fields=[
            "status",
            "done_at",
            "successful",
            "not_successful_reason",
            "outcome_note",
            "updated_at",
        ]
    )
    label = (
        _("移交办结：成功")
        if successful
        else _("移交办结：未成功（%(r)s）") % {"r": NotSuccessful(not_successful_reason).label}
    )
    _log(referral, actor, "referral_done", label, referral.outcome_note)
    return referral
