"""The problem ledger (台账): the 街道's list and export, visits with their problems, 销号 recorded by the cadre."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minsheng.accounts.choices import Cap
from minsheng.cases.deadlines import state_of
from minsheng.core import clock
from minsheng.core.badges import badge_class
from minsheng.core.pagination import paginate
from minsheng.core.permissions import require_cap
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required

from .. import actions, queries
from ..choices import LEDGER_COLOURS, LedgerState, RaisedVia
from ..filtersets import ProblemFilter
from ..forms import ConfirmForm, ProblemForm, VisitForm
from ..models import Enterprise, Visit
from ._common import run


@staff_required
def ledger(request):
    require_cap(request.user, Cap.ENTERPRISE_VIEW)
    base = queries.problems(request.user)
    filterset = ProblemFilter(request.GET, queryset=base)
    page_obj = paginate(request, filterset.qs.order_by("-pk"), per_page=40)
    now = clock.now()
    for p in page_obj:
        p.state = actions.ledger_state(p)
        p.state_badge = badge_class(LEDGER_COLOURS, p.state)
        p.clock = state_of(p.case, now)
    counts = {
        state: ProblemFilter({"state": state}, queryset=base).qs.count() for state in LedgerState.values
    }
    return render(
        request,
        "enterprise/ledger/list.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "counts": counts,
            "states": LedgerState,
            "current": request.GET.get("state", ""),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def visit_new(request, pk):
    enterprise = get_visible_or_404(Enterprise, request.user, Cap.ENTERPRISE_MANAGE, pk=pk)
    form = VisitForm(request.POST or None, initial={"visited_on": clock.today()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            visit, status = run(
                request, form, actions.do_record_visit, enterprise, actor=request.user, **form.cleaned_data
            )
            if visit is not None:
                messages.success(request, _("已记录走访，请登记带走的问题"))
                return redirect(f"{reverse('enterprise:problem_new', args=[pk])}?visit={visit.pk}")
        else:
            status = 400
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "title": _("组团式服务走访：%(e)s") % {"e": enterprise.name},
            "back": reverse("enterprise:detail", args=[pk]),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def problem_new(request, pk):
    enterprise = get_visible_or_404(Enterprise, request.user, Cap.ENTERPRISE_MANAGE, pk=pk)
    visit = None
    visit_id = request.GET.get("visit") or request.POST.get("visit")
    if visit_id and str(visit_id).isdigit():
        visit = Visit.objects.visible_to(request.user).filter(pk=visit_id, enterprise=enterprise).first()
    form = ProblemForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            problem, status = run(
                request,
                form,
                actions.do_raise_problem,
                enterprise,
                actor=request.user,
                raised_via=RaisedVia.VISIT if visit else RaisedVia.CADRE,
                visit=visit,
                **form.cleaned_data,
            )
            if problem is not None:
                messages.success(request, _("已登记问题 %(n)s") % {"n": problem.case.number})
                if "another" in request.POST:
                    return redirect(request.get_full_path())
                return redirect("enterprise:detail", pk)
        else:
            status = 400
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "title": _("登记企业问题：%(e)s") % {"e": enterprise.name},
            "back": reverse("enterprise:detail", args=[pk]),
            "visit": visit,
            "another": True,
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def problem_confirm(request, pk):
    """The 包靠 cadre records the enterprise's verdict, with the signed confirmation as evidence."""
    problem = get_visible_or_404(queries.problems(request.user), request.user, Cap.ENTERPRISE_VIEW, pk=pk)
    form = ConfirmForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if data["solved"]:
                done, status = run(
                    request,
                    form,
                    actions.do_confirm_close,
                    problem,
                    actor=request.user,
                    satisfaction=data["satisfaction"] or "satisfied",
                    note=data["note"],
                    evidence=data["evidence"],
                )
            else:
                done, status = run(
                    request, form, actions.do_decline_close, problem, actor=request.user, reason=data["note"]
                )
            if done is not None:
                messages.success(request, _("已销号") if data["solved"] else _("已退回重办"))
                return redirect("enterprise:detail", problem.enterprise_id)
        else:
            status = 400
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "title": _("记录企业确认：%(n)s") % {"n": problem.case.number},
            "back": reverse("enterprise:detail", args=[problem.enterprise_id]),
            "multipart": True,
            "problem": problem,
        },
        status=status,
    )
