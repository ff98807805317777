"""The enterprise registry: list, page, form, contacts, xlsx import and export; the home page with the figures."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from minsheng.accounts.choices import Cap
from minsheng.core import audit, clock, metrics
from minsheng.core.badges import badge_class
from minsheng.core.masking import mask_phone
from minsheng.core.models import AuditLog
from minsheng.core.pagination import paginate
from minsheng.core.permissions import require_cap
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required

from .. import actions, queries
from ..choices import LEDGER_COLOURS, LedgerState
from ..filtersets import EnterpriseFilter
from ..forms import ContactForm, EnterpriseForm
from ..metrics import METRICS
from ..models import Contact, Enterprise
from ._common import run, year_period

FIGURE_GROUPS = [
    (
        gettext_lazy("招商引资"),
        [
            "signed_total",
            "signed_projects",
            "performance_rate",
            "start_rate",
            "funds_rate",
            "conversion",
            "avg_days_in_stage",
        ],
    ),
    (gettext_lazy("问题台账"), ["problems_raised", "problems_closed", "close_rate", "on_time_rate"]),
    (
        gettext_lazy("活动与政策"),
        [
            "trainings",
            "matchmaking_events",
            "matchmaking_enterprises",
            "intent_amount",
            "credit_amount",
            "loan_amount",
            "policy_events",
            "policy_deliveries",
            "plans_reviewed",
        ],
    ),
]


def figures(user, start, end) -> list[dict]:
    scope = metrics.Scope(viewer=user, start=start, end=end)
    by_code = {m.code: m for m in METRICS}
    groups = []
    for label, codes in FIGURE_GROUPS:
        items = []
        for code in codes:
            metric = by_code[f"enterprise.{code}"]
            value = metrics.as_number(metric.compute(scope))
            yi = value / 10000 if metric.unit == metrics.Unit.WAN_YUAN and value and value >= 10000 else None
            items.append({"metric": metric, "value": value, "code": code, "yi": yi})
        groups.append({"label": label, "items": items})
    return groups


@staff_required
def home(request):
    require_cap(request.user, Cap.ENTERPRISE_VIEW)
    start, end, year = year_period(request)
    counts = queries.stage_counts(request.user)
    return render(
        request,
        "enterprise/home.html",
        {
            "groups": figures(request.user, start, end),
            "year": year,
            "years": list(range(end.year if year is None else clock.today().year, 2019, -1))[:6],
            "start": start,
            "end": end,
            "stage_counts": counts,
            "enterprise_count": Enterprise.objects.visible_to(request.user).count(),
            "open_problems": queries.problems(request.user)
            .filter(closed_at__isnull=True)
            .exclude(case__status__in=["rejected", "merged"])
            .count(),
        },
    )


@staff_required
def enterprise_list(request):
    require_cap(request.user, Cap.ENTERPRISE_VIEW)
    qs = queries.enterprises(request.user).annotate(
        open_problems=Count("problems", filter=Q(problems__closed_at__isnull=True), distinct=True),
        project_count=Count("projects", distinct=True),
    )
    filterset = EnterpriseFilter(request.GET, queryset=qs)
    return render(
        request,
        "enterprise/registry/list.html",
        {
            "filter": filterset,
            "page_obj": paginate(request, filterset.qs.order_by("name", "pk"), per_page=30),
            "can_manage": request.user.has_cap(Cap.ENTERPRISE_MANAGE),
        },
    )


@staff_required
def enterprise_detail(request, pk):
    enterprise = get_visible_or_404(
        queries.enterprises(request.user), request.user, Cap.ENTERPRISE_VIEW, pk=pk
    )
    user = request.user
    can_manage = user.has_cap(Cap.ENTERPRISE_MANAGE, enterprise.node)
    reveal = request.GET.get("reveal") == "1" and user.has_cap(Cap.ORG_VIEW_PII, enterprise.node)
    contacts = list(enterprise.contacts.all())
    for c in contacts:
        c.shown_phone = c.phone if reveal else mask_phone(c.phone)
    if reveal and contacts:
        audit.record(AuditLog.Action.VIEW_PII, enterprise, note=_("查看企业联系人电话"))
    problems = list(enterprise.problems.select_related("case", "case__lead_unit", "visit").order_by("-pk"))
    for p in problems:
        p.state = actions.ledger_state(p)
        p.state_badge = badge_class(LEDGER_COLOURS, p.state)
    projects = list(enterprise.projects.select_related("owner").order_by("-pk"))
    plans = list(enterprise.plans.prefetch_related("needs", "actions__owner"))
    delivered = {d.policy_id: d for d in enterprise.policy_deliveries.select_related("policy")}
    matched = [
        {"policy": p, "delivery": delivered.get(p.pk)} for p in queries.matching_policies(enterprise, user)
    ]
    return render(
        request,
        "enterprise/registry/detail.html",
        {
            "e": enterprise,
            "contacts": contacts,
            "reveal": reveal,
            "can_reveal": user.has_cap(Cap.ORG_VIEW_PII, enterprise.node),
            "problems": problems,
            "open_count": sum(1 for p in problems if p.state in (LedgerState.OPEN, LedgerState.AWAITING)),
            "projects": projects,
            "visits": enterprise.visits.prefetch_related("units", "members")[:20],
            "events": enterprise.events.order_by("-held_on")[:20],
            "outcomes": enterprise.match_outcomes.select_related("bank", "event"),
            "plans": plans,
            "matched": matched,
            "deliveries": list(delivered.values()),
            "can_manage": can_manage,
            "contact_form": ContactForm(),
        },
    )


def _edit(request, enterprise=None):
    user = request.user
    require_cap(user, Cap.ENTERPRISE_MANAGE, enterprise.node if enterprise else None)
    initial = {}
    if enterprise is not None:
        initial = {
            f: getattr(enterprise, f)
            for f in (
                "credit_code",
                "name",
                "industry",
                "size",
                "address",
                "legal_rep",
                "founded_on",
                "employees",
                "note",
                "node",
                "cadre",
            )
        }
        initial["tags"] = list(enterprise.tags.all())
    form = EnterpriseForm(request.POST or None, user=user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            if enterprise is None:
                saved, status = run(request, form, actions.create_enterprise, actor=user, **data)
            else:
                saved, status = run(request, form, actions.update_enterprise, enterprise, actor=user, **data)
            if saved is not None:
                messages.success(request, _("已保存“%(name)s”") % {"name": saved.name})
                return redirect("enterprise:detail", saved.pk)
        else:
            status = 400
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "title": _("编辑企业") if enterprise else _("登记企业"),
            "back": reverse("enterprise:list"),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    return _edit(request)


@staff_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk):
    enterprise = get_visible_or_404(Enterprise, request.user, Cap.ENTERPRISE_MANAGE, pk=pk)
    return _edit(request, enterprise)


@staff_required
@require_POST
def contact_add(request, pk):
    enterprise = get_visible_or_404(Enterprise, request.user, Cap.ENTERPRISE_MANAGE, pk=pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        contact, _status = run(
            request, form, actions.add_contact, enterprise, actor=request.user, **form.cleaned_data
        )
        if contact is not None:
            messages.success(request, _("已添加联系人"))
            return redirect("enterprise:detail", pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("enterprise:detail", pk)


@staff_required
@require_POST
def contact_remove(request, pk):
    contact = get_visible_or_404(Contact, request.user, Cap.ENTERPRISE_MANAGE, pk=pk)
    enterprise_id = contact.enterprise_id
    actions.remove_contact(contact, actor=request.user)
    messages.success(request, _("已删除联系人"))
    return redirect("enterprise:detail", enterprise_id)
