"""The staff workbench's case lists: 待办, 已办, 我督办的, 超期 and 全部, with filters and bulk dispatch.

Every list starts from `Case.objects.visible_to(user)` and narrows it; 待办 adds, per capability, the states in
which the user is the one to act (see `todo_condition`). A page is one count and one row query whatever its size:
rows come with their related names in the same query, and the deadline colour is computed in Python from the
row itself (cases.deadlines.state_of), not per row in the database.
"""

from dataclasses import dataclass

import django_filters as df
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minsheng.accounts.choices import Cap
from minsheng.core import clock, navigation, parsing
from minsheng.core.badges import badge_class
from minsheng.core.errors import IllegalTransition
from minsheng.core.pagination import capped_count, paginate
from minsheng.core.views import staff_required
from minsheng.org.models import Node

from .. import actions, routing
from ..choices import (
    DEADLINE_COLOURS,
    OPEN_STATES,
    STATUS_COLOURS,
    Channel,
    DeadlineState,
    RequestStatus,
    Status,
    Urgency,
)
from ..deadlines import CLOCKS, governing, overdue_q, state_of, yellow_q
from ..filtersets import CaseFilter
from ..forms.selects import OneOfMany, QuickSelect
from ..forms.workbench import (
    category_filter_choices,
    grid_filter_choices,
    kind_filter_choices,
    unit_filter_choices,
)
from ..models import ApprovalRequest, Case, CaseEvent, Supervision, Unit, in_subtrees
from .list_rows import render_rows

S = Status
PAGE_SIZES = (20, 50, 100)
DISPATCHABLE = (S.ACCEPTED, S.RETURNED)


# -- which cases are whose -------------------------------------------------------------------------------------


def scope(user, capability: str) -> Q | None:
    """Cases located where the user holds `capability`; None when nowhere (an empty Q would mean everywhere)."""
    if user.is_superuser:
        return Q()
    paths = user.scope_paths(capability)
    if not paths:
        return None
    return in_subtrees(paths)


def todo_condition(user) -> Q:
    """The cases waiting for this user now, by what each of their roles does in the loop.

    受理 登记 cases and 派遣 已受理/已退单 ones where they hold those rights; 签收 what was dispatched to them (or to
    their unit, without a named handler) and 办理 what they signed for; 核查 待核查 cases; 回访 办结 ones; 审批 pending requests (as approver or as the
    lead unit's leader, the same people workflow.allowed lets decide).
    """
    parts = []

    def where(capability: str, **filters) -> None:
        place = scope(user, capability)
        if place is not None:
            parts.append(place & Q(**filters))

    where(Cap.CASES_ACCEPT, status=S.REGISTERED)
    where(Cap.CASES_DISPATCH, status__in=DISPATCHABLE)
    where(Cap.CASES_VERIFY, status=S.REPLIED)
    where(Cap.CASES_FOLLOWUP, status=S.RESOLVED)
    if user.has_cap(Cap.CASES_HANDLE):
        units = Unit.objects.filter(members=user).values("pk")
        # a case dispatched to a named person waits for that person, not for the whole unit
        parts.append(
            Q(status=S.DISPATCHED, lead_unit__in=units) & (Q(handler__isnull=True) | Q(handler=user))
        )
        parts.append(Q(status=S.HANDLING, handler=user))
    deciders = Q(lead_unit__leader=user)
    approve = scope(user, Cap.CASES_APPROVE)
    if approve is not None:
        deciders |= approve
    # The pending requests are few: as a list of ids the database finds their cases by key, where a sub-select
    # inside this OR would be checked against every case in 办理 (decision 0066).
    pending = list(
        ApprovalRequest.objects.filter(status=RequestStatus.PENDING).values_list("case_id", flat=True)[:5001]
    )
    if len(pending) > 5000:
        pending = ApprovalRequest.objects.filter(status=RequestStatus.PENDING).values("case_id")
    parts.append(Q(status=S.HANDLING, pk__in=pending) & deciders)
    condition = Q(pk__in=[])
    for part in parts:
        condition |= part
    return condition


def overdue_condition(now) -> Q:
    return overdue_q(now)


@dataclass(frozen=True)
class CaseList:
    name: str
    label: str
    empty: str


