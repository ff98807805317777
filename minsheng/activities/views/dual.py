"""Staff pages of 双报到: units and members, the needs / resources / projects lists, the annual evaluation and its
spreadsheet."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.errors import IllegalTransition
from minsheng.core.forms import apply_action_errors
from minsheng.core.masking import mask_phone
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.spreadsheet import export_workbook
from minsheng.core.views.spreadsheets import xlsx_response

from ..actions import dual
from ..forms import GradeForm, MemberForm, NeedForm, UnitForm
from ..models import DualMember, DualUnit, Evaluation, NeedItem, Project
from ..spreadsheets import EvaluationResource
from .common import activities_required, error_text, nodes_for

ACTION_ERRORS = (IllegalTransition, ValidationError, PermissionDenied)


def _as_validation(exc):
    return exc if isinstance(exc, ValidationError) else ValidationError(str(exc))


@activities_required(Cap.ACTIVITIES_VIEW)
@require_http_methods(["GET", "POST"])
def index(request):
    user = request.user
    units = (
        DualUnit.objects.visible_to(user, Cap.ACTIVITIES_VIEW)
        .select_related("node")
        .prefetch_related("resources")
    )
    members = DualMember.objects.visible_to(user, Cap.ACTIVITIES_VIEW).select_related(
        "node", "unit", "volunteer"
    )
    needs = NeedItem.objects.visible_to(user, Cap.ACTIVITIES_VIEW).select_related("node", "claimed_by")
    projects = (
        Project.objects.visible_to(user, Cap.ACTIVITIES_VIEW)
        .select_related("node", "need")
        .prefetch_related("units")
    )
    nodes = nodes_for(user)
    unit_form = UnitForm(prefix="unit", nodes=nodes)
    member_form = MemberForm(prefix="member", nodes=nodes, units=units)
    need_form = NeedForm(prefix="need", nodes=nodes)
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "unit":
                unit_form = UnitForm(request.POST, prefix="unit", nodes=nodes)
                if unit_form.is_valid():
                    data = dict(unit_form.cleaned_data)
                    data["resources"] = [r for r in (data.pop("resources") or "").splitlines() if r.strip()]
                    dual.do_report_unit(actor=user, **data)
                    messages.success(request, _("已登记报到单位"))
                    return redirect("activities:dual")
            elif which == "member":
                member_form = MemberForm(request.POST, prefix="member", nodes=nodes, units=units)
                if member_form.is_valid():
                    dual.do_report_member(actor=user, **member_form.cleaned_data)
                    messages.success(request, _("已登记报到党员"))
                    return redirect("activities:dual")
            elif which == "need":
                need_form = NeedForm(request.POST, prefix="need", nodes=nodes)
                if need_form.is_valid():
                    dual.do_add_need(actor=user, **need_form.cleaned_data)
                    messages.success(request, _("已加入需求清单"))
                    return redirect("activities:dual")
            elif which == "claim":
                need = get_visible_or_404(NeedItem, user, Cap.ACTIVITIES_VIEW, pk=request.POST.get("need"))
                unit = get_visible_or_404(DualUnit, user, Cap.ACTIVITIES_VIEW, pk=request.POST.get("unit"))
                dual.do_claim_need(need, actor=user, unit=unit)
                messages.success(request, _("%(u)s 已认领需求") % {"u": unit.name})
                return redirect("activities:dual")
        except ACTION_ERRORS as exc:
            form = {"unit": unit_form, "member": member_form, "need": need_form}.get(which)
            if form is not None:
                apply_action_errors(form, _as_validation(exc))
            else:
                messages.error(request, error_text(exc))
    member_rows = [
        {"m": m, "phone": mask_phone(m.phone)} for m in members.order_by("node__path", "name")[:200]
    ]
    return render(
        request,
        "activities/dual/index.html",
        {
            "units": units.order_by("node__path", "name"),
            "member_rows": member_rows,
            "needs": needs.order_by("status", "-pk")[:100],
            "projects": projects.order_by("-pk")[:100],
            "unit_form": unit_form,
            "member_form": member_form,
            "need_form": need_form,
            "can_manage": user.has_cap(Cap.ACTIVITIES_MANAGE),
            "year": clock.today().year,
        },
    )


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or clock.today().year)
    except ValueError:
        return clock.today().year


@activities_required(Cap.ACTIVITIES_VIEW)
@require_http_methods(["GET", "POST"])
def evaluations(request):
    """年度评价: figures computed from records; the grade is the community's word."""
    year = _year(request)
    user = request.user
    if request.method == "POST":
        try:
            if request.POST.get("form") == "compute":
                done = 0
                for node in nodes_for(user).filter(kind__in=["community", "village"]):
                    done += len(dual.do_evaluate_year(node, year, actor=user))
                messages.success(request, _("已计算 %(n)d 条年度评价") % {"n": done})
            else:
                evaluation = get_visible_or_404(
                    Evaluation, user, Cap.ACTIVITIES_VIEW, pk=request.POST.get("evaluation")
                )
                form = GradeForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("请选择等次"))
                dual.do_grade(evaluation, actor=user, **form.cleaned_data)
                messages.success(request, _("已评定"))
        except ACTION_ERRORS as exc:
            messages.error(request, error_text(exc))
        return redirect(f"{request.path}?year={year}")
    rows = (
        Evaluation.objects.visible_to(user, Cap.ACTIVITIES_VIEW)
        .filter(year=year)
        .select_related("node", "unit", "member")
        .order_by("node__path", "-unit_id", "member__name")
    )
    return render(
        request,
        "activities/dual/evaluations.html",
        {
            "rows": [{"e": e, "suggested": dual.suggested_grade(e)} for e in rows],
            "year": year,
            "years": list(range(clock.today().year, clock.today().year - 4, -1)),
            "grade_form": GradeForm(),
            "can_manage": user.has_cap(Cap.ACTIVITIES_MANAGE),
        },
    )


