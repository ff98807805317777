"""议事统计 (the registered figures for a period and subtree) and the ledger exports."""

import datetime as dt

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from minsheng.core import clock, metrics
from minsheng.core.calendar import TZ
from minsheng.core.spreadsheet import export_workbook
from minsheng.core.views.spreadsheets import xlsx_response as _xlsx_response
from minsheng.org.models import Node

from .. import queries
from ..choices import ParticipantRole
from ..spreadsheets import MeetingLedger, VisitLedger
from .meetings import VIEW, deliberation_required


def _period(request) -> tuple[dt.date, dt.date]:
    today = clock.now().astimezone(TZ).date()
    default_start = today.replace(month=1, day=1)
    try:
        start = (
            dt.date.fromisoformat(request.GET.get("start", "")) if request.GET.get("start") else default_start
        )
        end = dt.date.fromisoformat(request.GET.get("end", "")) if request.GET.get("end") else today
    except ValueError:
        start, end = default_start, today
    if start > end:
        start, end = end, start
    return start, end


@deliberation_required
@require_GET
def figures(request):
    user = request.user
    start, end = _period(request)
    nodes = Node.objects.visible_to(user, VIEW).filter(depth__lte=2).order_by("path")
    node = (
        nodes.filter(pk=request.GET.get("node") or 0).first()
        if request.GET.get("node", "").isdigit()
        else None
    )
    scope = metrics.Scope(viewer=user, start=start, end=end, node=node)
    figures = [
        {"metric": m, "value": metrics.as_number(m.compute(scope)), "unit": metrics.Unit(m.unit).label}
        for m in metrics.all_metrics("deliberation")
    ]
    order = [
        "deliberation.meetings_held",
        "deliberation.meetings_missed",
        "deliberation.attendance",
        "deliberation.items_raised",
        "deliberation.items_cases",
        "deliberation.items_solved",
        "deliberation.items_solved_rate",
        "deliberation.visit_coverage",
        "deliberation.linked_overdue",
    ]
    figures.sort(key=lambda f: order.index(f["metric"].code) if f["metric"].code in order else 99)
    from ..metrics import _meetings, items_rows

    held = queries.held_by_kind(_meetings(scope))
    roles = dict(ParticipantRole.choices)
    attendance = [
        (roles.get(r, r), n)
        for r, n in sorted(
            queries.attendance_by_role(_meetings(scope).filter(status="closed")).items(),
            key=lambda kv: -kv[1],
        )
    ]
    return render(
        request,
        "deliberation/reports/figures.html",
        {
            "figures": figures,
            "by_origin": queries.items_by_origin(items_rows(scope)),
            "held": held,
            "attendance": attendance,
            "start": start,
            "end": end,
            "nodes": nodes,
            "node": node,
        },
    )


@deliberation_required
@require_http_methods(["GET", "POST"])
def export_meetings(request):
    resource = MeetingLedger(request.user)
    return _xlsx_response(lambda out: export_workbook(resource, out), _("会议台账"))


@deliberation_required
@require_http_methods(["GET", "POST"])
def export_visits(request):
    resource = VisitLedger(request.user)
    unmasked = request.method == "POST" and request.POST.get("unmasked") == "1"
    return _xlsx_response(lambda out: export_workbook(resource, out, unmasked=unmasked), _("走访台账"))
