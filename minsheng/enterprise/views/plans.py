"""一企一策: the list, a plan's page (needs, actions with owners and dates, progress, the committee's review)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.pagination import paginate
from minsheng.core.permissions import require_cap
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required

from .. import actions
from ..choices import PlanStatus
from ..forms import PlanActionForm, PlanForm, ProgressForm, ReviewForm
from ..models import Enterprise, Plan, PlanAction
from ._common import run


@staff_required
def plan_list(request):
    require_cap(request.user, Cap.ENTERPRISE_VIEW)
    plans = (
        Plan.objects.visible_to(request.user)
        .select_related("enterprise")
        .prefetch_related("actions", "needs")
    )
    page_obj = paginate(request, plans, per_page=30)
    for plan in page_obj:
        acts = list(plan.actions.all())
        plan.done = sum(1 for a in acts if a.done_on)
        plan.total = len(acts)
    return render(request, "enterprise/plans/list.html", {"page_obj": page_obj})


def _context(request, plan, **forms):
    user = request.user
    return {
        "plan": plan,
        "needs": plan.needs.all(),
        "actions": plan.actions.select_related("owner", "need"),
        "today": clock.today(),
        "can_manage": user.has_cap(Cap.ENTERPRISE_MANAGE, plan.enterprise.node),
        "can_review": user.has_cap(Cap.ENTERPRISE_SUPERVISE, plan.enterprise.node)
        and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED),
        "is_reviewed": plan.status == PlanStatus.REVIEWED,
        "action_form": forms.get("action_form") or PlanActionForm(user=user),
        "review_form": forms.get("review_form") or ReviewForm(),
        "progress_form": ProgressForm(),
    }


@staff_required
def plan_detail(request, pk):
    plan = get_visible_or_404(
        Plan.objects.select_related("enterprise__node"), request.user, Cap.ENTERPRISE_VIEW, pk=pk
    )
    return render(request, "enterprise/plans/detail.html", _context(request, plan))


@staff_required
@require_http_methods(["GET", "POST"])
def plan_new(request, pk):
    enterprise = get_visible_or_404(Enterprise, request.user, Cap.ENTERPRISE_MANAGE, pk=pk)
    form = PlanForm(request.POST or None, initial={"year": clock.today().year})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            needs = [(kind, data["need_text"]) for kind in data["need_kinds"]]
            plan, status = run(
                request,
                form,
                actions.do_create_plan,
                enterprise,
                actor=request.user,
                year=data["year"],
                summary=data["summary"],
                needs=needs,
            )
            if plan is not None:
                messages.success(request, _("已制定方案，请添加帮扶措施后提交审议"))
                return redirect("enterprise:plan", plan.pk)
        else:
            status = 400
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "title": _("一企一策：%(e)s") % {"e": enterprise.name},
            "back": reverse("enterprise:detail", args=[pk]),
        },
        status=status,
    )


@staff_required
@require_POST
def plan_step(request, pk, verb):
    plan = get_visible_or_404(
        Plan.objects.select_related("enterprise__node"), request.user, Cap.ENTERPRISE_VIEW, pk=pk
    )
    user = request.user
    forms = {}
    status = 400
    if verb == "action":
        form = PlanActionForm(request.POST, user=user)
        forms["action_form"] = form
        if form.is_valid():
            done, status = run(request, form, actions.do_add_action, plan, actor=user, **form.cleaned_data)
            if done is not None:
                return redirect("enterprise:plan", pk)
    elif verb == "review":
        form = ReviewForm(request.POST)
        forms["review_form"] = form
        if form.is_valid():
            done, status = run(request, form, actions.do_review_plan, plan, actor=user, **form.cleaned_data)
            if done is not None:
                messages.success(request, _("已记录委员会审议意见"))
                return redirect("enterprise:plan", pk)
    elif verb == "complete":
        form = ReviewForm()
        done, status = run(request, form, actions.do_complete_plan, plan, actor=user)
        if done is not None:
            return redirect("enterprise:plan", pk)
        for error in form.non_field_errors():
            messages.error(request, error)
    plan.refresh_from_db()
    return render(request, "enterprise/plans/detail.html", _context(request, plan, **forms), status=status)


@staff_required
@require_POST
def plan_progress(request, pk):
    action = _visible_action(request, pk)
    form = ProgressForm(request.POST)
    if form.is_valid():
        _done, _status = run(
            request, form, actions.do_update_progress, action, actor=request.user, **form.cleaned_data
        )
        for error in form.non_field_errors():
            messages.error(request, error)
        for field in ("progress", "note"):
            for error in form.errors.get(field, []):
                messages.error(request, error)
    else:
        messages.error(request, _("进度应为0至100"))
    return redirect("enterprise:plan", action.plan_id)


def _visible_action(request, pk):
    """A plan's action through its plan's scope (actions have no node of their own)."""
    from django.http import Http404

    plans = Plan.objects.visible_to(request.user, Cap.ENTERPRISE_VIEW)
    action = PlanAction.objects.filter(plan__in=plans, pk=pk).select_related("plan__enterprise__node").first()
    if action is None:
        raise Http404
    return action
