"""Staff pages of events: the list, publishing, the event page (registrations, shifts, head count, closing) and
the door check-in page a grid worker holds at 375 px."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.errors import IllegalTransition
from minsheng.core.forms import apply_action_errors
from minsheng.core.masking import mask_phone
from minsheng.core.pagination import paginate
from minsheng.core.scoping import get_visible_or_404

from .. import actions, queries
from ..actions import volunteers as volunteer_actions
from ..choices import EVENT_LOG_VERBS, EventStatus, RegistrationStatus
from ..filtersets import EventFilterSet
from ..forms import (
    CloseForm,
    EventEditForm,
    EventForm,
    HeadcountForm,
    ReasonForm,
    ShiftForm,
    WalkInForm,
)
from ..models import CheckIn, Event, EventKind, Registration, Series, Venue
from .common import PAGE_SIZE, activities_required, error_text, nodes_for

ACTION_ERRORS = (IllegalTransition, ValidationError, PermissionDenied)


@activities_required(Cap.ACTIVITIES_VIEW)
def event_list(request):
    qs = queries.with_counts(
        Event.objects.visible_to(request.user, Cap.ACTIVITIES_VIEW).select_related("kind", "venue", "node")
    )
    filterset = EventFilterSet(request.GET or None, queryset=qs.order_by("-start", "-pk"))
    page = paginate(request, filterset.qs, per_page=PAGE_SIZE)
    return render(
        request,
        "activities/events/list.html",
        {
            "page_obj": page,
            "filterset": filterset,
            "kinds": EventKind.objects.filter(is_active=True),
            "series": Series.objects.visible_to(request.user, Cap.ACTIVITIES_VIEW).order_by("-year", "name")[
                :5
            ],
            "statuses": EventStatus.choices,
            "can_manage": request.user.has_cap(Cap.ACTIVITIES_MANAGE),
        },
    )


@activities_required(Cap.ACTIVITIES_MANAGE)
@require_http_methods(["GET", "POST"])
def event_create(request):
    nodes = nodes_for(request.user)
    venues = (
        Venue.objects.visible_to(request.user, Cap.ACTIVITIES_VIEW)
        .filter(is_active=True)
        .select_related("node")
    )
    form = EventForm(request.POST or None, nodes=nodes, venues=venues)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = actions.do_create_event(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                node=data["node"],
                start=data["start"],
                end=data["end"],
                capacity=data["capacity"],
                venue=data["venue"],
                place=data["place"],
                organiser_kind=data["organiser_kind"],
                organiser_name=data["organiser_name"],
                audience=data["audience"],
                description=data["description"],
                public=data["public"],
                open_air=data["open_air"] or (data["venue"].open_air if data["venue"] else False),
            )
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, _("活动已发布"))
            return redirect("activities:event", event.pk)
    return render(request, "activities/events/form.html", {"form": form})


def _event(request, pk):
    return get_visible_or_404(
        Event.objects.select_related("kind", "venue", "node", "series", "unit"),
        request.user,
        Cap.ACTIVITIES_VIEW,
        pk=pk,
    )


@activities_required(Cap.ACTIVITIES_VIEW)
def event_detail(request, pk):
    event = _event(request, pk)
    user = request.user
    registrations = event.registrations.select_related("checkin").order_by("status", "registered_at", "pk")
    page = paginate(request, registrations, per_page=50)
    rows = [
        {"r": r, "phone": mask_phone(r.phone), "checked": hasattr(r, "checkin")} for r in page.object_list
    ]
    shifts = event.shifts.prefetch_related("signups__volunteer").order_by("start", "pk")
    return render(
        request,
        "activities/events/detail.html",
        {
            "event": event,
            "figures": queries.event_figures(event),
            "page_obj": page,
            "rows": rows,
            "shifts": shifts,
            "log": [
                {"l": entry, "verb": EVENT_LOG_VERBS.get(entry.verb, entry.verb)}
                for entry in event.log.order_by("-created_at", "-pk")[:20]
            ],
            "photos": event.photos.all(),
            "can_manage": user.has_cap(Cap.ACTIVITIES_MANAGE, node=event.node),
            "can_checkin": user.has_cap(Cap.ACTIVITIES_CHECKIN, node=event.node),
            "can_volunteers": user.has_cap(Cap.VOLUNTEERS_MANAGE, node=event.node),
            "close_form": CloseForm(),
            "headcount_form": HeadcountForm(initial={"count": event.headcount}),
            "walkin_form": WalkInForm(),
            "cancel_form": ReasonForm(),
            "shift_form": ShiftForm(initial={"start": event.start, "end": event.end}),
            "is_open": event.status == EventStatus.PUBLISHED,
            "now": clock.now(),
        },
    )


def _run(request, event, work, success: str):
    try:
        work()
    except ACTION_ERRORS as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    back = "activities:door" if request.POST.get("back") == "door" else "activities:event"
    return redirect(back, event.pk)


@activities_required(Cap.ACTIVITIES_VIEW)
@require_POST
def event_close(request, pk):
    event = _event(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写活动总结"))
        return redirect("activities:event", event.pk)
    photos = request.FILES.getlist("photos")
    return _run(
        request,
        event,
        lambda: actions.do_close_event(
            event, actor=request.user, summary=form.cleaned_data["summary"], photos=photos
        ),
        _("活动已结束并归档总结"),
    )


@activities_required(Cap.ACTIVITIES_VIEW)
@require_POST
def event_cancel(request, pk):
    event = _event(request, pk)
    reason = request.POST.get("reason", "")
    return _run(
        request,
        event,
        lambda: actions.do_cancel_event(event, actor=request.user, reason=reason),
        _("活动已取消"),
    )


@activities_required(Cap.ACTIVITIES_VIEW)
@require_POST
def event_headcount(request, pk):
    event = _event(request, pk)
    form = HeadcountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("人数须为不小于 0 的整数"))
        return redirect("activities:event", event.pk)
    return _run(
        request,
        event,
        lambda: actions.do_record_headcount(
            event, actor=request.user, count=form.cleaned_data["count"], note=form.cleaned_data["note"]
        ),
        _("已登记现场估算人数"),
    )


@activities_required(Cap.ACTIVITIES_VIEW)
@require_POST
def event_walk_in(request, pk):
    """现场登记: a person without a registration, registered and checked in at once."""
    event = _event(request, pk)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写姓名"))
        return redirect(
            "activities:door" if request.POST.get("back") == "door" else "activities:event", event.pk
        )

    def work():
        registration = actions.do_register(event, actor=request.user, source="walk_in", **form.cleaned_data)
        actions.do_check_in(event, actor=request.user, registration=registration)

    return _run(request, event, work, _("已登记并签到"))


@activities_required(Cap.ACTIVITIES_VIEW)
@require_POST
def registration_cancel(request, pk, rid):
    event = _event(request, pk)
    registration = get_visible_or_404(Registration, request.user, Cap.ACTIVITIES_VIEW, pk=rid, event=event)
    return _run(
        request,
        event,
        lambda: actions.do_cancel_registration(registration, actor=request.user),
        _("已取消报名，候补名单已顺延"),
    )


@activities_required(Cap.ACTIVITIES_VIEW)
@require_POST
def shift_create(request, pk):
    event = _event(request, pk)
    form = ShiftForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("岗位信息不完整：") + "；".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        )
        return redirect("activities:event", event.pk)
    return _run(
        request,
        event,
        lambda: volunteer_actions.do_create_shift(actor=request.user, event=event, **form.cleaned_data),
        _("已添加志愿岗位"),
    )


@activities_required(Cap.ACTIVITIES_VIEW)
@require_POST
def shift_record(request, pk, sid):
    event = _event(request, pk)
    shift = get_visible_or_404(event.shifts.all(), request.user, Cap.ACTIVITIES_VIEW, pk=sid)
    return _run(
        request,
        event,
        lambda: volunteer_actions.do_record_shift(shift, actor=request.user),
        _("已记录并确认该岗位志愿者的服务时长"),
    )


# -- the door ---------------------------------------------------------------------------------------------------


@activities_required(Cap.ACTIVITIES_CHECKIN)
@require_http_methods(["GET", "POST"])
def door(request, pk):
    """Scan the resident's QR code with the phone's camera, a scanner, or type the code. A repeat scan says so and
    counts nothing. Answers JSON to the page's script, and a plain page without it."""
    event = _event(request, pk)
    result = None
    if request.method == "POST":
        token = request.POST.get("token", "")
        try:
            checkin, created = actions.do_check_in(
                event, actor=request.user, token=token, method=request.POST.get("method") or None
            )
        except ACTION_ERRORS as exc:
            result = {"ok": False, "message": error_text(exc)}
        else:
            r = checkin.registration
            result = {
                "ok": True,
                "created": created,
                "name": r.name,
                "time": timezone.localtime(checkin.checked_in_at).strftime("%H:%M:%S"),
                "message": (_("签到成功：%(n)s") if created else _("%(n)s 已签到过，不重复计数"))
                % {"n": r.name},
            }
        if request.headers.get("Accept", "").startswith("application/json"):
            result["count"] = CheckIn.objects.filter(event=event).count()
            return JsonResponse(result, status=200 if result["ok"] else 400)
    recent = (
        CheckIn.objects.filter(event=event)
        .select_related("registration")
        .order_by("-checked_in_at", "-pk")[:8]
    )
    figures = queries.event_figures(event)
    return render(
        request,
        "activities/events/door.html",
        {"event": event, "result": result, "recent": recent, "figures": figures, "walkin_form": WalkInForm()},
    )


