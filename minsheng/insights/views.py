"""The leaders' pages: the cockpit (and its big screen), every figure with its rows, the work report, the 效能 board.

Everything is read through the core registries; a domain merged later appears with no change here.
"""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from minsheng.accounts.choices import Cap
from minsheng.core import clock, metrics
from minsheng.core.errors import IllegalTransition
from minsheng.core.forms import apply_action_errors
from minsheng.core.metrics import MetricError, Scope
from minsheng.core.pagination import paginate
from minsheng.core.scoping import get_visible_or_404
from minsheng.org.models import Node

from . import actions, article, display, periods, printing, queries
from .forms import DisplayLinkForm
from .models import DisplayLink


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


def _cockpit_context(viewer, period, node, *, public: bool = False, wall: bool = False) -> dict:
    """The cockpit's figures. `wall` (the big screen of a command centre, read by whoever is in the room): what
    waits is counted, never listed, and the map's points are dots without titles (decision 0078). `public` (a
    display link's screen, nobody logged in): the same and no map at all (its points are cases and people's places).

    The ranking is computed before the headline: its one grouped query of the cases also gives the whole's summary
    (cases.metrics._by_org), so the headline's case figures need no query of their own."""
    wall = wall or public
    chosen, rows = queries.ranking(viewer, period, node)
    ctx = {
        "headline": queries.headline(viewer, period, node),
        "waiting": queries.waiting(viewer, period, node, limit=0 if wall else 5),
        "rank_metrics": chosen,
        "ranking": rows,
        "public": public,
    }
    if not public:
        ctx["map_data"] = queries.map_data(viewer, period, node, titled=not wall)
        ctx["map_tiles"] = getattr(settings, "MINSHENG_MAP_TILES", "")
    return ctx


@login_required
@batched
def cockpit(request, big=False):
    _gate(request)
    period, node, ctx = _context(request)
    ctx.update(_cockpit_context(request.user, period, node, wall=big), big=big)
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
        has_rows=metric.rows is not None,
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
    """Leaders see their subtree; anyone else — and a leader asking for ?mine=1 (the menu's 我的效能) — sees their
    own record only."""
    period, node, ctx = _context(request)
    leader = request.user.has_cap(Cap.INSIGHTS_VIEW) and request.GET.get("mine") != "1"
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


# -- the command centre's display links (decision 0057) --------------------------------------------------------


@login_required
def display_links(request):
    """Issue a link for a screen, list the links of the leader's subtree, revoke any of them."""
    _gate(request)
    bounds = display.limits()
    form = DisplayLinkForm(
        request.POST or None, user=request.user, max_days=bounds["max_days"], default_days=bounds["days"]
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                link = actions.do_issue_display_link(actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                apply_action_errors(form, exc)
            else:
                messages.success(request, _("已生成链接“%(l)s”，请在大屏浏览器中打开") % {"l": link.label})
                return redirect(f"{request.path}?new={link.pk}")
        status = 400
    now = clock.now()
    links = list(
        DisplayLink.objects.visible_to(request.user, Cap.INSIGHTS_VIEW)
        .select_related("node", "created_by", "revoked_by")
        .order_by("-created_at", "-pk")[:100]
    )
    for link in links:
        link.active = link.revoked_at is None and link.expires_at > now
        if link.active:
            link.url = request.build_absolute_uri(reverse("insights:display", args=[display.token(link)]))
    return render(
        request,
        "insights/display/links.html",
        {"form": form, "links": links, "new": request.GET.get("new", "")},
        status=status,
    )


@login_required
@require_POST
def display_revoke(request, pk):
    _gate(request)
    link = get_visible_or_404(DisplayLink, request.user, Cap.INSIGHTS_VIEW, pk=pk)
    try:
        actions.do_revoke_display_link(link, actor=request.user)
        messages.success(request, _("已撤销“%(l)s”，大屏将在下次刷新时停止显示") % {"l": link.label})
    except (IllegalTransition, PermissionDenied) as exc:
        messages.error(request, str(exc))
    return redirect("insights:display_links")


ENDED = {
    "invalid": (
        404,
        gettext_lazy("链接无效"),
        gettext_lazy("这个大屏链接无法识别。请向签发链接的领导索取新的链接。"),
    ),
    "revoked": (
        410,
        gettext_lazy("链接已撤销"),
        gettext_lazy("这个大屏链接已被撤销，大屏不再显示。如需继续显示，请重新签发链接。"),
    ),
    "expired": (
        410,
        gettext_lazy("链接已过期"),
        gettext_lazy("这个大屏链接已超过有效期。如需继续显示，请重新签发链接。"),
    ),
    "withdrawn": (
        410,
        gettext_lazy("链接已失效"),
        gettext_lazy("签发这个链接的账号已不再有该范围的驾驶舱权限，链接随之失效。请重新签发链接。"),
    ),
}


def _no_store(response):
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
@batched
def display_screen(request, token):
    """The big screen for a display link: no login, the issuer's view of the link's subtree, aggregate only."""
    found = display.resolve(token)
    if found.problem:
        status, title, text = ENDED[found.problem]
        page = render(request, "insights/display/ended.html", {"title": title, "text": text}, status=status)
        return _no_store(page)
    link = found.link
    period = periods.current(link.period)
    ctx = _cockpit_context(link.created_by, period, link.node, public=True)
    ctx.update(period=period, node=link.node, big=True, link=link, query="")
    DisplayLink.objects.filter(pk=link.pk).update(last_shown_at=clock.now(), shown=F("shown") + 1)
    return _no_store(render(request, "insights/cockpit/big.html", ctx))
