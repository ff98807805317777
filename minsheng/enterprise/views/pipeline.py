"""The investment pipeline: the board (a column per stage), a project's page with its actions, leads, trips."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.pagination import paginate
from minsheng.core.permissions import require_cap
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required

from .. import actions, queries
from ..choices import LOSABLE, PIPELINE, Stage
from ..filtersets import ProjectFilter
from ..forms import (
    AdvanceForm,
    FundsForm,
    LeadForm,
    LoseForm,
    MilestoneForm,
    SigningForm,
    SuperviseForm,
    TripForm,
)
from ..models import Project, StageLimit, Trip
from ._common import run


@staff_required
def board(request):
    require_cap(request.user, Cap.ENTERPRISE_VIEW)
    now = clock.now()
    columns = queries.board(request.user)
    limits = {row.stage: row for row in StageLimit.objects.all()}
    board_columns = []
    for stage in PIPELINE:
        cards = []
        for project in columns[stage]:
            cards.append(
                {
                    "p": project,
                    "ageing": actions.ageing(project, now),
                    "days": actions.days_in_stage(project, now),
                }
            )
        total = sum(
            (c["p"].signed_amount if stage != Stage.LEAD and stage != Stage.TALKS else c["p"].planned_amount)
            for c in cards
        )
        board_columns.append(
            {"stage": stage, "label": stage.label, "cards": cards, "limit": limits.get(stage), "total": total}
        )
    lost = queries.projects(request.user).filter(stage=Stage.LOST).order_by("-stage_entered_at")[:10]
    return render(
        request,
        "enterprise/pipeline/board.html",
        {"columns": board_columns, "lost": lost, "can_manage": request.user.has_cap(Cap.ENTERPRISE_MANAGE)},
    )


@staff_required
def project_list(request):
    require_cap(request.user, Cap.ENTERPRISE_VIEW)
    filterset = ProjectFilter(request.GET, queryset=queries.projects(request.user))
    page_obj = paginate(request, filterset.qs.order_by("-pk"), per_page=30)
    return render(request, "enterprise/pipeline/list.html", {"filter": filterset, "page_obj": page_obj})


@staff_required
@require_http_methods(["GET", "POST"])
def lead_new(request):
    """全员线索收集: every staff member may submit a lead (and is credited with it)."""
    form = LeadForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            project, status = run(
                request, form, actions.do_submit_lead, actor=request.user, **form.cleaned_data
            )
            if project is not None:
                messages.success(
                    request,
                    _("线索已提交，编号 %(n)s，负责人：%(o)s") % {"n": project.number, "o": project.owner},
                )
                if request.user.has_cap(Cap.ENTERPRISE_VIEW, project.node):
                    return redirect("enterprise:project", project.pk)
                return redirect("core:home")
        else:
            status = 400
    return render(
        request,
        "enterprise/form.html",
        {"form": form, "title": _("提交招商线索"), "back": reverse("core:home"), "lead_note": True},
        status=status,
    )


FORMS = {
    "advance": AdvanceForm,
    "lose": LoseForm,
    "sign": SigningForm,
    "milestone": MilestoneForm,
    "funds": FundsForm,
    "supervise": SuperviseForm,
}


def _project_context(request, project, forms=None, status_forms=None):
    user = request.user
    now = clock.now()
    can_manage = user.has_cap(Cap.ENTERPRISE_MANAGE, project.node)
    forms = forms or {}
    next_stage = None
    if project.stage in LOSABLE:
        next_stage = PIPELINE[PIPELINE.index(project.stage) + 1]
    built = {name: forms.get(name) or cls() for name, cls in FORMS.items()}
    if next_stage is not None and "advance" not in forms:
        built["advance"] = AdvanceForm(initial={"to": next_stage})
    if "sign" not in forms:
        built["sign"] = SigningForm(
            initial={
                "signed_on": timezone.localdate(now),
                "kind": "first" if not project.first_signed_on else "increase",
            }
        )
    for name in ("milestone", "funds"):
        if name not in forms:
            built[name] = FORMS[name](initial={"on": timezone.localdate(now)})
    steps = []
    reached = (
        PIPELINE.index(project.stage)
        if project.stage in PIPELINE
        else PIPELINE.index(project.lost_from or Stage.LEAD)
    )
    for i, stage in enumerate(PIPELINE):
        steps.append(
            {
                "label": stage.label,
                "done": i < reached or (i == reached and project.stage == Stage.OPERATING),
                "current": i == reached and project.stage != Stage.LOST,
            }
        )
    return {
        "p": project,
        "ageing": actions.ageing(project, now),
        "days": actions.days_in_stage(project, now),
        "events": project.events.select_related("actor"),
        "signings": project.signings.all(),
        "funds": project.funds.all(),
        "milestones": project.milestones.all(),
        "trips": project.trips.all(),
        "forms": built,
        "next_stage": next_stage,
        "steps": steps,
        "can_manage": can_manage,
        "can_supervise": user.has_cap(Cap.ENTERPRISE_SUPERVISE, project.node) and project.stage in LOSABLE,
        "is_live": project.stage in LOSABLE,
        "is_landing": project.stage == Stage.LANDING,
        "is_signed": project.stage in (Stage.SIGNED, Stage.LANDING, Stage.PRODUCTION, Stage.OPERATING),
        "is_talks": project.stage == Stage.TALKS,
    }


@staff_required
def project_detail(request, pk):
    project = get_visible_or_404(queries.projects(request.user), request.user, Cap.ENTERPRISE_VIEW, pk=pk)
    return render(request, "enterprise/pipeline/detail.html", _project_context(request, project))


@staff_required
@require_POST
def project_action(request, pk, verb):
    project = get_visible_or_404(Project, request.user, Cap.ENTERPRISE_VIEW, pk=pk)
    cls = FORMS.get(verb)
    if cls is None:
        return redirect("enterprise:project", pk)
    form = cls(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        user = request.user
        call = {
            "advance": lambda: actions.do_advance(project, actor=user, to=data["to"], note=data["note"]),
            "lose": lambda: actions.do_lose(project, actor=user, reason=data["reason"]),
            "sign": lambda: actions.do_record_signing(project, actor=user, **data),
            "milestone": lambda: actions.do_record_milestone(project, actor=user, **data),
            "funds": lambda: actions.do_record_funds(project, actor=user, **data),
            "supervise": lambda: actions.do_supervise(project, actor=user, comment=data["comment"]),
        }[verb]
        result, status = run(request, form, call)
        if result is not None:
            messages.success(request, _("已保存"))
            return redirect("enterprise:project", pk)
    project = get_visible_or_404(queries.projects(request.user), request.user, Cap.ENTERPRISE_VIEW, pk=pk)
    return render(
        request,
        "enterprise/pipeline/detail.html",
        _project_context(request, project, {verb: form}),
        status=status,
    )


@staff_required
def trip_list(request):
    require_cap(request.user, Cap.ENTERPRISE_VIEW)
    trips = Trip.objects.visible_to(request.user).prefetch_related("members", "projects")
    return render(
        request,
        "enterprise/pipeline/trips.html",
        {
            "page_obj": paginate(request, trips, per_page=30),
            "can_manage": request.user.has_cap(Cap.ENTERPRISE_MANAGE),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def trip_new(request):
    require_cap(request.user, Cap.ENTERPRISE_MANAGE)
    form = TripForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            trip, status = run(
                request,
                form,
                actions.do_record_trip,
                actor=request.user,
                members=[request.user],
                **form.cleaned_data,
            )
            if trip is not None:
                messages.success(request, _("已记录赴外招商"))
                return redirect("enterprise:trips")
        else:
            status = 400
    return render(
        request,
        "enterprise/form.html",
        {"form": form, "title": _("记录赴外招商"), "back": reverse("enterprise:trips")},
        status=status,
    )
