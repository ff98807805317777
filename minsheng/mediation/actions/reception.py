"""一窗受理: register the visit with its receiver as 首问, compute first-or-repeat, route it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.cases import actions as engine
from minsheng.cases.choices import Channel
from minsheng.core.errors import IllegalTransition
from minsheng.core.permissions import require_cap
from minsheng.org.validators import validate_id_number

from .. import queries
from ..choices import Route
from ..models import Visit
from .common import category_for, clean_text, now

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.cases.models import Case
    from minsheng.org.models import Node, Resident

    from ..models import Dispute, Petition, Referral, Visit


@transaction.atomic
def do_register_visit(
    *,
    actor: User | None,
    matter: str,
    node: Node | None = None,
    name: str = "",
    phone: str = "",
    id_number: str = "",
    resident: Resident | None = None,
    visitors: int = 1,
) -> Visit:
    """来访登记. A registered resident fills in name, phone, ID number and address from the registry."""
    if resident is not None:
        name = name or resident.name
        phone = phone or resident.phone
        id_number = id_number or resident.id_number
        node = node or resident.node
    errors = {}
    matter = clean_text(matter, 2000)
    name = clean_text(name, 50)
    id_number = clean_text(id_number, 18).upper()
    if not matter:
        errors["matter"] = _("请填写反映事项")
    if not name:
        errors["name"] = _("请填写来访人姓名")
    if node is None:
        errors["node"] = _("请选择来访人住址")
    if id_number:
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages[0]
    if not isinstance(visitors, int) or not 1 <= visitors <= 500:
        errors["visitors"] = _("来访人数应为1至500")
    if errors:
        raise ValidationError(errors)
    require_cap(actor, Cap.MEDIATION_RECEIVE, node)
    at = now()
    repeat = queries.find_repeat(
        matter=matter, node=node, resident=resident, phone=phone, id_number=id_number, before=at
    )
    visit = Visit(
        visited_at=at,
        resident=resident,
        name=name,
        phone=clean_text(phone, 20),
        id_number=id_number,
        node=node,
        visitors=visitors,
        matter=matter,
        matter_words=queries.matter_words(matter),
        receiver=actor,
        is_first=repeat is None,
    )
    if repeat is not None:
        visit.similarity = repeat.score
        visit.related_case = repeat.case
        if repeat.kind == "visit" and isinstance(repeat.obj, Visit):
            visit.repeat_of = repeat.obj
    visit.save()
    return visit


@transaction.atomic
def do_route_visit(
    visit: Visit, *, actor: User, route: str, answer: str = "", **details: Any
) -> Dispute | Petition | Case | Referral | None:
    """分流. `details` go to the step the route takes (dispute: type, source, parties …; petition: kind;
    referral: partner, partner_name, reason, consent). Returns the record the visit became."""
    from . import disputes, petitions, referrals

    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.route:
        raise IllegalTransition(_("该来访已分流"))
    if route not in Route.values:
        raise ValidationError({"route": _("请选择分流去向")})
    require_cap(actor, Cap.MEDIATION_RECEIVE, visit.node)
    result: Dispute | Petition | Case | Referral | None = None
    if route == Route.DISPUTE:
        result = disputes.do_open_dispute(actor=actor, node=visit.node, visit=visit, **details)
        visit.case = result.case
    elif route == Route.PETITION:
        result = petitions.do_register_petition(
            actor=actor,
            form="visit",
            node=visit.node,
            visit=visit,
            petitioner=visit.name,
            phone=visit.phone,
            id_number=visit.id_number,
            resident=visit.resident,
            people=visit.visitors,
            matter=details.pop("matter", "") or visit.matter,
            **details,
        )
        visit.case = result.case
    elif route in (Route.APPEAL, Route.REFERRAL):
        case = engine.do_register(
            actor=actor,
            kind="appeal",
            channel=Channel.VISIT,
            category=details.pop("category", None) or category_for(["99"]),
            description=visit.matter,
            node=visit.node,
            reporter_name=visit.name,
            reporter_phone=visit.phone,
            reporter_user=visit.resident.user if visit.resident and visit.resident.user_id else None,
            source=visit,
        )
        visit.case = case
        result = case
        if route == Route.REFERRAL:
            result = referrals.do_refer(case, actor=actor, direction="out", **details)
    else:
        answer = clean_text(answer, 2000)
        if not answer:
            raise ValidationError({"answer": _("请填写当场答复内容")})
        visit.answer = answer
    visit.route = route
    visit.routed_at = now()
    visit.save(update_fields=["route", "routed_at", "answer", "case", "updated_at"])
    return result
