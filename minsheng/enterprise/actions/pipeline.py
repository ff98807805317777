"""The investment pipeline (招商引资): a project moves one stage at a time from 线索 to 运营, or is lost.

Every move writes a ProjectEvent and restarts the stage clock (StageLimit, in working days on the core calendar).
签约额 follows the counting rules fixed when a signing is recorded: only the first signing counts in full, a later
增资 or 升格 counts its increment, a re-signed or formal contract counts nothing, a change of investor is a new
signing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.calendar import WorkCalendar
from minsheng.core.errors import IllegalTransition
from minsheng.core.permissions import require_cap

from ..choices import LOSABLE, PIPELINE, SIGNED_OR_LATER, Ageing, Milestone, SigningKind, Stage
from ..models import FundsRecord, MilestoneRecord, Project, ProjectEvent, Signing, StageLimit, Trip
from ._base import notify

if TYPE_CHECKING:
    from models import Enterprise, Industry

    from minsheng.accounts.models import User
    from minsheng.org.models import Node


ZERO = Decimal("0")


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update(of=("self",)).select_related("node", "owner").get(pk=project.pk)


def _event(
    project: Project,
    verb: str,
    actor: User | None,
    *,
    from_stage: str = "",
    note: str = "",
    days: int | None = None,
    **extra: Any,
) -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project,
        created_at=clock.now(),
        verb=verb,
        actor=actor,
        from_stage=from_stage,
        to_stage=project.stage,
        days_in_stage=days,
        note=note or "",
        extra={k: (str(v) if isinstance(v, Decimal | dt.date) else v) for k, v in extra.items()},
    )


def _link(project: Project) -> str:
    return f"/enterprise/projects/{project.pk}/"


def limits() -> dict[str, StageLimit]:
    return {row.stage: row for row in StageLimit.objects.all()}


def _start_clock(project: Project, now: dt.datetime) -> None:
    """The new stage's deadline and its yellow mark, on the working-day calendar; no limit → no clock."""
    project.stage_entered_at = now
    project.is_supervised = False
    project.supervised_at = None
    limit = limits().get(project.stage)
    if limit is None:
        project.stage_due = project.stage_warn_at = None
        return
    cal = WorkCalendar()
    project.stage_due = cal.add_working_days(now, limit.working_days)
    total = cal.working_hours_between(now, project.stage_due)
    project.stage_warn_at = cal.add_working_hours(now, total * limit.warn_percent / 100)


def ageing(project: Project, now: dt.datetime | None = None) -> str:
    """Green / yellow / red for the days in the current stage (none for lost, operating, or no limit)."""
    now = now or clock.now()
    if project.stage_due is None or project.stage not in LOSABLE:
        return Ageing.NONE
    if now > project.stage_due:
        return Ageing.RED
    if project.stage_warn_at and now >= project.stage_warn_at:
        return Ageing.YELLOW
    return Ageing.GREEN


def days_in_stage(project: Project, now: dt.datetime | None = None) -> int:
    """Working days since the project entered its stage (the figure on the board's cards)."""
    now = now or clock.now()
    cal = WorkCalendar()
    per_day = sum(
        (dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a)).seconds / 3600
        for a, b in cal.periods
    )
    return int(cal.working_hours_between(project.stage_entered_at, now) // per_day)


def _next_number(now: dt.datetime) -> str:
    year = timezone.localdate(now).year
    prefix = f"ZS{year}"
    last = (
        Project.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
    )
    n = int(last[0][len(prefix) :]) + 1 if last else 1
    return f"{prefix}{n:04d}"


def _default_owner(node: Node) -> User | None:
    """Who answers a lead submitted by someone outside enterprise services: the 企业服务专员 over its node."""
    from minsheng.accounts.choices import Role
    from minsheng.accounts.models import Membership

    paths = [node.path[: i * node.steplen] for i in range(node.depth, 0, -1)]
    membership = (
        Membership.objects.filter(role=Role.ENTERPRISE_OFFICER, node__path__in=paths, user__is_active=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=clock.today()))
        .select_related("user")
        .order_by("-node__depth", "pk")
        .first()
    )
    return membership.user if membership else None


def _amount(value: Decimal | int | float | str | None, field: str, *, positive: bool = True) -> Decimal:
    try:
        number = Decimal(str(value))
    except Exception:
        raise ValidationError({field: _("请填写金额（万元）")}) from None
    if not number.is_finite() or number < 0 or (positive and number == 0):
        raise ValidationError({field: _("金额应大于0") if positive else _("金额不能为负数")})
    if number >= Decimal("1e10"):
        raise ValidationError({field: _("金额过大，请以万元为单位填写")})
    return number.quantize(Decimal("0.01"))


# -- leads and stages --------------------------------------------------------------------------------------------


