"""Trainings, 政银企对接 and 送政策进企业 events; the banks' outcomes per enterprise–bank pair; the policy library and
its deliveries.

An event's registration and check-in belong to the one events engine (activities, decision 0015); this app keeps
which enterprises and banks took part, what each pair agreed (意向, 授信, 放款 — three amounts, never added
together: an intention is not a loan), and which policies reached which enterprise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.activities import actions as engine
from minsheng.core import clock
from minsheng.core.calendar import TZ
from minsheng.core.errors import IllegalTransition
from minsheng.core.permissions import require_cap

from ..choices import DeliveryMethod, EventKind, PolicyMode, SizeClass
from ..models import Bank, Enterprise, EnterpriseEvent, MatchOutcome, Policy, PolicyDelivery

if TYPE_CHECKING:
    from models import EnterpriseTag, Industry

    from minsheng.accounts.models import User
    from minsheng.org.models import Node


@transaction.atomic
def do_record_event(
    *,
    actor: User | None,
    kind: str,
    title: str,
    held_on: dt.date,
    node: Node,
    place: str = "",
    summary: str = "",
    enterprises: Iterable[Enterprise] = (),
    banks: Iterable[Bank] = (),
    policies: Iterable[Policy] = (),
) -> EnterpriseEvent:
    """Record an event with its participants. At a 送政策进企业 event every enterprise present receives every policy
    presented (a delivery each, by 活动宣讲)."""
    require_cap(actor, Cap.ENTERPRISE_MANAGE, node)
    errors: dict[str, str | list[str]] = {}
    if kind not in EventKind.values:
        errors["kind"] = _("请选择活动类型")
    if not (title or "").strip():
        errors["title"] = _("请填写活动主题")
    if held_on is None:
        errors["held_on"] = _("请填写活动日期")
    if node is None:
        errors["node"] = _("请选择举办单位")
    if banks and kind != EventKind.MATCHMAKING:
        errors["banks"] = _("只有政银企对接活动有金融机构参加")
    if kind == EventKind.POLICY and not policies:
        errors["policies"] = _("送政策进企业活动须选择宣讲的政策")
    if errors:
        raise ValidationError(errors)
    event = EnterpriseEvent.objects.create(
        kind=kind,
        title=title.strip()[:100],
        held_on=held_on,
        node=node,
        place=(place or "").strip()[:100],
        summary=summary or "",
        by=actor,
    )
    event.enterprises.set(enterprises)
    event.banks.set(banks)
    event.policies.set(policies)
    _host_on_engine(event, actor, enterprises, banks)
    if kind == EventKind.POLICY and held_on <= clock.today():
        for enterprise in enterprises:
            for policy in policies:
                if not PolicyDelivery.objects.filter(policy=policy, enterprise=enterprise).exists():
                    PolicyDelivery.objects.create(
                        policy=policy,
                        enterprise=enterprise,
                        delivered_on=held_on,
                        method=DeliveryMethod.EVENT,
                        event=event,
                        by=actor,
                    )
    return event


#: The activities engine's event kinds (data rows it ships) for ours.
ENGINE_KINDS: dict[str, str] = {
    EventKind.TRAINING: "training",
    EventKind.MATCHMAKING: "matchmaking",
    EventKind.POLICY: "publicity",
}
#: An enterprise event is a morning session unless the engine's page is used to change it.
SESSION = (dt.time(9, 0), dt.time(11, 30))


def _host_on_engine(
    event: EnterpriseEvent, actor: User | None, enterprises: Iterable[Enterprise], banks: Iterable[Bank]
) -> None:
    """The event's registration and check-in live on the activities engine, hosted by this record (decision 0034):
    the session is created there; for an event already held, each enterprise's primary contact (and each bank's
    representative) is recorded as checked in from the sign-in sheet, and once its time is over the session is
    closed."""
    start = dt.datetime.combine(event.held_on, SESSION[0], tzinfo=TZ)
    end = dt.datetime.combine(event.held_on, SESSION[1], tzinfo=TZ)
    activity = engine.do_create_event(
        actor=actor,
        kind=ENGINE_KINDS[event.kind],
        title=event.title,
        node=event.node,
        start=start,
        end=end,
        place=event.place,
        host=event,
        organiser_name=_("企业服务"),
        audience=_("辖区企业"),
        description=event.summary,
        public=False,
    )
    event.activity_id = activity.pk
    event.save(update_fields=["activity_id", "updated_at"])
    now = clock.now()
    if now < start:
        return
    people = []
    for enterprise in enterprises:
        contact = enterprise.contacts.order_by("-is_primary", "pk").first()
        people.append(
            {
                "name": contact.name if contact else _("企业代表"),
                "phone": contact.phone if contact else "",
                "organisation": enterprise.name,
                "at": start,
            }
        )
    for bank in banks:
        people.append({"name": _("客户经理"), "phone": "", "organisation": bank.name, "at": start})
    if people:
        engine.do_record_attendance(activity, actor=actor, people=people)
    if now >= end:
        engine.do_close_event(activity, actor=actor, summary=event.summary or event.title)


@transaction.atomic
def do_link_activity(event: EnterpriseEvent, *, actor: User | None, activity_id: int) -> EnterpriseEvent:
    """Point the record at the activities engine's event that carries its registration and check-in."""
    require_cap(actor, Cap.ENTERPRISE_MANAGE, event.node)
    event.activity_id = activity_id
    event.save(update_fields=["activity_id", "updated_at"])
    return event


