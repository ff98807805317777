"""包联责任: who answers for which node, for which period (街道干部挂社区, 社区干部靠小区, 居民党员包楼栋).

The appeals engine routes on these rows, so the list makes plain which are in force today, and a node-centric view
shows the answer routing would get (org.actions.responsible_for: the node's own assignment, else its nearest
ancestor's).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required

from .. import actions
from ..choices import AssignmentKind
from ..forms.people import AssignmentFilterForm, AssignmentForm, EndAssignmentForm
from ..forms.pickers import apply_action_errors
from ..models import Assignment, Node
from .people import filter_values, paginate, require_cap


def responsible_by_kind(node: Node) -> list[dict]:
    """For each kind of responsibility, who answers for `node` today and at which node the assignment sits."""
    rows = []
    for value, label in AssignmentKind.choices:
        assignments = actions.responsible_for(node, value)
        if assignments:
            rows.append(
                {"label": label, "assignments": assignments, "inherited": assignments[0].node_id != node.pk}
            )
    return rows


def period_state(assignment: Assignment, today) -> str:
    if assignment.valid_to and assignment.valid_to < today:
        return "ended"
    if assignment.valid_from and assignment.valid_from > today:
        return "upcoming"
    return "current"


@staff_required
def assignment_list(request):
    user = request.user
    form = AssignmentFilterForm(request.GET or None, user=user)
    filters = filter_values(form)
    today = timezone.localdate()
    assignments = Assignment.objects.visible_to(user).select_related("node", "user", "party_member")
    if not filters.get("include_ended"):
        assignments = assignments.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    if "kind" in filters:
        assignments = assignments.filter(kind=filters["kind"])
    node = filters.get("node")
    if node is not None:
        assignments = assignments.filter(node__path__startswith=node.path)
    page = paginate(request, assignments)
    rows = [
        {
            "assignment": a,
            "state": period_state(a, today),
            "can_end": a.valid_to is None and user.has_cap("org.change", a.node),
        }
        for a in page
    ]
    return render(
        request,
        "org/people/assignment_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "node": node,
            "responsible": responsible_by_kind(node) if node is not None else None,
            "today": today,
            "can_change": user.has_cap("org.change"),
        },
    )


@staff_required
def assignment_create(request):
    require_cap(request.user, "org.change")
    initial = {"valid_from": timezone.localdate()}
    if request.method == "GET" and (request.GET.get("node") or "").isdigit():
        initial["node"] = request.GET["node"]
    form = AssignmentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = actions.assign_responsibility(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("已登记包联责任：%(what)s") % {"what": assignment})
            return redirect(reverse("org:assignment_list") + f"?node={assignment.node_id}")
    return render(request, "org/people/assignment_form.html", {"form": form})


@require_POST
@staff_required
def assignment_end(request, pk):
    assignment = get_visible_or_404(Assignment.objects.select_related("node"), request.user, pk=pk)
    require_cap(request.user, "org.change", assignment.node)
    form = EndAssignmentForm(request.POST)
    if form.is_valid():
        try:
            actions.end_assignment(assignment, on=form.cleaned_data["on"], actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(_messages_of(exc)))
        else:
            messages.success(request, _("已结束包联责任：%(what)s") % {"what": assignment})
    else:
        messages.error(request, _("请填写有效的结束日期"))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("org:assignment_list")
    return redirect(target)


def _messages_of(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc) or _("没有权限执行此操作")]