@transaction.atomic
def do_submit_lead(
    *,
    actor: User | None,
    name: str,
    investor: str,
    industry: Industry,
    node: Node,
    planned_amount: Decimal | int | float | str,
    description: str = "",
    source_note: str = "",
    owner: User | None = None,
    enterprise: Enterprise | None = None,
) -> Project:
    """全员线索收集: any staff member submits a lead and is credited with it; a named owner answers it."""
    if actor is not None and not getattr(actor, "is_staff_member", False):
        raise PermissionDenied(_("只有工作人员可以提交招商线索"))
    errors: dict[str, str | list[str]] = {}
    if not (name or "").strip():
        errors["name"] = _("请填写项目名称")
    if not (investor or "").strip():
        errors["investor"] = _("请填写投资方")
    if industry is None:
        errors["industry"] = _("请选择行业门类")
    if node is None:
        errors["node"] = _("请选择拟落地区域")
    try:
        planned = _amount(planned_amount, "planned_amount")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if owner is None:
        owner = (
            actor
            if actor is not None and actor.has_cap(Cap.ENTERPRISE_MANAGE, node)
            else _default_owner(node)
        )
    if owner is None:
        raise ValidationError({"owner": _("请指定线索负责人")})
    if not owner.has_cap(Cap.ENTERPRISE_MANAGE, node):
        raise ValidationError({"owner": _("负责人须为该区域的企业服务人员")})
    now = clock.now()
    project = Project(
        number=_next_number(now),
        name=name.strip()[:100],
        investor=investor.strip()[:100],
        industry=industry,
        node=node,
        planned_amount=planned,
        description=(description or "").strip(),
        source_note=(source_note or "").strip()[:200],
        owner=owner,
        submitted_by=actor or owner,
        enterprise=enterprise,
        stage=Stage.LEAD,
        submitted_at=now,
    )
    _start_clock(project, now)
    project.save()
    _event(project, "submit", actor, note=project.description[:200], planned=planned)
    if owner != actor:
        transaction.on_commit(
            lambda: notify(
                [owner],
                title=_("新招商线索 %(n)s") % {"n": project.number},
                body=project.name,
                link=_link(project),
            )
        )
    return project


@transaction.atomic
def do_advance(
    project: Project, *, actor: User | None, to: str, owner: User | None = None, note: str = ""
) -> Project:
    """Move to the next stage. Skipping is refused; 签约 happens by recording the first signing, 投产 needs 开工."""
    project = _locked(project)
    require_cap(actor, Cap.ENTERPRISE_MANAGE, project.node)
    if project.stage not in LOSABLE:
        raise IllegalTransition(_("项目当前阶段为“%(s)s”，不能再推进") % {"s": Stage(project.stage).label})
    expected = PIPELINE[PIPELINE.index(Stage(project.stage)) + 1]
    if to != expected:
        raise IllegalTransition(
            _("不能从“%(a)s”跳到“%(b)s”，下一阶段应为“%(c)s”")
            % {
                "a": Stage(project.stage).label,
                "b": Stage(to).label if to in Stage.values else to,
                "c": expected.label,
            }
        )
    if to == Stage.SIGNED:
        raise IllegalTransition(_("请登记首次签约（签约日期和金额），项目随之进入签约阶段"))
    if to == Stage.PRODUCTION and project.started_on is None:
        raise IllegalTransition(_("项目尚未开工，不能进入投产阶段"))
    old = project.stage
    now = clock.now()
    days = days_in_stage(project, now)
    project.stage = to
    today = timezone.localdate(now)
    if to == Stage.PRODUCTION:
        project.production_on = today
    if to == Stage.OPERATING:
        project.operating_on = today
    if owner is not None:
        if not owner.has_cap(Cap.ENTERPRISE_MANAGE, project.node):
            raise ValidationError({"owner": _("负责人须为该区域的企业服务人员")})
        project.owner = owner
    _start_clock(project, now)
    project.save()
    _event(project, "advance", actor, from_stage=old, note=note, days=days)
    if project.owner != actor:
        transaction.on_commit(
            lambda: notify(
                [project.owner],
                title=_("项目 %(n)s 进入%(s)s阶段") % {"n": project.number, "s": Stage(to).label},
                body=project.name,
                link=_link(project),
            )
        )
    return project


@transaction.atomic
def do_lose(project: Project, *, actor: User | None, reason: str) -> Project:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写流失原因")})
    project = _locked(project)
    require_cap(actor, Cap.ENTERPRISE_MANAGE, project.node)
    if project.stage not in LOSABLE:
        raise IllegalTransition(_("项目当前阶段为“%(s)s”，不能标记流失") % {"s": Stage(project.stage).label})
    old = project.stage
    days = days_in_stage(project)
    project.stage = Stage.LOST
    project.lost_from = old
    project.lost_reason = reason.strip()[:200]
    project.stage_entered_at = clock.now()
    project.stage_due = project.stage_warn_at = None
    project.is_supervised = False
    project.save()
    _event(project, "lose", actor, from_stage=old, note=project.lost_reason, days=days)
    return project