LISTS = {
    "todo": CaseList("todo", gettext_lazy("待办"), gettext_lazy("没有等您处理的案件。")),
    "done": CaseList("done", gettext_lazy("已办"), gettext_lazy("您还没有办理过案件。")),
    "supervised": CaseList("supervised", gettext_lazy("我督办的"), gettext_lazy("您没有督办或包案的案件。")),
    "overdue": CaseList("overdue", gettext_lazy("超期"), gettext_lazy("没有超期的案件。")),
    "all": CaseList("all", gettext_lazy("全部"), gettext_lazy("没有案件。")),
}


def list_queryset(name: str, user, now, *, visible=None, todo=None):
    """One of the lists, scoped and ordered (most urgent or most recent first), before the filters (`visible`
    and `todo`: the user's visible cases and todo_condition, when the caller has them already)."""
    qs = Case.objects.visible_to(user) if visible is None else visible
    if name == "todo":
        return qs.filter(todo_condition(user) if todo is None else todo).order_by(
            Coalesce("finish_due", "accept_due").asc(nulls_last=True), "pk"
        )
    if name == "done":
        mine = CaseEvent.objects.filter(case=OuterRef("pk"), actor=user).order_by("-created_at")
        return (
            qs.filter(pk__in=CaseEvent.objects.filter(actor=user).values("case_id"))
            .annotate(my_last=Subquery(mine.values("created_at")[:1]))
            .order_by("-my_last", "-pk")
        )
    if name == "supervised":
        supervised = Supervision.objects.filter(by=user).values("case_id")
        return qs.filter(Q(pk__in=supervised) | Q(is_key=True, key_leader=user)).order_by(
            "-reported_at", "-pk"
        )
    if name == "overdue":
        return qs.filter(overdue_condition(now)).order_by("finish_due", "pk")
    if name == "all":
        return qs.order_by("-reported_at", "-pk")
    raise Http404


# -- filters ---------------------------------------------------------------------------------------------------


class WorkbenchFilter(CaseFilter):
    """CaseFilter with the deadline colour, and widgets a person can use (selects instead of id boxes)."""

    deadline = df.ChoiceFilter(
        choices=[(s.value, s.label) for s in DeadlineState if s != DeadlineState.NONE],
        method="filter_deadline",
        label=gettext_lazy("期限"),
    )

    def __init__(self, data=None, queryset=None, *, user, now, **kwargs):
        # An empty select submits "status=": drop blanks, so they mean "any" rather than an invalid choice.
        if data is not None:
            data = data.copy()
            for key in list(data):
                values = [v for v in data.getlist(key) if v.strip()]
                if values:
                    data.setlist(key, values)
                else:
                    del data[key]
        super().__init__(data, queryset, **kwargs)
        self.now = now
        self.user = user
        fields = self.form.fields
        # The selects are drawn in Python (forms.selects) from cached choices (decision 0075).
        fields["status"].widget = OneOfMany(choices=[("", _("全部状态")), *Status.choices])
        fields["category"].widget = QuickSelect(choices=category_filter_choices())
        fields["grid"].widget = QuickSelect(choices=[("", _("全部网格")), *grid_filter_choices(user)])
        fields["unit"].widget = QuickSelect(choices=[("", _("全部主办单位")), *unit_filter_choices()])
        # django-filter puts "---------" first: say what empty means.
        fields["channel"].widget = QuickSelect(choices=[("", _("全部渠道")), *Channel.choices])
        fields["urgency"].widget = QuickSelect(choices=[("", _("全部")), *Urgency.choices])
        fields["deadline"].widget = QuickSelect(
            choices=[("", _("全部")), *self.filters["deadline"].extra["choices"]]
        )
        # The kind field keeps its queryset to check a submitted code; only what it offers comes from the cache.
        fields["kind"].widget = QuickSelect(choices=[("", _("全部类型")), *kind_filter_choices()])
        fields["q"].widget.attrs.update({"placeholder": _("编号、标题或拼音"), "type": "search"})

    def filter_deadline(self, qs, name, value):
        """Any running clock (受理, 签收, 办结 …) counts, the way the badges judge it (cases.deadlines)."""
        if value == DeadlineState.RED:
            return qs.filter(overdue_q(self.now))
        yellow = yellow_q(self.now, qs)
        if value == DeadlineState.YELLOW:
            return qs.filter(yellow)
        running = Q()
        for c in CLOCKS:
            running |= Q(status__in=c.statuses, **{f"{c.due_field}__isnull": False})
        return qs.filter(running).exclude(overdue_q(self.now)).exclude(yellow)

    def under_node(self):
        """The node of the 地点 filter, for the picker's label (only a node the user may see cases at)."""
        value = self.form.cleaned_data.get("under") if self.form.is_valid() else None
        return Node.objects.visible_to(self.user, Cap.CASES_VIEW).filter(pk=value).first() if value else None

    #: Filters behind 更多筛选 (the bar opens by itself when one of them is in use).
    MORE = ("category", "under", "grid", "channel", "kind", "urgency", "unit")

    @property
    def active(self) -> bool:
        return any(k not in ("page", "per_page", "list") for k in self.data)

    @property
    def more_active(self) -> bool:
        return any(k in self.MORE for k in self.data)


