"""Trainings, 政银企对接 and 送政策进企业 events with their participants and outcomes; the policy library."""

from django.contrib import messages
from django.db.models import Count, Sum
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

from .. import actions, queries
from ..choices import EventKind
from ..filtersets import EventFilter
from ..forms import DeliveryForm, EventForm, OutcomeForm, PolicyForm
from ..models import Enterprise, EnterpriseEvent, Policy
from ._common import run


@staff_required
def event_list(request):
    require_cap(request.user, Cap.ENTERPRISE_VIEW)
    base = EnterpriseEvent.objects.visible_to(request.user)
    filterset = EventFilter(request.GET, queryset=base.annotate(n=Count("enterprises", distinct=True)))
    counts = dict(base.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return render(
        request,
        "enterprise/events/list.html",
        {
            "filter": filterset,
            "page_obj": paginate(request, filterset.qs.order_by("-held_on", "-pk"), per_page=30),
            "kinds": [(k, k.label, counts.get(k, 0)) for k in EventKind],
            "total": sum(counts.values()),
            "current": request.GET.get("kind", ""),
            "can_manage": request.user.has_cap(Cap.ENTERPRISE_MANAGE),
            "policy_count": Policy.objects.visible_to(request.user).count(),
        },
    )


def _engine(event):
    """The activities engine's session of this event and its registration/check-in counts (decision 0033)."""
    from minsheng.activities import queries as event_queries

    sessions = list(event_queries.events_for_host(event))
    return [{"session": s, "figures": event_queries.event_figures(s)} for s in sessions]


def _event_context(request, event, outcome_form=None):
    outcomes = event.outcomes.select_related("enterprise", "bank")
    totals = outcomes.aggregate(i=Sum("intent_amount"), c=Sum("credit_amount"), loan=Sum("loan_amount"))
    return {
        "event": event,
        "enterprises": event.enterprises.select_related("industry"),
        "banks": event.banks.all(),
        "policies": event.policies.all(),
        "outcomes": outcomes,
        "totals": totals,
        "is_matchmaking": event.kind == EventKind.MATCHMAKING,
        "can_manage": request.user.has_cap(Cap.ENTERPRISE_MANAGE, event.node),
        "outcome_form": outcome_form or OutcomeForm(event=event),
        "problems": event.problems.select_related("case", "enterprise"),
        "sessions": _engine(event),
    }


@staff_required
def event_detail(request, pk):
    event = get_visible_or_404(EnterpriseEvent, request.user, Cap.ENTERPRISE_VIEW, pk=pk)
    return render(request, "enterprise/events/detail.html", _event_context(request, event))


@staff_required
@require_POST
def event_outcome(request, pk):
    event = get_visible_or_404(EnterpriseEvent, request.user, Cap.ENTERPRISE_VIEW, pk=pk)
    form = OutcomeForm(request.POST, event=event)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        data = {k: (v if v is not None else 0) for k, v in data.items()}
        done, status = run(request, form, actions.do_record_outcome, event, actor=request.user, **data)
        if done is not None:
            messages.success(request, _("已登记对接成果"))
            return redirect("enterprise:event", pk)
    return render(
        request, "enterprise/events/detail.html", _event_context(request, event, form), status=status
    )


@staff_required
@require_http_methods(["GET", "POST"])
def event_new(request):
    require_cap(request.user, Cap.ENTERPRISE_MANAGE)
    form = EventForm(request.POST or None, user=request.user, initial={"held_on": clock.today()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            event, status = run(
                request, form, actions.do_record_event, actor=request.user, **form.cleaned_data
            )
            if event is not None:
                messages.success(request, _("已记录活动"))
                return redirect("enterprise:event", event.pk)
        else:
            status = 400
    return render(
        request,
        "enterprise/form.html",
        {"form": form, "title": _("记录活动"), "back": reverse("enterprise:events")},
        status=status,
    )


@staff_required
def policy_list(request):
    require_cap(request.user, Cap.ENTERPRISE_VIEW)
    policies = (
        Policy.objects.visible_to(request.user)
        .prefetch_related("tags", "industries")
        .annotate(delivered=Count("deliveries", distinct=True))
    )
    return render(
        request,
        "enterprise/events/policies.html",
        {
            "page_obj": paginate(request, policies.order_by("-issued_on", "-pk"), per_page=30),
            "can_manage": request.user.has_cap(Cap.ENTERPRISE_MANAGE),
        },
    )


@staff_required
def policy_detail(request, pk, form=None, status=200):
    policy = get_visible_or_404(Policy, request.user, Cap.ENTERPRISE_VIEW, pk=pk)
    delivered = {d.enterprise_id: d for d in policy.deliveries.select_related("enterprise", "by")}
    matched = list(
        queries.matching_enterprises(policy, request.user).select_related("industry").order_by("name")
    )
    rows = [{"e": e, "delivery": delivered.get(e.pk)} for e in matched]
    return render(
        request,
        "enterprise/events/policy.html",
        {
            "policy": policy,
            "rows": rows,
            "pending": sum(1 for r in rows if r["delivery"] is None),
            "others": [d for eid, d in delivered.items() if eid not in {e.pk for e in matched}],
            "form": form or DeliveryForm(initial={"delivered_on": clock.today()}),
            "can_manage": request.user.has_cap(Cap.ENTERPRISE_MANAGE),
        },
        status=status,
    )


@staff_required
@require_POST
def policy_deliver(request, pk, enterprise_pk):
    policy = get_visible_or_404(Policy, request.user, Cap.ENTERPRISE_VIEW, pk=pk)
    enterprise = get_visible_or_404(Enterprise, request.user, Cap.ENTERPRISE_MANAGE, pk=enterprise_pk)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        done, status = run(
            request,
            form,
            actions.do_deliver_policy,
            policy,
            actor=request.user,
            enterprise=enterprise,
            **form.cleaned_data,
        )
        if done is not None:
            messages.success(request, _("已记录送达：%(e)s") % {"e": enterprise.name})
            return redirect("enterprise:policy", pk)
        return policy_detail(request, pk, form=form, status=status)
    return policy_detail(request, pk, form=form, status=400)


@staff_required
@require_http_methods(["GET", "POST"])
def policy_new(request):
    require_cap(request.user, Cap.ENTERPRISE_MANAGE)
    form = PolicyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            policy, status = run(
                request, form, actions.do_add_policy, actor=request.user, **form.cleaned_data
            )
            if policy is not None:
                messages.success(request, _("已加入政策库"))
                return redirect("enterprise:policy", policy.pk)
        else:
            status = 400
    return render(
        request,
        "enterprise/form.html",
        {"form": form, "title": _("新增政策"), "back": reverse("enterprise:policies")},
        status=status,
    )