@activities_required(Cap.ACTIVITIES_VIEW)
@require_GET
def evaluations_xlsx(request):
    year = _year(request)
    unit = None
    if request.GET.get("unit"):
        unit = get_visible_or_404(DualUnit, request.user, Cap.ACTIVITIES_VIEW, pk=request.GET["unit"])
    resource = EvaluationResource(request.user, year=year, unit=unit)
    name = f"dual-evaluation-{year}{'-unit' + str(unit.pk) if unit else ''}"
    return xlsx_response(lambda out: export_workbook(resource, out), name)


@activities_required(Cap.ACTIVITIES_VIEW)
def unit_detail(request, pk):
    unit = get_visible_or_404(
        DualUnit.objects.select_related("node"), request.user, Cap.ACTIVITIES_VIEW, pk=pk
    )
    year = _year(request)
    return render(
        request,
        "activities/dual/unit.html",
        {
            "unit": unit,
            "phone": mask_phone(unit.contact_phone),
            "figures": dual.unit_figures(unit, year),
            "year": year,
            "members": unit.members.select_related("volunteer"),
            "events": unit.events.order_by("-start")[:30],
            "records": unit.records.select_related("volunteer").order_by("-served_on")[:30],
            "projects": unit.projects.all(),
            "today": clock.today(),
        },
    )


@activities_required(Cap.ACTIVITIES_MANAGE)
@require_POST
def project_create(request):
    need = get_visible_or_404(
        NeedItem.objects.select_related("claimed_by"),
        request.user,
        Cap.ACTIVITIES_VIEW,
        pk=request.POST.get("need"),
    )
    try:
        dual.do_create_project(
            actor=request.user,
            node=need.node,
            title=request.POST.get("title") or need.title,
            units=[need.claimed_by] if need.claimed_by_id else [],
            need=need,
            start_on=clock.today(),
        )
    except ACTION_ERRORS as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已立项"))
    return redirect("activities:dual")
