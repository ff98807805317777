"""Pages that read many cases at once: the ledger export, recurring problems (未诉先办), the efficiency board (效能)
and the metrics. Figures come from cases.metrics and cases.efficiency — the definitions every page shares — over
`Case.objects.visible_to(user)`, so a community sees its own numbers and the 街道 sees them all.
"""

import datetime as dt
import tempfile

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.calendar import TZ
from minsheng.core.views import staff_required
from minsheng.org.levels import street_depth, top_depth
from minsheng.org.models import Grid, Node

from .. import duplicates, efficiency, metrics
from ..export import write_ledger
from ..forms.workbench import PeriodForm, months_back
from ..models import Case, Category
from .workbench import LISTS, filtered

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def percent(value) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f}%"


# -- ledger ----------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def export(request):
    """The list on screen (?list=… and its filters) as xlsx. Masked, unless a POST asks for 不脱敏 (never a link)."""
    user = request.user
    if not user.has_cap(Cap.ORG_EXPORT):
        raise PermissionDenied(_("没有导出台账的权限"))
    name = request.GET.get("list", "all")
    name = name if name in LISTS else "all"
    now = clock.now()
    _f, qs = filtered(request, name, now)
    unmasked = request.method == "POST" and request.POST.get("unmasked") == "1"
    if unmasked and not user.has_cap(Cap.ORG_VIEW_PII):
        raise PermissionDenied(_("没有导出完整个人信息的权限"))
    title = str(LISTS[name].label)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once it has been sent
    write_ledger(qs, out, user=user, now=now, unmasked=unmasked, title=title)
    out.seek(0)
    filename = _("诉求台账-%(list)s-%(date)s.xlsx") % {
        "list": title,
        "date": now.astimezone(TZ).strftime("%Y%m%d"),
    }
    response = FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)
    # The page waits with a running clock until this cookie says the file is on its way (workbench.js).
    token = (request.POST.get("token") or request.GET.get("token") or "")[:32]
    if token.isalnum():
        response.set_cookie("ledger_ready", token, max_age=120, samesite="Lax")
    return response


# -- recurring problems ----------------------------------------------------------------------------------------


class RecurringForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("统计天数"), min_value=7, max_value=730, initial=90, required=False
    )
    min_count = forms.IntegerField(
        label=gettext_lazy("至少出现（件）"), min_value=2, max_value=1000, initial=3, required=False
    )

    def values(self) -> tuple[int, int]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("days") or 90, data.get("min_count") or 3


def _area_from(user) -> int:
    """How many leading parts of a full name every row of this viewer shares: the levels down to his own node (a
    county's people see their 街道 named), and at most down to the 街道 (a 社区 worker still sees his 社区)."""
    return min(top_depth(user, Cap.CASES_VIEW, default=street_depth()), street_depth())


def _parents(node: Node, start: int) -> str:
    """A 小区's 社区/村 (and 街道, for a county's people), from its full name without the levels every row shares
    and without itself."""
    return " ".join(node.full_name.split(" ")[start:-1])


@staff_required
def recurring(request):
    """Places and 大类 that keep coming back: where to go before the next call (未诉先办)."""
    user = request.user
    form = RecurringForm(request.GET or None, label_suffix="")
    days, min_count = form.values()
    now = clock.now()
    since = now - dt.timedelta(days=days)
    visible = Case.objects.visible_to(user)
    codes = dict(Category.objects.filter(depth=1).values_list("path", "code"))
    after = since.astimezone(TZ).replace(microsecond=0).isoformat()

    def link(**params):
        return reverse("cases:all") + "?" + urlencode({**params, "reported_after": after})

    start = _area_from(user)
    by_grid = duplicates.recurring(visible, since=since, min_count=min_count, by="grid")
    grid_ids = {r["grid"] for r in by_grid}
    grids = {g.pk: g for g in Grid.objects.filter(pk__in=grid_ids).select_related("community")}
    grid_rows = [
        {
            "place": r["grid__name"],
            "area": grids[r["grid"]].community.name if r["grid"] in grids else "",
            "category": r["category_name"],
            "count": r["n"],
            "last": r["last"],
            "url": link(grid=r["grid"], category=codes.get(r["cat"], "")),
        }
        for r in by_grid
    ]
    by_estate = duplicates.recurring(visible, since=since, min_count=min_count, by="estate")
    estates = {n.path: n for n in Node.objects.filter(path__in={r["place"] for r in by_estate})}
    estate_rows = [
        {
            "place": estates[r["place"]].name if r["place"] in estates else "—",
            "area": _parents(estates[r["place"]], start) if r["place"] in estates else "",
            "category": r["category_name"],
            "count": r["n"],
            "last": r["last"],
            "url": link(under=estates[r["place"]].pk, category=codes.get(r["cat"], ""))
            if r["place"] in estates
            else "",
        }
        for r in by_estate
    ]
    return render(
        request,
        "cases/workbench/recurring.html",
        {
            "form": form,
            "days": days,
            "min_count": min_count,
            "grid_rows": grid_rows,
            "estate_rows": estate_rows,
            # two lists on one page, each paged on its own: a street's two years never make a 30,000 px page
            "grid_page": Paginator(grid_rows, RECURRING_PAGE).get_page(request.GET.get("gpage")),
            "estate_page": Paginator(estate_rows, RECURRING_PAGE).get_page(request.GET.get("epage")),
        },
    )


