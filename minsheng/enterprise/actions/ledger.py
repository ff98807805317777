"""The enterprise problem ledger (台账式管理、逐一销号): visits, problems as cases, and 销号 by the enterprise.

A problem is a case of kind 企业诉求 on the appeals engine — registered, dispatched, handled, verified and clocked
there. What this app adds is the closing word: an item is 销号 only when the enterprise confirms that the problem is
solved, either itself on the enterprise H5 or through its 包靠 cadre, who must then attach the evidence (a signed
confirmation, a photo of it, a chat screenshot). The confirmation is the case's 回访 by the reporter, so the
engine's satisfaction figures include it; an enterprise that says "not solved" sends the case back (重办).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.cases import actions as case_actions
from minsheng.cases.choices import DONE_STATES, VOID_STATES, Channel, Satisfaction, Status, Urgency
from minsheng.cases.models import Category
from minsheng.core import clock
from minsheng.core.errors import IllegalTransition
from minsheng.core.permissions import require_cap

from .. import reference
from ..choices import ConfirmedBy, LedgerState, RaisedVia
from ..models import Contact, Enterprise, Problem, Visit

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import QuerySet
    from models import EnterpriseEvent

    from minsheng.accounts.models import User
    from minsheng.cases.models import Unit


MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = (".jpg", ".jpeg", ".png", ".pdf", ".webp", ".heic")


def ledger_state(problem: Problem) -> str:
    """Read from the case: still with the engine, handled and awaiting the enterprise, closed, or void."""
    if problem.closed_at is not None:
        return LedgerState.CLOSED
    assert problem.case is not None  # a problem is filed as a case when it is raised
    status = problem.case.status
    if status in VOID_STATES:
        return LedgerState.VOID
    if status in DONE_STATES:
        return LedgerState.AWAITING
    return LedgerState.OPEN


def enterprise_categories() -> QuerySet[Category]:
    """The 企业诉求 subtree of the case categories (the clock's limits hang on them)."""
    top = Category.objects.filter(code=reference.CASE_CATEGORIES[0][0]).first()
    if top is None:
        return Category.objects.none()
    return Category.objects.filter(path__startswith=top.path, is_active=True).order_by("path")


@transaction.atomic
def do_record_visit(
    enterprise: Enterprise,
    *,
    actor: User | None,
    visited_on: dt.date,
    findings: str,
    units: Iterable[Unit] = (),
    members: Iterable[User] = (),
    on_site_office: bool = False,
) -> Visit:
    """组团式服务: the team (departments and people) that went, and what they found."""
    require_cap(actor, Cap.ENTERPRISE_MANAGE, enterprise.node)
    errors: dict[str, str | list[str]] = {}
    if visited_on is None or visited_on > clock.today():
        errors["visited_on"] = _("走访日期不能晚于今天")
    if not (findings or "").strip():
        errors["findings"] = _("请填写走访情况")
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(
        enterprise=enterprise,
        visited_on=visited_on,
        findings=findings.strip(),
        on_site_office=on_site_office,
        by=actor,
    )
    if units:
        visit.units.set(units)
    members = list(members) or ([actor] if actor is not None else [])
    if members:
        visit.members.set(members)
    return visit


@transaction.atomic
def do_raise_problem(
    enterprise: Enterprise,
    *,
    actor: User | None = None,
    contact: Contact | None = None,
    title: str,
    description: str,
    raised_via: str,
    visit: Visit | None = None,
    event: EnterpriseEvent | None = None,
    category: Category | None = None,
    urgency: str = Urgency.NORMAL,
    unit: Unit | None = None,
    co_units: Iterable[Unit] = (),
    files: Iterable[UploadedFile[bytes]] = (),
) -> Problem:
    """带走问题: a staff member (on a visit, at an event, as 包靠 cadre) or the enterprise's own contact (H5) raises
    a problem. It becomes a case of kind 企业诉求 on the enterprise clock; given a lead unit (the department that
    was on the team), it is accepted and dispatched to it at once (现场交办), otherwise it waits at the desk."""
    if contact is not None:
        if contact.enterprise_id != enterprise.pk or not contact.h5_enabled:
            raise PermissionDenied(_("只能为本企业反映问题"))
    elif actor is None:
        raise PermissionDenied(_("请先登录"))
    else:
        require_cap(actor, Cap.ENTERPRISE_MANAGE, enterprise.node)
    if raised_via not in RaisedVia.values:
        raise ValidationError({"raised_via": _("未知的问题来源")})
    if visit is not None and visit.enterprise_id != enterprise.pk:
        raise ValidationError({"visit": _("走访记录不属于该企业")})
    if category is None:
        category = Category.objects.get(code=reference.DEFAULT_CATEGORY)
    elif not enterprise_categories().filter(pk=category.pk).exists():
        raise ValidationError({"category": _("请选择企业诉求下的分类")})
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写问题标题")})
    problem = Problem.objects.create(
        enterprise=enterprise,
        visit=visit,
        event=event,
        raised_via=raised_via,
        raised_by_contact=contact,
        raised_by=actor,
    )
    reporter = contact or enterprise.contacts.filter(is_primary=True).first()
    case = case_actions.do_register(
        actor=actor,
        kind="enterprise",
        channel=Channel.ONLINE if raised_via == RaisedVia.H5 else Channel.ENTERPRISE_VISIT,
        category=category,
        title=f"{enterprise.name}：{title.strip()}"[:100],
        description=description,
        urgency=urgency,
        node=enterprise.node,
        grid=enterprise.grid,
        address=enterprise.address,
        reporter_name=(f"{enterprise.name} {reporter.name}" if reporter else enterprise.name)[:50],
        reporter_phone=reporter.phone if reporter else "",
        source=problem,
        files=files,
    )
    problem.case = case
    problem.save(update_fields=["case", "updated_at"])
    if unit is not None:
        note = _("组团式服务现场交办（%(who)s）") % {"who": actor or (contact and contact.name) or ""}
        case_actions.do_accept(case, actor=None, note=note)
        problem.case = case_actions.do_dispatch(case, actor=None, unit=unit, co_units=co_units, note=note)
    return problem


def _check_evidence(evidence: UploadedFile[bytes]) -> None:
    name = (getattr(evidence, "name", "") or "").lower()
    if not name.endswith(EVIDENCE_TYPES):
        raise ValidationError({"evidence": _("凭证应为图片或 PDF 文件")})
    if getattr(evidence, "size", 0) > MAX_EVIDENCE_BYTES:
        raise ValidationError({"evidence": _("凭证文件不能超过10MB")})


def _confirmer(
    problem: Problem,
    actor: User | None,
    contact: Contact | None,
    evidence: UploadedFile[bytes] | None,
    note: str,
) -> str:
    """Who may speak for the enterprise: its own H5 contact, or staff recording it with evidence."""
    if contact is not None:
        if contact.enterprise_id != problem.enterprise_id or not contact.h5_enabled:
            raise PermissionDenied(_("只能确认本企业的问题"))
        return ConfirmedBy.CONTACT
    if actor is None:
        raise PermissionDenied(_("销号须由企业确认"))
    enterprise = problem.enterprise
    if enterprise.cadre_id != actor.pk and not actor.has_cap(Cap.ENTERPRISE_MANAGE, enterprise.node):
        raise PermissionDenied(_("只有包靠干部或企业服务人员可以代为记录企业确认"))
    errors: dict[str, str | list[str]] = {}
    if not evidence:
        errors["evidence"] = _("代为记录企业确认时须上传企业确认凭证（签字确认单、照片等）")
    else:
        try:
            _check_evidence(evidence)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not (note or "").strip():
        errors["note"] = _("请填写企业的确认意见")
    if errors:
        raise ValidationError(errors)
    return ConfirmedBy.CADRE


@transaction.atomic
def do_confirm_close(
    problem: Problem,
    *,
    actor: User | None = None,
    contact: Contact | None = None,
    satisfaction: str = Satisfaction.SATISFIED,
    note: str = "",
    evidence: UploadedFile[bytes] | None = None,
) -> Problem:
    """销号: the enterprise confirms the problem is solved. Refused while the case is still being handled."""
    problem = (
        Problem.objects.select_for_update(of=("self",))
        .select_related("enterprise", "case")
        .get(pk=problem.pk)
    )
    if problem.closed_at is not None:
        raise IllegalTransition(_("该问题已销号"))
    by = _confirmer(problem, actor, contact, evidence, note)
    if satisfaction not in (Satisfaction.SATISFIED, Satisfaction.BASIC):
        raise ValidationError({"satisfaction": _("确认解决时请选择“满意”或“基本满意”")})
    case = problem.case
    assert case is not None  # a problem is filed as a case when it is raised
    if case.status not in DONE_STATES:
        raise IllegalTransition(_("问题尚未办结（当前：%(s)s），不能销号") % {"s": Status(case.status).label})
    if case.status == Status.RESOLVED:  # the enterprise's word is the case's 回访 by its reporter
        case_actions.do_follow_up(
            case,
            actor=actor,
            by_reporter=True,
            resolved=True,
            satisfaction=satisfaction,
            comment=note or _("企业确认已解决"),
        )
    problem.closed_at = clock.now()
    problem.confirmed_by = by
    problem.confirmed_contact = contact
    problem.confirmed_user = actor
    problem.confirmation_note = (note or "").strip()
    fields = ["closed_at", "confirmed_by", "confirmed_contact", "confirmed_user", "confirmation_note"]
    if evidence:
        problem.evidence = evidence
        fields.append("evidence")
    problem.save(update_fields=[*fields, "updated_at"])
    return problem


@transaction.atomic
def do_decline_close(
    problem: Problem,
    *,
    actor: User | None = None,
    contact: Contact | None = None,
    reason: str,
    evidence: UploadedFile[bytes] | None = None,
) -> Problem:
    """The enterprise says the problem is not solved: the case goes back to its handler (重办) on a fresh clock."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请说明尚未解决的情况")})
    problem = (
        Problem.objects.select_for_update(of=("self",))
        .select_related("enterprise", "case")
        .get(pk=problem.pk)
    )
    if problem.closed_at is not None:
        raise IllegalTransition(_("该问题已销号"))
    if contact is not None:
        _confirmer(problem, actor, contact, evidence, reason)
    elif actor is None:
        raise PermissionDenied(_("须由企业确认"))
    elif problem.enterprise.cadre_id != actor.pk and not actor.has_cap(
        Cap.ENTERPRISE_MANAGE, problem.enterprise.node
    ):
        raise PermissionDenied(_("只有包靠干部或企业服务人员可以代为记录企业意见"))
    case = problem.case
    assert case is not None  # a problem is filed as a case when it is raised
    if case.status != Status.RESOLVED:
        raise IllegalTransition(_("问题办结后、销号前才能反馈未解决"))
    case_actions.do_follow_up(
        case,
        actor=actor,
        by_reporter=True,
        resolved=False,
        satisfaction=Satisfaction.UNSATISFIED,
        comment=reason,
    )
    return problem