@activities_required(Cap.ACTIVITIES_VIEW)
def figures(request):
    """活动统计: the registered figures over a period, with breakdowns by kind, venue, community, team, unit."""
    import datetime as dt

    from minsheng.core import metrics as registry

    from .. import metrics

    today = clock.today()
    try:
        start = dt.date.fromisoformat(request.GET.get("start") or f"{today.year}-01-01")
        end = dt.date.fromisoformat(request.GET.get("end") or today.isoformat())
        scope = registry.Scope(viewer=request.user, start=start, end=end)
    except ValueError:
        messages.error(request, _("日期格式不正确，已显示本年"))
        start, end = dt.date(today.year, 1, 1), today
        scope = registry.Scope(viewer=request.user, start=start, end=end)
    cards = [{"metric": m, "value": registry.as_number(m.compute(scope))} for m in metrics.METRICS]
    return render(
        request,
        "activities/figures.html",
        {
            "cards": cards,
            "start": start,
            "end": end,
            "by_kind": metrics.events_by(scope, "kind"),
            "by_venue": metrics.events_by(scope, "venue")[:15],
            "by_community": metrics.events_by(scope, "community"),
            "by_team": metrics.hours_by(scope, "team", 15),
            "by_unit": metrics.hours_by(scope, "unit", 15),
            "by_volunteer": metrics.hours_by(scope, "volunteer", 15),
            "registration_statuses": RegistrationStatus,
        },
    )


