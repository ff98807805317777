"""The weekly cycle: submit the screening (or a zero report), who has not reported, the analysis, the 周报."""

import datetime as dt
import json

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.accounts.choices import Cap
from minsheng.core import metrics as registry
from minsheng.core.calendar import TZ
from minsheng.core.scoping import get_visible_or_404

from .. import actions, documents, forms, queries
from ..actions.weekly import this_week, week_of
from ..models import ScreeningItem, WeeklyReport
from .common import needs, run
from .disputes import DOCX, _file

PETITION_METRICS = {"mediation.first_petitions", "mediation.served_rate"}
#: The article's figures first (接待, 初信初访 and 结服率, 调解 and 一次性办结率), then the rest.
ORDER = [
    "mediation.reception_count",
    "mediation.first_petitions",
    "mediation.served_rate",
    "mediation.disputes_accepted",
    "mediation.one_time_rate",
    "mediation.settle_rate",
    "mediation.agreement_amount",
    "mediation.high_risk",
    "mediation.referrals_sent",
    "mediation.referrals_successful",
    "mediation.referrals_not_successful",
    "mediation.referrals_rejected",
    "mediation.referrals_revoked",
    "mediation.referrals_open",
]


def _week(request) -> dt.date:
    try:
        return week_of(dt.date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        return this_week()


@needs(Cap.MEDIATION_REPORT)
def weekly(request):
    user = request.user
    form = forms.WeeklyForm(request.POST or None, user=user, initial={"week": this_week()})
    items = forms.WeeklyItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        d = form.cleaned_data
        rows = [i for i in items.cleaned_data if i and (i.get("summary") or "").strip()]

        def step():
            actions.do_submit_weekly(
                actor=user,
                node=d["node"],
                week=d["week"],
                items=rows,
                zero=d.get("zero"),
                note=d.get("note") or "",
            )

        if run(request, form, step, _("本周排查已上报")):
            return redirect("mediation:weekly")
    mine = WeeklyReport.objects.visible_to(user, Cap.MEDIATION_REPORT).select_related("node", "submitted_by")[
        :20
    ]
    return render(request, "mediation/weekly/submit.html", {"form": form, "items": items, "mine": mine})


@needs(Cap.MEDIATION_VIEW)
def analysis(request):
    week = _week(request)
    data = queries.weekly_analysis(request.user, week)
    chart = {
        "weeks": [f"{t['week']:%m-%d}" for t in data["trend"]],
        "found": [t["found"] for t in data["trend"]],
        "accepted": [t["accepted"] for t in data["trend"]],
    }
    return render(
        request,
        "mediation/weekly/analysis.html",
        {
            "a": data,
            "chart": json.dumps(chart, ensure_ascii=False),
            "prev": week - dt.timedelta(days=7),
            "next": week + dt.timedelta(days=7) if week < this_week() else None,
            "can_mediate": request.user.has_cap(Cap.MEDIATION_MEDIATE),
        },
    )


@needs(Cap.MEDIATION_VIEW)
def weekly_docx(request):
    week = _week(request)
    data = queries.weekly_analysis(request.user, week)
    return _file(
        documents.weekly_docx(data), _("矛盾纠纷排查化解周报-%(w)s.docx") % {"w": week.isoformat()}, DOCX
    )


@require_POST
@needs(Cap.MEDIATION_MEDIATE)
def early_warning(request):
    week = _week(request)
    n = actions.propose_early_warnings(week)
    from django.contrib import messages

    messages.success(request, _("未诉先办预警：新增 %(n)d 条排查事项") % {"n": n})
    return redirect(f"/mediation/weekly/analysis/?week={week.isoformat()}")


@require_POST
@needs(Cap.MEDIATION_REPORT)
def item_resolve(request, pk):
    item = get_visible_or_404(ScreeningItem, request.user, Cap.MEDIATION_VIEW, pk=pk)
    run(request, None, lambda: actions.do_resolve_item(item, actor=request.user), _("已标记为就地化解"))
    return redirect(f"/mediation/weekly/analysis/?week={item.week.isoformat()}")


@needs(Cap.MEDIATION_VIEW)
def figures(request):
    period = forms.PeriodForm(request.GET or None)
    today = timezone.localtime(timezone.now(), TZ).date()
    start, end = today - dt.timedelta(days=364), today
    if period.is_valid():
        start = period.cleaned_data.get("start") or start
        end = period.cleaned_data.get("end") or end
    if start > end:
        start, end = end, start
    scope = registry.Scope(viewer=request.user, start=start, end=end)
    cards = []
    petitions_ok = request.user.has_cap(Cap.PETITION_VIEW)
    ranked = sorted(
        registry.all_metrics("mediation"),
        key=lambda m: ORDER.index(m.code) if m.code in ORDER else len(ORDER),
    )
    for m in ranked:
        if m.code in PETITION_METRICS and not petitions_ok:
            continue
        value = registry.as_number(m.compute(scope))
        cards.append({"m": m, "value": value, "unit": registry.Unit(m.unit).label})
    return render(
        request, "mediation/figures.html", {"cards": cards, "period": period, "start": start, "end": end}
    )