@transaction.atomic
def do_set_owner(project: Project, *, actor: User | None, owner: User | None, note: str = "") -> Project:
    project = _locked(project)
    require_cap(actor, Cap.ENTERPRISE_MANAGE, project.node)
    if owner is None or not owner.has_cap(Cap.ENTERPRISE_MANAGE, project.node):
        raise ValidationError({"owner": _("负责人须为该区域的企业服务人员")})
    previous = project.owner
    project.owner = owner
    project.save(update_fields=["owner", "updated_at"])
    _event(
        project, "owner", actor, from_stage=project.stage, note=note, previous=str(previous), owner=str(owner)
    )
    return project


@transaction.atomic
def do_link_enterprise(project: Project, *, actor: User | None, enterprise: Enterprise | None) -> Project:
    """The registered enterprise that carries the project (an existing one's expansion, or the new company set up
    to run it — tagged 新落地 when it is registered)."""
    project = _locked(project)
    require_cap(actor, Cap.ENTERPRISE_MANAGE, project.node)
    if enterprise is not None:
        require_cap(actor, Cap.ENTERPRISE_VIEW, enterprise.node)
    project.enterprise = enterprise
    project.save(update_fields=["enterprise", "updated_at"])
    _event(project, "enterprise", actor, from_stage=project.stage, note=str(enterprise or ""))
    return project


# -- signings, milestones, funds ---------------------------------------------------------------------------------


@transaction.atomic
def do_record_signing(
    project: Project,
    *,
    actor: User | None,
    kind: str,
    amount: Decimal | int | float | str,
    signed_on: dt.date,
    investor: str = "",
    note: str = "",
) -> Signing:
    """签约. The first signing moves a project in 洽谈 to 签约 and counts in full; later ones count per the rules."""
    amount = _amount(amount, "amount")
    if kind not in SigningKind.values:
        raise ValidationError({"kind": _("请选择签约类型")})
    if signed_on is None or signed_on > clock.today():
        raise ValidationError({"signed_on": _("签约日期不能晚于今天")})
    project = _locked(project)
    require_cap(actor, Cap.ENTERPRISE_MANAGE, project.node)
    first = not project.signings.exists()
    if first:
        if kind != SigningKind.FIRST:
            raise ValidationError({"kind": _("项目尚未签约，第一次签约应为“首次签约”")})
        if project.stage != Stage.TALKS:
            raise IllegalTransition(
                _("项目处于“%(s)s”阶段，须先进入洽谈阶段才能签约") % {"s": Stage(project.stage).label}
            )
        counted = amount
    else:
        if kind == SigningKind.FIRST:
            raise IllegalTransition(_("项目已首次签约，同一项目只按首次签约计一次"))
        if project.stage not in SIGNED_OR_LATER:
            raise IllegalTransition(_("项目已流失，不能再登记签约"))
        if kind == SigningKind.RESIGN:
            counted = ZERO
        elif kind == SigningKind.UPGRADE:
            counted = max(ZERO, amount - project.signed_amount)
        else:  # 增资 counts the increment it names; a new investor is a new signing
            counted = amount
    signing = Signing.objects.create(
        project=project,
        kind=kind,
        signed_on=signed_on,
        amount=amount,
        counted=counted,
        investor=(investor or "").strip()[:100],
        note=(note or "").strip()[:200],
        by=actor,
    )
    old = project.stage
    days = days_in_stage(project) if first else None
    project.signed_amount += counted
    if kind == SigningKind.NEW_INVESTOR and signing.investor:
        project.investor = signing.investor
    if first:
        project.first_signed_on = signed_on
        project.stage = Stage.SIGNED
        _start_clock(project, clock.now())
    project.save()
    _event(
        project,
        "sign",
        actor,
        from_stage=old,
        note=note,
        days=days,
        kind=kind,
        amount=amount,
        counted=counted,
    )
    return signing


_MILESTONE_FIELD: dict[str, str] = {
    Milestone.APPROVED: "approved_on",
    Milestone.LAND: "land_on",
    Milestone.STARTED: "started_on",
}