def _money(value: Decimal | int | float | str | None, field: str) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else 0))
    except Exception:
        raise ValidationError({field: _("请填写金额（万元）")}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({field: _("金额不能为负数")})
    if number >= Decimal("1e10"):
        raise ValidationError({field: _("金额过大，请以万元为单位填写")})
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def do_record_outcome(
    event: EnterpriseEvent,
    *,
    actor: User | None,
    enterprise: Enterprise,
    bank: Bank,
    intent_amount: Decimal | int | float | str = 0,
    credit_amount: Decimal | int | float | str = 0,
    loan_amount: Decimal | int | float | str = 0,
    note: str = "",
) -> MatchOutcome:
    """The pair's figures as of now (a later 授信 or 放款 updates the same row; each amount stays in its field)."""
    require_cap(actor, Cap.ENTERPRISE_MANAGE, event.node)
    if event.kind != EventKind.MATCHMAKING:
        raise IllegalTransition(_("只有政银企对接活动登记融资对接成果"))
    errors: dict[str, str | list[str]] = {}
    if not event.enterprises.filter(pk=enterprise.pk).exists():
        errors["enterprise"] = _("该企业未参加本次活动")
    if not event.banks.filter(pk=bank.pk).exists():
        errors["bank"] = _("该金融机构未参加本次活动")
    amounts = {}
    for field, value in (
        ("intent_amount", intent_amount),
        ("credit_amount", credit_amount),
        ("loan_amount", loan_amount),
    ):
        try:
            amounts[field] = _money(value, field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if amounts["loan_amount"] > amounts["credit_amount"] > 0:
        raise ValidationError({"loan_amount": _("放款金额不能超过授信金额")})
    outcome, _created = MatchOutcome.objects.select_for_update(of=("self",)).get_or_create(
        event=event, enterprise=enterprise, bank=bank, defaults={**amounts, "note": (note or "")[:200]}
    )
    if not _created:
        for field, value in amounts.items():
            setattr(outcome, field, value)
        outcome.note = (note or "")[:200]
        outcome.save()
    return outcome


@transaction.atomic
def do_add_bank(*, actor: User | None, name: str) -> Bank:
    require_cap(actor, Cap.ENTERPRISE_MANAGE)
    if not (name or "").strip():
        raise ValidationError({"name": _("请填写金融机构名称")})
    return Bank.objects.get_or_create(name=name.strip()[:100])[0]


@transaction.atomic
def do_add_policy(
    *,
    actor: User | None,
    title: str,
    issuer: str,
    issued_on: dt.date,
    summary: str,
    doc_number: str = "",
    valid_until: dt.date | None = None,
    mode: str = PolicyMode.APPLY,
    tags: Iterable[EnterpriseTag] = (),
    industries: Iterable[Industry] = (),
    sizes: Iterable[str] = (),
) -> Policy:
    require_cap(actor, Cap.ENTERPRISE_MANAGE)
    errors: dict[str, str | list[str]] = {}
    for field, value in (("title", title), ("issuer", issuer), ("summary", summary)):
        if not (value or "").strip():
            errors[field] = _("此项必填")
    if issued_on is None:
        errors["issued_on"] = _("请填写发布日期")
    elif valid_until is not None and valid_until < issued_on:
        errors["valid_until"] = _("有效期不能早于发布日期")
    if mode not in PolicyMode.values:
        errors["mode"] = _("请选择兑现方式")
    if any(s not in SizeClass.values for s in sizes):
        errors["sizes"] = _("未知的企业规模")
    if errors:
        raise ValidationError(errors)
    policy = Policy.objects.create(
        title=title.strip()[:150],
        issuer=issuer.strip()[:100],
        doc_number=(doc_number or "").strip()[:60],
        issued_on=issued_on,
        valid_until=valid_until,
        mode=mode,
        summary=summary.strip(),
        sizes=list(sizes),
    )
    policy.tags.set(tags)
    policy.industries.set(industries)
    return policy


@transaction.atomic
def do_deliver_policy(
    policy: Policy,
    *,
    actor: User | None,
    enterprise: Enterprise,
    delivered_on: dt.date,
    method: str = DeliveryMethod.VISIT,
    note: str = "",
    event: EnterpriseEvent | None = None,
) -> PolicyDelivery:
    require_cap(actor, Cap.ENTERPRISE_MANAGE, enterprise.node)
    errors: dict[str, str | list[str]] = {}
    if method not in DeliveryMethod.values:
        errors["method"] = _("请选择送达方式")
    if delivered_on is None or delivered_on > clock.today():
        errors["delivered_on"] = _("送达日期不能晚于今天")
    elif delivered_on < policy.issued_on:
        errors["delivered_on"] = _("送达日期不能早于政策发布日期")
    if errors:
        raise ValidationError(errors)
    if PolicyDelivery.objects.filter(policy=policy, enterprise=enterprise).exists():
        raise IllegalTransition(_("该政策已送达该企业"))
    return PolicyDelivery.objects.create(
        policy=policy,
        enterprise=enterprise,
        delivered_on=delivered_on,
        method=method,
        note=(note or "")[:200],
        event=event,
        by=actor,
    )
