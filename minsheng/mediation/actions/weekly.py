"""一周一排查、一周一上报: each community and village reports the disputes it found (or an explicit zero report);
the early warning (未诉先办) proposes people whose appeals keep coming back."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.cases.models import Case
from minsheng.core.calendar import TZ
from minsheng.core.errors import IllegalTransition
from minsheng.core.permissions import require_cap
from minsheng.org.choices import NodeKind

from .. import conf
from ..choices import DisputeType, ItemSource, RiskGrade
from ..models import ScreeningItem, WeeklyReport
from .common import clean_text, now

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.cases.models import Case
    from minsheng.org.models import Node

    from ..models import Dispute


REPORTING_KINDS = (NodeKind.COMMUNITY, NodeKind.VILLAGE)


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def this_week() -> dt.date:
    return week_of(timezone.localtime(now(), TZ).date())


@transaction.atomic
def do_submit_weekly(
    *, actor: User, node: Node, week: dt.date, items: list[dict[str, Any]], zero: bool = False, note: str = ""
) -> WeeklyReport:
    errors: dict[str, Any] = {}
    if node is None or node.kind not in REPORTING_KINDS:
        errors["node"] = _("每周排查由社区或村上报")
    if week is None:
        errors["week"] = _("请选择周次")
    else:
        week = week_of(week)
        if week > this_week():
            errors["week"] = _("不能上报未来的周次")
    items = list(items or [])
    if zero and items:
        errors["items"] = _("零报告不能同时填写排查事项")
    if not zero and not items:
        errors["items"] = _("请填写排查发现的矛盾纠纷，或勾选零报告")
    cleaned: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        summary = clean_text(item.get("summary"), 300)
        if not summary:
            errors[f"items.{i}.summary"] = _("请填写简要情况")
        if item.get("type") not in DisputeType.values:
            errors[f"items.{i}.type"] = _("请选择纠纷类型")
        risk = item.get("risk") or RiskGrade.LOW
        if risk not in RiskGrade.values:
            errors[f"items.{i}.risk"] = _("请选择风险等级")
        people = item.get("people") or 2
        if not isinstance(people, int) or not 1 <= people <= 10000:
            errors[f"items.{i}.people"] = _("涉及人数应为1至10000")
        cleaned.append(
            {
                "summary": summary,
                "type": item.get("type"),
                "risk": risk,
                "people": people,
                "node": item.get("node") or node,
                "resident": item.get("resident"),
            }
        )
    if errors:
        raise ValidationError(errors)
    require_cap(actor, Cap.MEDIATION_REPORT, node)
    for c in cleaned:
        if not c["node"].path.startswith(node.path):
            raise ValidationError({"items": _("排查事项的地点须在本社区/村内")})
    if WeeklyReport.objects.filter(node=node, week=week).exists():
        raise IllegalTransition(_("本周已上报"))
    try:
        with transaction.atomic():
            report = WeeklyReport.objects.create(
                node=node,
                week=week,
                is_zero=zero,
                note=clean_text(note, 2000),
                submitted_by=actor,
                submitted_at=now(),
            )
    except IntegrityError:
        raise IllegalTransition(_("本周已上报")) from None
    for c in cleaned:
        ScreeningItem.objects.create(report=report, week=week, source=ItemSource.SCREENING, **c)
    return report


def propose_early_warnings(week: dt.date | None = None) -> int:
    """未诉先办: a person whose appeal was reopened or rated unsatisfied in the window, or who filed N appeals in M
    days, becomes a screening item for the week. Idempotent: one proposal per person per week."""
    week = week_of(week) if week else this_week()
    days = conf.get("early_warning_days")
    since = dt.datetime.combine(week, dt.time(0), tzinfo=TZ) - dt.timedelta(days=days)
    until = dt.datetime.combine(week + dt.timedelta(days=7), dt.time(0), tzinfo=TZ)
    appeals = Case.objects.filter(kind__code="appeal", reported_at__gte=since, reported_at__lt=until).exclude(
        reporter_phone=""
    )
    frequent = (
        appeals.values("reporter_phone")
        .annotate(
            n=Count("pk"),
            back=Count("pk", filter=Q(reopen_count__gt=0) | Q(redo_count__gt=0)),
            last=Max("pk"),
        )
        .filter(Q(n__gte=conf.get("early_warning_appeals")) | Q(back__gt=0))
    )
    created = 0
    for row in frequent:
        case = Case.objects.select_related("node").get(pk=row["last"])
        reasons = []
        if row["n"] >= conf.get("early_warning_appeals"):
            reasons.append(_("%(d)d日内反映%(n)d次") % {"d": days, "n": row["n"]})
        if row["back"]:
            reasons.append(_("诉求被重新打开或回访不满意"))
        summary = _("未诉先办预警：%(name)s（%(r)s），最近诉求：%(t)s") % {
            "name": case.reporter_name or _("匿名"),
            "r": "；".join(str(r) for r in reasons),
            "t": case.title,
        }
        _item, made = ScreeningItem.objects.get_or_create(
            person_key=f"p:{row['reporter_phone']}"[:40],
            week=week,
            source=ItemSource.EARLY_WARNING,
            defaults={
                "node": case.node,
                "type": DisputeType.OTHER,
                "risk": RiskGrade.MEDIUM,
                "summary": summary[:300],
                "people": 1,
            },
        )
        created += made
    return created


@transaction.atomic
def do_take_up_item(item: ScreeningItem, *, actor: User | None, **dispute_details: Any) -> Dispute:
    """化解: the item becomes a dispute under mediation (主动调解)."""
    from .disputes import do_open_dispute

    item = ScreeningItem.objects.select_for_update().get(pk=item.pk)
    if item.dispute_id or item.resolved_on_site:
        raise IllegalTransition(_("该排查事项已处理"))
    dispute_details.setdefault("type", item.type)
    dispute_details.setdefault("source", "initiative")
    dispute_details.setdefault("facts", item.summary)
    dispute_details.setdefault("people", item.people)
    dispute = do_open_dispute(actor=actor, node=item.node, **dispute_details)
    item.dispute = dispute
    item.save(update_fields=["dispute", "updated_at"])
    return dispute


@transaction.atomic
def do_resolve_item(item: ScreeningItem, *, actor: User | None) -> ScreeningItem:
    """化解 on the spot by the community or village (no mediation case needed)."""
    item = ScreeningItem.objects.select_for_update().get(pk=item.pk)
    require_cap(actor, Cap.MEDIATION_REPORT, item.node)
    if item.dispute_id or item.resolved_on_site:
        raise IllegalTransition(_("该排查事项已处理"))
    item.resolved_on_site = True
    item.save(update_fields=["resolved_on_site", "updated_at"])
    return item
