"""双报到: units and in-service party members report to a community; needs, resources and projects; the annual
evaluation, whose figures come from the records and whose grade is the community's word."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.errors import IllegalTransition

from ..choices import EventStatus, Grade, NeedStatus, ProjectStatus, RecordStatus, ReportStatus
from ..models import (
    CheckIn,
    DualMember,
    DualUnit,
    Evaluation,
    Event,
    NeedItem,
    Project,
    ResourceItem,
    ServiceRecord,
)
from ._common import require

if TYPE_CHECKING:
    from models import Volunteer

    from minsheng.accounts.models import User
    from minsheng.org.models import Node


def _required(errors: dict[str, str], **values: str) -> None:
    for field, value in values.items():
        if not (value or "").strip():
            errors[field] = _("必填")


@transaction.atomic
def do_report_unit(
    *,
    actor: User | None,
    node: Node,
    name: str,
    contact_name: str,
    reported_on: dt.date,
    kind: str = "organ",
    party_org_name: str = "",
    contact_phone: str = "",
    agreement_no: str = "",
    agreement_signed_on: dt.date | None = None,
    agreement_text: str = "",
    resources: Iterable[str] = (),
) -> DualUnit:
    """报到单: the unit, its party organisation, a contact, the 共建协议 and the resources it offers."""
    require(actor, Cap.ACTIVITIES_MANAGE, node)
    errors: dict[str, str] = {}
    _required(errors, name=name, contact_name=contact_name)
    if reported_on is None:
        errors["reported_on"] = _("请填写报到日期")
    if name and DualUnit.objects.filter(node=node, name=name.strip()).exists():
        errors["name"] = _("该单位已向本社区报到")
    if errors:
        raise ValidationError(errors)
    unit = DualUnit.objects.create(
        node=node,
        name=name.strip()[:100],
        kind=kind,
        party_org_name=party_org_name[:100],
        contact_name=contact_name.strip()[:50],
        contact_phone=contact_phone[:20],
        agreement_no=agreement_no[:50],
        agreement_signed_on=agreement_signed_on,
        agreement_text=agreement_text,
        reported_on=reported_on,
    )
    for title in resources:
        if (title or "").strip():
            ResourceItem.objects.create(unit=unit, title=title.strip()[:100])
    return unit


@transaction.atomic
def do_report_member(
    *,
    actor: User | None,
    node: Node,
    name: str,
    reported_on: dt.date,
    phone: str = "",
    unit: DualUnit | None = None,
    work_unit_name: str = "",
    volunteer: Volunteer | None = None,
) -> DualMember:
    """An in-service party member reports to their residential community (and usually serves as a volunteer)."""
    require(actor, Cap.ACTIVITIES_MANAGE, node)
    errors: dict[str, str] = {}
    _required(errors, name=name)
    if reported_on is None:
        errors["reported_on"] = _("请填写报到日期")
    if errors:
        raise ValidationError(errors)
    return DualMember.objects.create(
        node=node,
        name=name.strip()[:50],
        phone=phone[:20],
        unit=unit,
        work_unit_name=(work_unit_name or (unit.name if unit else ""))[:100],
        volunteer=volunteer,
        reported_on=reported_on,
    )


@transaction.atomic
def do_end_report(obj: DualUnit | DualMember, *, actor: User | None) -> object:
    require(actor, Cap.ACTIVITIES_MANAGE, obj.node)
    if obj.status != ReportStatus.ACTIVE:
        raise IllegalTransition(_("已退出"))
    obj.status = ReportStatus.ENDED
    obj.save(update_fields=["status", "updated_at"])
    return obj


@transaction.atomic
def do_add_resource(unit: DualUnit, *, actor: User | None, title: str, description: str = "") -> ResourceItem:
    require(actor, Cap.ACTIVITIES_MANAGE, unit.node)
    if not (title or "").strip():
        raise ValidationError({"title": _("必填")})
    return ResourceItem.objects.create(unit=unit, title=title.strip()[:100], description=description)


@transaction.atomic
def do_add_need(*, actor: User | None, node: Node, title: str, description: str = "") -> NeedItem:
    require(actor, Cap.ACTIVITIES_MANAGE, node)
    if not (title or "").strip():
        raise ValidationError({"title": _("必填")})
    return NeedItem.objects.create(node=node, title=title.strip()[:100], description=description)


@transaction.atomic
def do_claim_need(need: NeedItem, *, actor: User | None, unit: DualUnit) -> NeedItem:
    need = NeedItem.objects.select_for_update().get(pk=need.pk)
    require(actor, Cap.ACTIVITIES_MANAGE, need.node)
    if need.status != NeedStatus.OPEN:
        raise IllegalTransition(_("该需求已被认领"))
    if not unit.node.path.startswith(need.node.path) and not need.node.path.startswith(unit.node.path):
        raise ValidationError({"unit": _("认领单位须向本社区报到")})
    need.status = NeedStatus.CLAIMED
    need.claimed_by = unit
    need.save(update_fields=["status", "claimed_by", "updated_at"])
    return need


@transaction.atomic
def do_finish_need(need: NeedItem, *, actor: User | None) -> NeedItem:
    need = NeedItem.objects.select_for_update().get(pk=need.pk)
    require(actor, Cap.ACTIVITIES_MANAGE, need.node)
    if need.status == NeedStatus.DONE:
        raise IllegalTransition(_("该需求已完成"))
    need.status = NeedStatus.DONE
    need.save(update_fields=["status", "updated_at"])
    return need


@transaction.atomic
def do_create_project(
    *,
    actor: User | None,
    node: Node,
    title: str,
    units: Iterable[DualUnit] = (),
    need: NeedItem | None = None,
    description: str = "",
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
) -> Project:
    require(actor, Cap.ACTIVITIES_MANAGE, node)
    if not (title or "").strip():
        raise ValidationError({"title": _("必填")})
    if start_on and end_on and end_on < start_on:
        raise ValidationError({"end_on": _("结束日期不能早于开始日期")})
    project = Project.objects.create(
        node=node,
        title=title.strip()[:100],
        description=description,
        need=need,
        start_on=start_on,
        end_on=end_on,
        status=ProjectStatus.ONGOING if start_on and start_on <= clock.today() else ProjectStatus.PLANNED,
    )
    project.units.set(units)
    return project


@transaction.atomic
def do_set_project_status(project: Project, *, actor: User | None, status: str) -> Project:
    require(actor, Cap.ACTIVITIES_MANAGE, project.node)
    if status not in ProjectStatus.values:
        raise ValidationError({"status": _("状态无效")})
    project.status = status
    project.save(update_fields=["status", "updated_at"])
    if status == ProjectStatus.DONE and project.need_id:
        NeedItem.objects.filter(pk=project.need_id).update(status=NeedStatus.DONE)
    return project


# -- the annual evaluation ------------------------------------------------------------------------------------


def unit_figures(unit: DualUnit, year: int) -> dict[str, int | Decimal]:
    records = ServiceRecord.objects.filter(unit=unit, status=RecordStatus.CONFIRMED, served_on__year=year)
    agg = records.aggregate(n=Count("pk"), h=Sum("hours"))
    events = Event.objects.filter(unit=unit, start__year=year).exclude(status=EventStatus.CANCELLED).count()
    projects = unit.projects.filter(Q(start_on__year__lte=year) | Q(start_on__isnull=True)).exclude(
        end_on__year__lt=year
    )
    return {
        "events_organised": events,
        "participations": agg["n"] or 0,
        "hours": agg["h"] or Decimal(0),
        "projects": projects.count(),
    }


def member_figures(member: DualMember, year: int) -> dict[str, int | Decimal]:
    if member.volunteer_id is None:
        return {"events_organised": 0, "participations": 0, "hours": Decimal(0), "projects": 0}
    records = ServiceRecord.objects.filter(
        volunteer_id=member.volunteer_id, status=RecordStatus.CONFIRMED, served_on__year=year
    )
    agg = records.aggregate(n=Count("pk"), h=Sum("hours"))
    checkins = 0
    volunteer = member.volunteer
    if volunteer is not None and volunteer.user_id:
        checkins = CheckIn.objects.filter(
            person_key=f"u:{volunteer.user_id}", checked_in_at__year=year
        ).count()
    return {
        "events_organised": 0,
        "participations": (agg["n"] or 0) + checkins,
        "hours": agg["h"] or Decimal(0),
        "projects": 0,
    }


@transaction.atomic
def do_evaluate_year(node: Node, year: int, *, actor: User | None) -> list[Evaluation]:
    """Compute (or recompute) the year's figures for every active unit and member reported to the communities under
    `node`. A grade already given is kept; it is the community's word, given with do_grade."""
    require(actor, Cap.ACTIVITIES_MANAGE, node)
    rows = []
    for unit in DualUnit.objects.filter(node__path__startswith=node.path, status=ReportStatus.ACTIVE):
        evaluation, _created = Evaluation.objects.update_or_create(
            year=year, unit=unit, defaults={"node": unit.node, **unit_figures(unit, year)}
        )
        rows.append(evaluation)
    for member in DualMember.objects.filter(
        node__path__startswith=node.path, status=ReportStatus.ACTIVE
    ).select_related("volunteer"):
        evaluation, _created = Evaluation.objects.update_or_create(
            year=year, member=member, defaults={"node": member.node, **member_figures(member, year)}
        )
        rows.append(evaluation)
    return rows


def suggested_grade(evaluation: Evaluation) -> str:
    """A starting point for the community's grade (decision 0037): by participations and hours in the year."""
    hours = evaluation.hours or 0
    n = evaluation.participations + evaluation.events_organised
    if evaluation.unit_id:
        if n >= 12 and hours >= 100:
            return Grade.EXCELLENT
        if n >= 4:
            return Grade.GOOD
        return Grade.BASIC if n >= 1 else Grade.POOR
    if n >= 6 and hours >= 20:
        return Grade.EXCELLENT
    if n >= 2:
        return Grade.GOOD
    return Grade.BASIC if n >= 1 else Grade.POOR


@transaction.atomic
def do_grade(evaluation: Evaluation, *, actor: User | None, grade: str, comment: str = "") -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    require(actor, Cap.ACTIVITIES_MANAGE, evaluation.node)
    if grade not in Grade.values:
        raise ValidationError({"grade": _("请选择等次")})
    evaluation.grade = grade
    evaluation.comment = (comment or "")[:300]
    evaluation.evaluated_by = actor
    evaluation.evaluated_at = clock.now()
    evaluation.save(update_fields=["grade", "comment", "evaluated_by", "evaluated_at", "updated_at"])
    return evaluation
