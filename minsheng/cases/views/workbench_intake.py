"""Staff intake (登记): a grid worker's patrol report, a note from a 马扎议事会, a call taken at the desk.

While the description is typed, the page asks `duplicates` (HTMX) for recent cases of the same place that read
alike; someone who may 并单 can register the new report straight into one of them, so the group counts once.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from minsheng.core.errors import IllegalTransition
from minsheng.core.views import staff_required
from minsheng.org.forms.pickers import apply_action_errors
from minsheng.org.models import Grid, Node

from .. import actions, duplicates
from ..forms.workbench import CaseCreateForm
from ..models import Case, Category

#: Fewer characters than this say too little to compare.
MIN_DESCRIPTION = 6


@staff_required
def create(request):
    user = request.user
    if not user.has_cap("cases.create"):
        raise PermissionDenied(_("没有登记诉求的权限"))
    form = CaseCreateForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = actions.do_register(
                actor=user,
                kind=data["kind"],
                channel=data["channel"],
                category=data["category"],
                title=data["title"],
                description=data["description"],
                urgency=data["urgency"],
                node=data["node"],
                lat=data["lat"],
                lng=data["lng"],
                address=data["address"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                anonymous=data["anonymous"],
                files=data["photos"],
            )
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("已登记，编号 %(n)s") % {"n": case.number})
            if data["merge_into"]:
                _merge_after_intake(request, case, data["merge_into"])
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/workbench/create.html", {"form": form}, status=400 if form.errors else 200)


def _merge_after_intake(request, case: Case, target_pk: int) -> None:
    """The report was registered; joining it to the earlier case is a second step that may be refused."""
    target = Case.objects.visible_to(request.user).filter(pk=target_pk).first()
    try:
        if target is None:
            raise IllegalTransition(_("要并入的案件不存在或无权查看"))
        actions.do_merge(case, into=target, actor=request.user, note=_("登记时并单"))
    except (IllegalTransition, PermissionDenied, ValidationError) as exc:
        reason = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.warning(request, _("未能并单：%(reason)s。案件已单独登记。") % {"reason": reason})
    else:
        messages.success(request, _("已并入 %(n)s 一并办理") % {"n": target.number})


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@require_GET
@staff_required
def similar(request):
    """Likely duplicates of the report being typed (the intake form's HTMX panel)."""
    user = request.user
    get = request.GET
    description = get.get("description", "").strip()[:4000]
    node = grid = None
    if _int(get.get("node")):
        node = Node.objects.visible_to(user, "cases.view").filter(pk=get["node"]).first()
    lat, lng = _float(get.get("lat")), _float(get.get("lng"))
    if lat is not None and lng is not None and -90 <= lat <= 90 and -180 <= lng <= 180:
        grid = Grid.objects.visible_to(user, "cases.view").containing(lat, lng).first()
    category = Category.objects.filter(pk=_int(get.get("category")) or 0).first()
    matches = []
    if len(description) >= MIN_DESCRIPTION and (node or grid):
        found = duplicates.suggest(description=description, node=node, grid=grid, category=category)
        visible = set(
            Case.objects.visible_to(user)
            .filter(pk__in=[m.case.pk for m in found])
            .values_list("pk", flat=True)
        )
        matches = [m for m in found if m.case.pk in visible]
    place = node or (grid.community if grid else None)
    return render(
        request,
        "cases/workbench/_similar.html",
        {
            "matches": matches,
            "asked": len(description) >= MIN_DESCRIPTION and place is not None,
            "can_merge": place is not None and user.has_cap("cases.accept", place),
        },
    )
