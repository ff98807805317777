"""一企一策: a plan per startup or small enterprise — its needs, the actions with owners and dates, their progress —
reviewed by the 小微企业工作委员会 before it is carried out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.errors import IllegalTransition
from minsheng.core.permissions import require_cap

from ..choices import NeedKind, PlanStatus
from ..models import Enterprise, Plan, PlanAction, PlanNeed
from ._base import notify

if TYPE_CHECKING:
    from minsheng.accounts.models import User


@transaction.atomic
def do_create_plan(
    enterprise: Enterprise,
    *,
    actor: User | None,
    year: int,
    summary: str,
    needs: Iterable[tuple[str, str]] = (),
    actions: Iterable[Mapping[str, Any]] = (),
) -> Plan:
    """`needs` are (kind, description); `actions` are dicts with title, owner, due and optionally need (an index)."""
    require_cap(actor, Cap.ENTERPRISE_MANAGE, enterprise.node)
    errors: dict[str, str | list[str]] = {}
    if not (summary or "").strip():
        errors["summary"] = _("请填写企业现状")
    if not needs:
        errors["needs"] = _("请至少填写一项企业需求")
    elif any(kind not in NeedKind.values or not (text or "").strip() for kind, text in needs):
        errors["needs"] = _("每项需求须选择类型并填写描述")
    if Plan.objects.filter(enterprise=enterprise, year=year).exists():
        errors["year"] = _("该企业本年度已有一企一策方案")
    if errors:
        raise ValidationError(errors)
    plan = Plan.objects.create(enterprise=enterprise, year=year, summary=summary.strip(), drafted_by=actor)
    made = [PlanNeed.objects.create(plan=plan, kind=kind, description=text.strip()) for kind, text in needs]
    for item in actions:
        need = item.get("need")
        do_add_action(
            plan,
            actor=actor,
            title=item["title"],
            owner=item["owner"],
            due=item["due"],
            need=made[need] if isinstance(need, int) else need,
        )
    return plan


@transaction.atomic
def do_add_action(
    plan: Plan, *, actor: User | None, title: str, owner: User, due: dt.date, need: PlanNeed | None = None
) -> PlanAction:
    require_cap(actor, Cap.ENTERPRISE_MANAGE, plan.enterprise.node)
    errors: dict[str, str | list[str]] = {}
    if not (title or "").strip():
        errors["title"] = _("请填写帮扶措施")
    if owner is None:
        errors["owner"] = _("请指定责任人")
    if due is None:
        errors["due"] = _("请填写完成时限")
    if need is not None and need.plan_id != plan.pk:
        errors["need"] = _("需求不属于该方案")
    if errors:
        raise ValidationError(errors)
    if plan.status == PlanStatus.DONE:
        raise IllegalTransition(_("方案已完成，不能再添加措施"))
    action = PlanAction.objects.create(plan=plan, title=title.strip()[:200], owner=owner, due=due, need=need)
    if owner != actor:
        transaction.on_commit(
            lambda: notify(
                [owner],
                title=_("一企一策帮扶任务：%(e)s") % {"e": plan.enterprise.name},
                body=action.title,
                link=f"/enterprise/plans/{plan.pk}/",
            )
        )
    return action


@transaction.atomic
def do_update_progress(
    action: PlanAction, *, actor: User | None, progress: int, note: str = ""
) -> PlanAction:
    """The owner (or enterprise services) reports progress; 100 % marks the action done today."""
    action = (
        PlanAction.objects.select_for_update(of=("self",))
        .select_related("plan__enterprise__node")
        .get(pk=action.pk)
    )
    if (
        actor is not None
        and action.owner_id != actor.pk
        and not actor.has_cap(Cap.ENTERPRISE_MANAGE, action.plan.enterprise.node)
    ):
        raise PermissionDenied(_("只有责任人或企业服务人员可以填报进展"))
    if action.plan.status not in (PlanStatus.REVIEWED,):
        raise IllegalTransition(_("方案经小微企业工作委员会审议通过后才能推进措施"))
    if progress is None or not 0 <= int(progress) <= 100:
        raise ValidationError({"progress": _("进度应为0至100")})
    action.progress = int(progress)
    action.progress_note = (note or "").strip()
    action.done_on = clock.today() if action.progress == 100 else None
    action.save(update_fields=["progress", "progress_note", "done_on", "updated_at"])
    return action


@transaction.atomic
def do_review_plan(plan: Plan, *, actor: User | None, approve: bool, opinion: str) -> Plan:
    """小微企业工作委员会 审议: approved → carried out; returned → redrafted and reviewed again."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("enterprise__node").get(pk=plan.pk)
    require_cap(actor, Cap.ENTERPRISE_SUPERVISE, plan.enterprise.node)
    if not (opinion or "").strip():
        raise ValidationError({"opinion": _("请填写委员会意见")})
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise IllegalTransition(_("方案当前状态为“%(s)s”，不能审议") % {"s": PlanStatus(plan.status).label})
    if approve and not plan.actions.exists():
        raise IllegalTransition(_("方案还没有帮扶措施，不能审议通过"))
    plan.status = PlanStatus.REVIEWED if approve else PlanStatus.RETURNED
    plan.reviewed_at = clock.now()
    plan.reviewed_by = actor
    plan.review_opinion = opinion.strip()
    plan.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_opinion", "updated_at"])
    return plan


@transaction.atomic
def do_resubmit_plan(plan: Plan, *, actor: User | None, summary: str) -> Plan:
    plan = Plan.objects.select_for_update(of=("self",)).select_related("enterprise__node").get(pk=plan.pk)
    require_cap(actor, Cap.ENTERPRISE_MANAGE, plan.enterprise.node)
    if plan.status != PlanStatus.RETURNED:
        raise IllegalTransition(_("只有退回修改的方案可以重新提交"))
    if not (summary or "").strip():
        raise ValidationError({"summary": _("请填写企业现状")})
    plan.summary = summary.strip()
    plan.status = PlanStatus.DRAFT
    plan.save(update_fields=["summary", "status", "updated_at"])
    return plan


@transaction.atomic
def do_complete_plan(plan: Plan, *, actor: User | None) -> Plan:
    plan = Plan.objects.select_for_update(of=("self",)).select_related("enterprise__node").get(pk=plan.pk)
    require_cap(actor, Cap.ENTERPRISE_MANAGE, plan.enterprise.node)
    if plan.status != PlanStatus.REVIEWED:
        raise IllegalTransition(_("方案审议通过后才能完成"))
    if plan.actions.filter(done_on__isnull=True).exists():
        raise IllegalTransition(_("还有未完成的帮扶措施"))
    plan.status = PlanStatus.DONE
    plan.save(update_fields=["status", "updated_at"])
    return plan