@activities_required(Cap.ACTIVITIES_VIEW)
def series_detail(request, pk):
    """一村一年一场戏: each village of the series' area, with its performance (held, scheduled) or none yet."""
    from minsheng.org.choices import NodeKind
    from minsheng.org.models import Node

    series = get_visible_or_404(
        Series.objects.select_related("node", "kind"), request.user, Cap.ACTIVITIES_VIEW, pk=pk
    )
    events = {}
    for e in queries.with_counts(series.events.exclude(status=EventStatus.CANCELLED)).order_by("start"):
        events.setdefault(e.node_id, []).append(e)
    villages = (
        Node.objects.visible_to(request.user, Cap.ACTIVITIES_VIEW)
        .filter(path__startswith=series.node.path, kind=NodeKind.VILLAGE)
        .defer("geometry")
        .order_by("path")
    )
    rows = [{"village": v, "events": events.get(v.pk, [])} for v in villages]
    held = sum(1 for r in rows if any(e.status == EventStatus.CLOSED for e in r["events"]))
    planned = sum(1 for r in rows if r["events"])
    return render(
        request,
        "activities/events/series.html",
        {
            "series": series,
            "can_edit": request.user.has_cap(Cap.ACTIVITIES_MANAGE, node=series.node),
            "rows": rows,
            "held": held,
            "planned": planned,
            "total": len(rows),
            "person_times": sum(e.checkin_count for es in events.values() for e in es),
            "headcount": sum(e.headcount or 0 for es in events.values() for e in es),
        },
    )


@activities_required(Cap.ACTIVITIES_MANAGE)
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = _event(request, pk)
    venues = (
        Venue.objects.visible_to(request.user, Cap.ACTIVITIES_VIEW)
        .filter(is_active=True)
        .select_related("node")
    )
    fields = ["title", "venue", "place", "start", "end", "capacity", "audience", "public", "description"]
    initial = {name: getattr(event, name) for name in fields}
    form = EventEditForm(request.POST or None, initial=initial, venues=venues)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
        try:
            if changes:
                actions.do_update_event(event, actor=request.user, **changes)
        except ACTION_ERRORS as exc:
            apply_action_errors(
                form, exc if isinstance(exc, ValidationError) else ValidationError(error_text(exc))
            )
        else:
            messages.success(request, _("已保存") if changes else _("没有修改"))
            return redirect("activities:event", event.pk)
    return render(request, "activities/events/form.html", {"form": form, "event": event})
