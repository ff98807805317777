"""Staff pages for what events are put on at and under: venues and event series (一村一年一场戏). They were admin
rows only; a 社区 that opens a new 文明实践站 or a 街道 that starts a yearly series sets them up here, through the
actions, with activities.manage at the node."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.forms import apply_action_errors
from minsheng.core.pagination import paginate
from minsheng.core.scoping import get_visible_or_404

from .. import actions
from ..forms import SeriesForm, VenueForm
from ..models import Series, Venue
from .common import PAGE_SIZE, activities_required, error_text, nodes_for

VENUE_FIELDS = ["name", "kind", "address", "capacity", "open_air", "lat", "lng", "is_active"]
SERIES_FIELDS = ["name", "kind", "year", "per_territory", "description"]


def _refusal(form, exc):
    apply_action_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(error_text(exc)))


@activities_required(Cap.ACTIVITIES_VIEW)
def venue_list(request):
    user = request.user
    venues = (
        Venue.objects.visible_to(user, Cap.ACTIVITIES_VIEW)
        .select_related("node")
        .order_by("-is_active", "node__path", "name")
    )
    page = paginate(request, venues, per_page=PAGE_SIZE)
    series = Series.objects.visible_to(user, Cap.ACTIVITIES_VIEW).select_related("node", "kind")
    return render(
        request,
        "activities/places/list.html",
        {
            "page_obj": page,
            "venue_rows": [
                {"v": v, "can_edit": user.has_cap(Cap.ACTIVITIES_MANAGE, node=v.node)}
                for v in page.object_list
            ],
            "series_rows": [
                {"s": s, "can_edit": user.has_cap(Cap.ACTIVITIES_MANAGE, node=s.node)}
                for s in series.order_by("-year", "name")
            ],
            "can_manage": user.has_cap(Cap.ACTIVITIES_MANAGE),
        },
    )


@activities_required(Cap.ACTIVITIES_MANAGE)
@require_http_methods(["GET", "POST"])
def venue_create(request):
    form = VenueForm(request.POST or None, nodes=nodes_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            venue = actions.do_create_venue(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _refusal(form, exc)
        else:
            messages.success(request, _("场地已添加：%(name)s") % {"name": venue.name})
            return redirect("activities:places")
    return render(request, "activities/places/form.html", {"form": form, "title": _("添加场地")})


@activities_required(Cap.ACTIVITIES_MANAGE)
@require_http_methods(["GET", "POST"])
def venue_edit(request, pk):
    venue = get_visible_or_404(
        Venue.objects.select_related("node"), request.user, Cap.ACTIVITIES_MANAGE, pk=pk
    )
    initial = {name: getattr(venue, name) for name in VENUE_FIELDS}
    form = VenueForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
        try:
            actions.do_update_venue(venue, actor=request.user, **changes)
        except (ValidationError, PermissionDenied) as exc:
            _refusal(form, exc)
        else:
            messages.success(request, _("已保存") if changes else _("没有修改"))
            return redirect("activities:places")
    title = _("修改场地：%(name)s") % {"name": venue.name}
    return render(request, "activities/places/form.html", {"form": form, "title": title})


@activities_required(Cap.ACTIVITIES_MANAGE)
@require_http_methods(["GET", "POST"])
def series_create(request):
    form = SeriesForm(
        request.POST or None, nodes=nodes_for(request.user), initial={"year": clock.today().year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            series = actions.do_create_series(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _refusal(form, exc)
        else:
            messages.success(request, _("系列活动已添加"))
            return redirect("activities:series", series.pk)
    return render(request, "activities/places/form.html", {"form": form, "title": _("添加系列活动")})


@activities_required(Cap.ACTIVITIES_MANAGE)
@require_http_methods(["GET", "POST"])
def series_edit(request, pk):
    series = get_visible_or_404(
        Series.objects.select_related("node", "kind"), request.user, Cap.ACTIVITIES_MANAGE, pk=pk
    )
    initial = {name: getattr(series, name) for name in SERIES_FIELDS}
    form = SeriesForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
        try:
            actions.do_update_series(series, actor=request.user, **changes)
        except (ValidationError, PermissionDenied) as exc:
            _refusal(form, exc)
        else:
            messages.success(request, _("已保存") if changes else _("没有修改"))
            return redirect("activities:series", series.pk)
    title = _("修改系列活动：%(name)s") % {"name": str(series)}
    return render(request, "activities/places/form.html", {"form": form, "title": title})