@transaction.atomic
def do_record_milestone(
    project: Project, *, actor: User | None, milestone: str, on: dt.date, note: str = ""
) -> MilestoneRecord:
    """落地推进 by the 专班: 立项, 供地, 开工 — each once, 开工 only after 立项."""
    if milestone not in Milestone.values:
        raise ValidationError({"milestone": _("请选择节点")})
    if on is None or on > clock.today():
        raise ValidationError({"on": _("日期不能晚于今天")})
    project = _locked(project)
    require_cap(actor, Cap.ENTERPRISE_MANAGE, project.node)
    if project.stage != Stage.LANDING:
        raise IllegalTransition(_("项目进入落地推进阶段后才能登记立项、供地、开工"))
    field = _MILESTONE_FIELD[milestone]
    if getattr(project, field) is not None:
        raise IllegalTransition(_("该节点已登记"))
    if milestone == Milestone.STARTED and project.approved_on is None:
        raise IllegalTransition(_("项目尚未立项，不能登记开工"))
    if project.first_signed_on and on < project.first_signed_on:
        raise ValidationError({"on": _("日期不能早于首次签约日期")})
    record = MilestoneRecord.objects.create(
        project=project, milestone=milestone, on=on, note=(note or "")[:200]
    )
    setattr(project, field, on)
    project.save(update_fields=[field, "updated_at"])
    _event(project, "milestone", actor, from_stage=project.stage, note=note, milestone=milestone, on=on)
    return record


@transaction.atomic
def do_record_funds(
    project: Project, *, actor: User | None, amount: Decimal | int | float | str, on: dt.date, note: str = ""
) -> FundsRecord:
    """资金到位: money actually in, counted toward 资金到位率 against the signed amount."""
    amount = _amount(amount, "amount")
    if on is None or on > clock.today():
        raise ValidationError({"on": _("日期不能晚于今天")})
    project = _locked(project)
    require_cap(actor, Cap.ENTERPRISE_MANAGE, project.node)
    if project.stage not in SIGNED_OR_LATER:
        raise IllegalTransition(_("项目签约后才能登记到位资金"))
    record = FundsRecord.objects.create(
        project=project, amount=amount, on=on, note=(note or "")[:200], by=actor
    )
    project.funds_in_place += amount
    project.save(update_fields=["funds_in_place", "updated_at"])
    _event(project, "funds", actor, from_stage=project.stage, note=note, amount=amount, on=on)
    return record


# -- accountability ------------------------------------------------------------------------------------------------


@transaction.atomic
def do_supervise(project: Project, *, actor: User | None, comment: str) -> Project:
    """督办 by a leader (or by the stage clock with actor=None when the stage runs over its limit)."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("请填写督办意见")})
    project = _locked(project)
    require_cap(actor, Cap.ENTERPRISE_SUPERVISE, project.node)
    if project.stage not in LOSABLE:
        raise IllegalTransition(_("该项目无需督办"))
    project.is_supervised = True
    project.supervised_at = clock.now()
    project.save(update_fields=["is_supervised", "supervised_at", "updated_at"])
    _event(project, "supervise", actor, from_stage=project.stage, note=comment)
    transaction.on_commit(
        lambda: notify(
            [project.owner],
            title=_("项目 %(n)s 被督办") % {"n": project.number},
            body=comment,
            link=_link(project),
            level="warning",
        )
    )
    return project


def run_stage_clock(now: dt.datetime | None = None) -> dict[str, int]:
    """Periodic: a project past its stage limit is put under 督办 once (idempotent until its stage changes)."""
    now = now or clock.now()
    count = 0
    due = Project.objects.filter(stage__in=LOSABLE, stage_due__lt=now, is_supervised=False)
    for pk in due.values_list("pk", flat=True):
        project = Project.objects.filter(pk=pk, is_supervised=False).first()
        if project is None:
            continue
        days = limits().get(project.stage)
        with clock.at(now):
            do_supervise(
                project,
                actor=None,
                comment=_("%(s)s阶段超过%(d)d个工作日时限，系统自动督办")
                % {"s": Stage(project.stage).label, "d": days.working_days if days else 0},
            )
            count += 1
    return {"supervised": count}


# -- trips -------------------------------------------------------------------------------------------------------


@transaction.atomic
def do_record_trip(
    *,
    actor: User | None,
    destination: str,
    start: dt.date,
    end: dt.date,
    leader: str = "",
    members: Iterable[User] = (),
    visited: str = "",
    outcome: str = "",
    projects: Iterable[Project] = (),
) -> Trip:
    """赴外招商: recorded by enterprise services; the leads it produced are linked to it."""
    require_cap(actor, Cap.ENTERPRISE_MANAGE)
    errors: dict[str, str | list[str]] = {}
    if not (destination or "").strip():
        errors["destination"] = _("请填写目的地")
    if start is None or end is None:
        errors["start"] = _("请填写起止日期")
    elif end < start:
        errors["end"] = _("返回日期不能早于出发日期")
    if errors:
        raise ValidationError(errors)
    trip = Trip.objects.create(
        destination=destination.strip()[:100],
        start=start,
        end=end,
        leader=(leader or "").strip()[:50],
        visited=visited or "",
        outcome=outcome or "",
        by=actor,
    )
    if members:
        trip.members.set(members)
    for project in projects:
        project.trips.add(trip)
    return trip