def filtered(request, name: str, now, *, visible=None, todo=None):
    """(the filter, the filtered queryset) of list `name` for this request (`visible`, `todo`: as list_queryset)."""
    user = request.user
    base = list_queryset(name, user, now, visible=visible, todo=todo)
    f = WorkbenchFilter(request.GET, queryset=base, user=user, now=now, request=request)
    return f, f.qs


# -- rows -------------------------------------------------------------------------------------------------------


def rows_of(cases, user, now) -> list[dict]:
    """What a list row shows, computed without further queries (the related rows came with the cases)."""
    rows = []
    for case in cases:
        state = state_of(case, now)
        run = governing(case, now)
        rows.append(
            {
                "case": case,
                "due": run.due if run else case.finish_due,
                "due_label": run.clock.label if run else "",
                "status_badge": badge_class(STATUS_COLOURS, case.status),
                "deadline": state,
                "deadline_label": DeadlineState(state).label,
                "deadline_badge": badge_class(DEADLINE_COLOURS, state, default=None),
                "dispatchable": case.status in DISPATCHABLE and user.has_cap(Cap.CASES_DISPATCH, case.node),
            }
        )
    return rows


def page_size(request) -> int:
    try:
        size = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


def export_url(request, name: str) -> str:
    """The ledger of the list on screen: the same list and filters."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("per_page", None)
    query["list"] = name
    return f"{reverse('cases:export')}?{query.urlencode()}"


#: What a list row reads of a case and its related rows (rows_of, list_rows.render_rows and the deadline clocks);
#: the rest — long texts, a place's outline, a grid's boundary — stays in the database. A field missing here would
#: be read one row at a time: tests/test_list_cost.py renders every list with cases in every state to catch it.
ROW_FIELDS = (
    "number",
    "title",
    "channel",
    "urgency",
    "status",
    "is_key",
    "is_supervised",
    "signed_at",
    "replied_at",
    "category__name",
    "category__path",
    "node__name",
    "node__path",
    "grid__name",
    "lead_unit__name",
    "handler__display_name",
    "handler__username",
)


def row_fields() -> tuple[str, ...]:
    """ROW_FIELDS and every field a registered deadline clock reads (its due, start and warning fields)."""
    clocks = {f for c in CLOCKS for f in (c.due_field, c.start_field, c.warn_field) if f}
    return (*ROW_FIELDS, *sorted(clocks))


@staff_required
def case_list(request, name: str):
    user = request.user
    now = clock.now()
    visible = Case.objects.visible_to(user)
    todo = todo_condition(user)  # the 待办 list and its tab's badge
    f, qs = filtered(request, name, now, visible=visible, todo=todo)
    qs = (
        qs.select_related("category", "node", "grid", "lead_unit", "handler")
        .only(*row_fields())
        .annotate(
            pending=Exists(ApprovalRequest.objects.filter(case=OuterRef("pk"), status=RequestStatus.PENDING))
        )
    )
    page = paginate(request, qs, per_page=page_size(request), capped=True)
    rows = rows_of(page, user, now)
    can_dispatch = any(r["dispatchable"] for r in rows)
    return render(
        request,
        "cases/workbench/list.html",
        {
            "list": LISTS[name],
            "lists": LISTS.values(),
            "filter": f,
            "under": f.under_node(),
            "page_obj": page,
            "rows": rows,
            "rows_html": render_rows(rows, can_dispatch=can_dispatch, list_name=name),
            "counts": {
                "todo": capped_count(visible.filter(todo)),
                "overdue": capped_count(visible.filter(overdue_condition(now))),
            },
            "can_create": user.has_cap(Cap.CASES_CREATE),
            "can_export": user.has_cap(Cap.ORG_EXPORT),
            "can_unmask": user.has_cap(Cap.ORG_EXPORT) and user.has_cap(Cap.ORG_VIEW_PII),
            "export_url": export_url(request, name),
            "can_dispatch": can_dispatch,
            # the bulk bar's units, only when the page shows the bar
            "units": dispatch_units(user) if can_dispatch else [],
            "page_sizes": PAGE_SIZES,
        },
    )


def dispatch_units(user) -> list[Unit]:
    """The active units this user may send work to (the org tree decides), by kind and name."""
    units = Unit.objects.filter(is_active=True).select_related("node").order_by("kind", "name")
    return [u for u in units if routing.may_dispatch_to(user, u)]


# -- bulk dispatch ---------------------------------------------------------------------------------------------


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("cases:todo")


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or _("没有权限执行此操作")


@require_POST
@staff_required
def bulk_dispatch(request):
    """派遣 several cases at once, each to its suggested unit or all to one chosen unit.

    Each case is its own transaction (actions.do_dispatch), so one that fails — already dispatched by someone
    else, no routing rule, out of the user's rights — is reported by number and the others still go.
    """
    user = request.user
    ids = [int(v) for v in request.POST.getlist("cases") if parsing.is_id(v)]
    if not ids:
        messages.warning(request, _("请先勾选要派遣的案件"))
        return _back(request)
    unit = None
    if request.POST.get("unit"):
        unit = Unit.objects.filter(pk=request.POST["unit"], is_active=True).first()
        if unit is None:
            messages.error(request, _("所选主办单位不存在或已停用"))
            return _back(request)
    cases = Case.objects.visible_to(user).filter(pk__in=ids).select_related("node", "category").order_by("pk")
    done, failed = [], []
    for case in cases:
        try:
            dispatched = actions.do_if_unchanged(
                case, expected=DISPATCHABLE, run=lambda c: actions.do_dispatch(c, actor=user, unit=unit)
            )
        except (IllegalTransition, ValidationError, PermissionDenied) as exc:
            failed.append(_("%(number)s：%(reason)s") % {"number": case.number, "reason": _reason(exc)})
        else:
            done.append(
                _("%(number)s → %(unit)s") % {"number": case.number, "unit": dispatched.lead_unit.name}
            )
    missing = len(ids) - len(done) - len(failed)
    if done:
        messages.success(request, _("已派遣 %(n)d 件：%(list)s") % {"n": len(done), "list": "；".join(done)})
    if failed:
        messages.error(
            request, _("%(n)d 件未能派遣：%(list)s") % {"n": len(failed), "list": "；".join(failed)}
        )
    if missing:
        messages.error(request, _("%(n)d 件案件不存在或无权查看") % {"n": missing})
    return _back(request)


# -- the 工作台 panel --------------------------------------------------------------------------------------------

HOME_CASES = 5


def home_panel(request):
    """The 工作台's case card: how much waits for the user, how much is overdue, and the most urgent few."""
    user = request.user
    if not user.has_cap(Cap.CASES_VIEW):
        return None
    now = clock.now()
    visible = Case.objects.visible_to(user)
    counts = {
        "todo": capped_count(visible.filter(todo_condition(user))),
        "overdue": capped_count(visible.filter(overdue_condition(now))),
    }
    urgent = list_queryset("todo", user, now).select_related("category", "node")[:HOME_CASES]
    # A unit's members (a property company's staff, a 科室) follow what their unit holds, not only their own todo.
    units = [
        {"unit": unit, "open": visible.filter(lead_unit=unit, status__in=OPEN_STATES).count()}
        for unit in Unit.objects.filter(members=user, is_active=True).order_by("name")[:3]
    ]
    return {
        "counts": counts,
        "rows": rows_of(urgent, user, now),
        "can_create": user.has_cap(Cap.CASES_CREATE),
        "units": units,
    }


# Before the registry counts (org, order 10): the cases waiting for a person are their day's work.
navigation.register_panel("cases/workbench/_home_panel.html", home_panel, order=5)


def demo_progress_panel(request):
    """While `make run` writes the demo's two-year history in the background, the 工作台 says how far it is."""
    from ..demo import progress

    state = progress.read()
    if not state or state.get("finished") or not state.get("total"):
        return None
    return {
        "percent": min(99, round(100 * state.get("done", 0) / state["total"])),
        "day": state.get("day", ""),
        "registered": state.get("registered", 0),
    }


navigation.register_panel("cases/workbench/_demo_progress.html", demo_progress_panel, order=1)