RECURRING_PAGE = 20


# -- efficiency ------------------------------------------------------------------------------------------------


def _board_rows(board) -> list[dict]:
    return [
        {
            "label": row.label,
            "card": row.card,
            "card_label": efficiency.Card(row.card).label if row.card else "",
            "reasons": row.reasons,
            "open": row.open,
            "due": row.metrics.due,
            "overdue": row.overdue,
            "on_time": percent(row.on_time_rate),
            "satisfaction": percent(row.satisfaction_rate),
            "returns": row.returns,
            "reworks": row.reworks,
        }
        for row in board
    ]


def _period_context(form: PeriodForm):
    start, end, node = form.period()
    return start, end, node, {"form": form, "start": start, "end": end, "node": node}


def _year_ago(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _quick_periods(request, today: dt.date) -> list[dict]:
    """Links for the usual periods, keeping the chosen area."""
    node = request.GET.get("node", "")
    first = today.replace(day=1)
    last_month_end = first - dt.timedelta(days=1)
    spans = [
        (_("本月"), first, today),
        (_("上月"), last_month_end.replace(day=1), last_month_end),
        (_("近三个月"), months_back(today, 2), today),
        (_("今年"), today.replace(month=1, day=1), today),
        # a year back to the day: never the same span as 今年 (which starts on 1 January)
        (_("近十二个月"), _year_ago(today) + dt.timedelta(days=1), today),
    ]
    return [
        {"label": label, "query": urlencode({"start": a.isoformat(), "end": b.isoformat(), "node": node})}
        for label, a, b in spans
    ]


@staff_required
def efficiency_board(request):
    """效能: units and handlers with their yellow and red cards, for a period and an area."""
    user = request.user
    form = PeriodForm(request.GET or None, user=user)
    start, end, node, context = _period_context(form)
    now = clock.now()
    qs = metrics.filter_cases(Case.objects.visible_to(user), start=start, end=end, node=node)
    units = _board_rows(efficiency.board(qs, by="lead_unit", now=now))
    handlers = _board_rows(efficiency.board(qs, by="handler", now=now))
    rules = efficiency.card_rules()
    context.update(
        {
            "units": units,
            "handlers": handlers,
            "tally": {
                "red": sum(r["card"] == efficiency.Card.RED for r in units + handlers),
                "yellow": sum(r["card"] == efficiency.Card.YELLOW for r in units + handlers),
            },
            "rules": {
                **{k: int(v) for k, v in rules.items() if not k.endswith("_rate")},
                "red_on_time_rate": percent(rules["red_on_time_rate"]),
                **{f"{k}_text": percent(v) for k, v in rules.items() if k.endswith("_rate")},
            },
            "quick": _quick_periods(request, now.astimezone(TZ).date()),
        }
    )
    return render(request, "cases/workbench/efficiency.html", context)


# -- metrics ---------------------------------------------------------------------------------------------------

#: The breakdowns the metrics page offers, in its tab order.
BREAKDOWNS = ("lead_unit", "category", "channel", "grid", "street", "org", "month", "handler", "kind")
#: Columns of the breakdown table (a subset of metrics.DEFINITIONS, to fit on a screen).
TABLE_FIGURES = (
    "accepted",
    "resolved",
    "completion_rate",
    "on_time_rate",
    "first_time_rate",
    "satisfaction_rate",
    "overdue",
    "returns",
    "reworks",
)
#: The headline figures, in order.
HEADLINE = (
    "reported",
    "accepted",
    "resolved",
    "open",
    "overdue_open",
    "completion_rate",
    "on_time_rate",
    "first_time_rate",
    "satisfaction_rate",
    "resolution_rate",
    "response_rate",
    "rework_rate",
    "extension_rate",
    "handling_hours",
    "handling_working_hours",
)


class MetricsForm(PeriodForm):
    default_months = 11
    by = forms.ChoiceField(
        label=gettext_lazy("分组"),
        choices=[(k, metrics.DIMENSIONS[k]) for k in BREAKDOWNS],
        required=False,
    )


DEFINITION_BY_KEY = {d.key: d for d in metrics.DEFINITIONS}


def _figure(m: metrics.Metrics, key: str) -> str:
    definition = DEFINITION_BY_KEY[key]
    value = getattr(m, key)
    if definition.rate:
        return percent(value)
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _sees_several_streets(user) -> bool:
    """A county's (or city's) user compares the 街道 below; a 街道's user has only his own."""
    from minsheng.org.choices import NodeKind
    from minsheng.org.models import Node

    return Node.objects.visible_to(user, "cases.view").filter(kind=NodeKind.STREET)[:2].count() > 1


def _chart_value(m: metrics.Metrics, key: str):
    value = getattr(m, key)
    if value is None:
        return None
    return round(float(value) * 100, 1) if DEFINITION_BY_KEY[key].rate else value


@staff_required
def metrics_page(request):
    user = request.user
    form = MetricsForm(request.GET or None, user=user)
    start, end, node, context = _period_context(form)
    by = (form.cleaned_data.get("by") if form.is_bound and form.is_valid() else "") or "lead_unit"
    now = clock.now()
    qs = metrics.filter_cases(Case.objects.visible_to(user), start=start, end=end, node=node)
    total = metrics.summary(qs, now=now, working_hours=True)
    rows = metrics.breakdown(qs, by=by, now=now)
    months = rows if by == "month" else metrics.breakdown(qs, by="month", now=now)
    context.update(
        {
            "by": by,
            "tabs": [
                {"key": k, "label": metrics.DIMENSIONS[k], "query": _with(request, by=k)}
                for k in BREAKDOWNS
                if k != "street" or _sees_several_streets(user)
            ],
            "headline": [
                {
                    "label": DEFINITION_BY_KEY[k].label,
                    "formula": DEFINITION_BY_KEY[k].formula,
                    "value": _figure(total, k),
                }
                for k in HEADLINE
            ],
            "columns": [DEFINITION_BY_KEY[k] for k in TABLE_FIGURES],
            "rows": [
                {"label": r.label, "values": [_figure(r.metrics, k) for k in TABLE_FIGURES]} for r in rows
            ],
            "chart": {
                "months": {
                    "labels": [r.label for r in months],
                    "accepted": [r.metrics.accepted for r in months],
                    "resolved": [r.metrics.resolved for r in months],
                    "on_time_rate": [_chart_value(r.metrics, "on_time_rate") for r in months],
                    "satisfaction_rate": [_chart_value(r.metrics, "satisfaction_rate") for r in months],
                },
                "groups": {
                    "title": str(metrics.DIMENSIONS[by]),
                    "labels": [r.label for r in rows[:15]],
                    "accepted": [r.metrics.accepted for r in rows[:15]],
                    "overdue": [r.metrics.overdue for r in rows[:15]],
                },
                "i18n": {
                    "accepted": _("受理量"),
                    "resolved": _("办结量"),
                    "on_time_rate": _("按期办结率"),
                    "satisfaction_rate": _("满意率"),
                    "overdue": _("超期"),
                    "count": _("件"),
                    "rate": _("比率"),
                },
            },
            "quick": _quick_periods(request, now.astimezone(TZ).date()),
        }
    )
    return render(request, "cases/workbench/metrics.html", context)


def _with(request, **params) -> str:
    query = request.GET.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()
