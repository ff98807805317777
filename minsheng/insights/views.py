"""The leaders' pages: the cockpit (and its big screen), every figure with its rows, the work report, the 效能 board.

Everything is read through the core registries; a domain merged later appears with no change here.
"""

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.core import metrics
from minsheng.core.metrics import MetricError, Scope
from minsheng.core.pagination import paginate
from minsheng.core.scoping import get_visible_or_404
from minsheng.org.models import Node

from . import article, periods, printing, queries


def batched(view):
    """Figures of one engine computed once per scope for the whole page (core.metrics.batch)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with metrics.batch():
            return view(*args, **kwargs)

    return wrapper


def _gate(request) -> None:
    if not request.user.has_cap(Cap.INSIGHTS_VIEW):
        raise PermissionDenied


def _node(request):
    pk = request.GET.get("node", "")
    if not pk.isdigit():
        return None
    return get_visible_or_404(Node.objects.visible_to(request.user, Cap.INSIGHTS_VIEW), pk=pk)


def _context(request, default="month"):
    period = periods.from_request(request.GET, default)
    node = _node(request)
    return (
        period,
        node,
        {
            "period": period,
            "node": node,
            "kinds": periods.KINDS,
            "nodes": Node.objects.visible_to(request.user, Cap.INSIGHTS_VIEW)
            .filter(depth__lte=queries.top_depth(request.user) + 1)
            .order_by("path"),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@batched
def cockpit(request, big=False):
    _gate(request)
    period, node, ctx = _context(request)
    ctx.update(
        headline=queries.headline(request.user, period, node),
        waiting=queries.waiting(request.user, period, node),
    )
    chosen, rows = queries.ranking(request.user, period, node)
    ctx.update(
        rank_metrics=chosen,
        ranking=rows,
        big=big,
        map_data=queries.map_data(request.user, period, node),
        map_tiles=getattr(settings, "MINSHENG_MAP_TILES", ""),
    )
    return render(request, "insights/cockpit/big.html" if big else "insights/cockpit/cockpit.html", ctx)


@login_required
def big_screen(request):
    return cockpit(request, big=True)


@login_required
def metric_list(request):
    _gate(request)
    return render(request, "insights/metrics/list.html", {"groups": queries.by_domain(metrics.all_metrics())})


@login_required
@batched
def metric_detail(request, code):
    _gate(request)
    try:
        metric = metrics.get(code)
    except MetricError:
        raise Http404 from None
    period, node, ctx = _context(request)
    fig = queries.figure(metric, request.user, period, node)
    trend = []
    p = period
    for _i in range(6):
        trend.append((p.label, metrics.as_number(metric.compute(Scope(request.user, p.start, p.end, node)))))
        p = p.previous()
    trend.reverse()
    page, rows = None, []
    if metric.rows is not None:
        page = paginate(request, metric.rows(Scope(request.user, period.start, period.end, node)))
        rows = [(str(obj), metric.row_url(obj) if metric.row_url else "") for obj in page.object_list]
    ctx.update(
        metric=metric,
        figure=fig,
        trend=trend,
        page=page,
        rows=rows,
        domain=queries.domain_label(metric.domain),
    )
    return render(request, "insights/metrics/detail.html", ctx)


def _report_rows(request, period, node):
    rows = []
    for label, printed, code in article.FIGURES:
        metric = metrics.get(code) if code in {m.code for m in metrics.all_metrics()} else None
        value = None
        if metric is not None:
            value = queries.display(
                metric, metric.compute(Scope(request.user, period.start, period.end, node))
            )
        rows.append({"label": label, "article": printed, "metric": metric, "value": value})
    return rows


@login_required
@batched
def report(request):
    _gate(request)
    period, node, ctx = _context(request, default="year")
    rows = _report_rows(request, period, node)
    fmt = request.GET.get("format")
    if fmt in ("docx", "pdf"):
        head, body = printing.report_table(rows)
        where = node.name if node else _("全街道")
        return _download(
            fmt, "report", _("工作成效报告"), f"{where}  {period.label}", head, body, str(article.SOURCE)
        )
    ctx.update(rows=rows, source=article.SOURCE, groups=queries.by_domain(metrics.all_metrics()))
    ctx["values"] = {
        m.code: queries.display(m, m.compute(Scope(request.user, period.start, period.end, node)))
        for m in metrics.all_metrics()
    }
    return render(request, "insights/report/report.html", ctx)


def _download(fmt: str, filename: str, title: str, subtitle: str, head, rows, note: str = "") -> HttpResponse:
    if fmt == "pdf":
        response = HttpResponse(
            printing.pdf(title, subtitle, head, rows, note), content_type="application/pdf"
        )
        filename += ".pdf"
    else:
        response = HttpResponse(printing.docx(title, subtitle, head, rows, note), content_type=printing.DOCX)
        filename += ".docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def efficiency(request):
    """Leaders see their subtree; anyone else sees their own record only."""
    period, node, ctx = _context(request)
    leader = request.user.has_cap(Cap.INSIGHTS_VIEW)
    registered, records = queries.board(
        request.user, period, node if leader else None, only_user=None if leader else request.user
    )
    fmt = request.GET.get("format")
    if fmt in ("docx", "pdf"):
        head, body = printing.efficiency_table(registered, records)
        return _download(fmt, "efficiency", _("效能通报"), period.label, head, body, _card_note())
    ctx.update(
        duties=registered,
        records=records,
        rules=queries.card_rules(),
        leader=leader,
        trend=queries.board_trend(request.user, period, node if leader else None),
    )
    return render(request, "insights/efficiency/board.html", ctx)


def _card_note() -> str:
    rules = queries.card_rules()
    return _("计分 = 各项未尽职责次数 × 权重之和；计分 ≥ %(y)s 黄牌，≥ %(r)s 红牌。") % {
        "y": rules["yellow"],
        "r": rules["red"],
    }
