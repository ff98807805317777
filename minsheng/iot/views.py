"""The greenhouse workbench: the alarm console, an alarm's page, a greenhouse's page with its charts, device health
and the cluster map.

Reading goes through `visible_to(user, CAP_VIEW)`; every change goes through `iot.actions`, which checks the right
to act at the greenhouse's village, so a bulk action can refuse one alarm and still do the others.
"""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Q, Value, When
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from minsheng.core import clock, parsing
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from . import actions, alerts, rules, summary
from .choices import RANK, AlarmStatus, Severity, unit_label
from .forms import AlarmPreferenceForm
from .models import Alarm, AlarmNotificationPreference, Cluster, DeadLetter, Greenhouse, Reading, Sensor
from .rules import DEFAULT_OFFLINE_MINUTES, SITE_TZ, limits

#: Reading the greenhouse pages (accounts/roles.py: iot.view, scoped by village).
CAP_VIEW = "iot.view"
SEVERITY_BADGE = {
    Severity.CRITICAL: "badge-red",
    Severity.MAJOR: "badge-orange",
    Severity.MINOR: "badge-blue",
    Severity.WARNING: "badge-gray",
    Severity.INDETERMINATE: "badge-gray",
}
#: Map colours by worst active alarm (and "none" for a quiet greenhouse).
SEVERITY_COLOUR = {
    Severity.CRITICAL: "#c8161d",
    Severity.MAJOR: "#e8710a",
    Severity.MINOR: "#d4a106",
    Severity.WARNING: "#5b7db8",
    Severity.INDETERMINATE: "#8a93a3",
    "none": "#2e9d5b",
}
DEFAULT_LOW_BATTERY = 20
#: How often the console and the greenhouse page ask for news (settings.IOT_LIVE_POLL_SECONDS).
LIVE_POLL_SECONDS = 15
CHART_HOURS = 24


def _choice(request, name: str, allowed, default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


def _int(request, name: str, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(request.GET.get(name, default)), low), high)
    except (TypeError, ValueError):
        return default


def alarms_for(user):
    return Alarm.objects.visible_to(user, CAP_VIEW).select_related("sensor", "greenhouse", "case", "assignee")


def _with_badges(alarms):
    for alarm in alarms:
        alarm.badge = SEVERITY_BADGE.get(alarm.severity, "badge-gray")
        yield alarm


def _filtered(request):
    """The console's alarms for the request's filters (shared by the page and its live JSON)."""
    status = _choice(request, "status", {"active", "cleared", "all"}, "active")
    ack = _choice(request, "ack", {"yes", "no", "all"}, "all")
    severity = _choice(request, "severity", set(Severity.values) | {""}, "")
    qs = alarms_for(request.user)
    if status != "all":
        qs = qs.filter(status=status)
    if ack != "all":
        qs = qs.filter(acknowledged=ack == "yes")
    if severity:
        qs = qs.filter(severity=severity)
    greenhouse = request.GET.get("greenhouse", "")
    if parsing.is_id(greenhouse):
        qs = qs.filter(greenhouse_id=int(greenhouse))
    order = _choice(request, "order", {"severity", "newest"}, "severity")
    filters = {"status": status, "ack": ack, "severity": severity, "greenhouse": greenhouse, "order": order}
    if order == "newest":
        return qs.order_by("-last_at", "-pk"), filters
    # The console's default: what needs a person first — active before cleared, then the highest severity,
    # unacknowledged before acknowledged, the newest first.
    rank = Case(*(When(severity=value, then=Value(n)) for value, n in RANK.items()), default=Value(-1))
    return qs.order_by("status", rank.desc(), "acknowledged", "-last_at", "-pk"), filters  # active < cleared


def _poll_ms() -> int:
    return int(getattr(settings, "IOT_LIVE_POLL_SECONDS", LIVE_POLL_SECONDS) * 1000)


@require_GET
@staff_required
def alarm_list(request):
    qs, filters = _filtered(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "iot/alarm_list.html",
        {
            "page_obj": page,
            "alarms": list(_with_badges(page.object_list)),
            **filters,
            "severities": Severity.choices,
            "greenhouses": Greenhouse.objects.visible_to(request.user, CAP_VIEW).only("pk", "name"),
            "summary": summary.of_alarms(alarms_for(request.user)),
            "poll_ms": _poll_ms(),
            "poll_seconds": _poll_ms() // 1000,
        },
    )


@require_GET
@staff_required
def alarm_list_live(request):
    """The console's live data: the current page's rows (rendered) and the header summary, for a poll."""
    qs, _filters = _filtered(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    alarms = list(_with_badges(page.object_list))
    rows = render_to_string("iot/_alarm_rows.html", {"alarms": alarms}, request=request)
    head = summary.of_alarms(alarms_for(request.user))
    return JsonResponse(
        {
            "count": page.paginator.count,
            "ids": [a.pk for a in alarms],
            "stamp": max((a.updated_at for a in alarms), default=None),
            "rows_html": rows,
            "summary": head.as_dict(),
            "summary_html": render_to_string("iot/_summary.html", {"summary": head}, request=request),
            "now": clock.now().isoformat(),
        }
    )


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


ACTS = {"acknowledge", "clear", "assign", "comment"}
BULK = {"acknowledge": actions.acknowledge, "clear": actions.clear}


@require_POST
@staff_required
def alarm_bulk(request):
    """Acknowledge or clear the ticked alarms one by one: a refusal of one is reported and the others go on."""
    action = BULK.get(request.POST.get("action", ""))
    ids = [int(v) for v in request.POST.getlist("alarms") if parsing.is_id(v)]
    if action is None or not ids:
        messages.error(request, _("请勾选告警并选择操作"))
        return _back(request, reverse("iot:alarms"))
    done, failed = 0, []
    for alarm in alarms_for(request.user).filter(pk__in=ids):
        try:
            action(alarm, actor=request.user)
            done += 1
        except (PermissionDenied, ValidationError) as exc:
            reason = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            failed.append(_("%(alarm)s：%(reason)s") % {"alarm": alarm, "reason": reason})
    if done:
        messages.success(request, _("已处理 %(n)d 条告警") % {"n": done})
    for text in failed:
        messages.error(request, text)
    return _back(request, reverse("iot:alarms"))


def _assignable(alarm: Alarm):
    """People who may handle the alarm: members at the village or above holding the capability to act."""
    village = alarm.greenhouse.village
    prefixes = [village.path[:i] for i in range(village.steplen, len(village.path) + 1, village.steplen)]
    users = (
        get_user_model()
        .objects.filter(is_active=True, memberships__node__path__in=prefixes)
        .distinct()
        .order_by("username")[:200]
    )
    return [u for u in users if u.has_cap(actions.CAP_MANAGE, village)]


@require_GET
@staff_required
def alarm_detail(request, pk: int):
    alarm = get_visible_or_404(alarms_for(request.user), request.user, CAP_VIEW, pk=pk)
    alarm.badge = SEVERITY_BADGE.get(alarm.severity, "badge-gray")
    can_act = request.user.has_cap(actions.CAP_MANAGE, alarm.greenhouse.village)
    return render(
        request,
        "iot/alarm_detail.html",
        {
            "alarm": alarm,
            "comments": alarm.comments.select_related("author"),
            "can_act": can_act,
            "people": _assignable(alarm) if can_act else [],
        },
    )


@require_POST
@staff_required
def alarm_act(request, pk: int, what: str):
    if what not in ACTS:
        raise Http404
    """One of acknowledge / clear / assign / comment on one alarm, through the actions."""
    alarm = get_visible_or_404(alarms_for(request.user), request.user, CAP_VIEW, pk=pk)
    try:
        if what == "acknowledge":
            actions.acknowledge(alarm, actor=request.user)
        elif what == "clear":
            actions.clear(alarm, actor=request.user, note=request.POST.get("note", "").strip()[:2000])
        elif what == "assign":
            pk_text = request.POST.get("assignee", "")
            assignee = None
            if pk_text:
                people = {str(u.pk): u for u in _assignable(alarm)}
                if pk_text not in people:
                    raise ValidationError({"assignee": _("该人员无权处理此大棚的告警")})
                assignee = people[pk_text]
            actions.assign(alarm, actor=request.user, assignee=assignee)
        elif what == "comment":
            actions.comment(alarm, actor=request.user, text=request.POST.get("text", ""))
        messages.success(request, _("已保存"))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect("iot:alarm", pk=alarm.pk)


@require_GET
@staff_required
def greenhouse_detail(request, pk: int):
    greenhouse = get_visible_or_404(
        Greenhouse.objects.select_related("village", "cluster"), request.user, CAP_VIEW, pk=pk
    )
    return render(
        request,
        "iot/greenhouse.html",
        {
            "greenhouse": greenhouse,
            "sensors": greenhouse.sensors.order_by("kind", "code"),
            "low_battery": DEFAULT_LOW_BATTERY,
            "poll_ms": _poll_ms(),
            "poll_seconds": _poll_ms() // 1000,
            **_greenhouse_alarms(greenhouse),
        },
    )


def _greenhouse_alarms(greenhouse: Greenhouse) -> dict:
    active = list(
        _with_badges(
            greenhouse.alarms.filter(status=AlarmStatus.ACTIVE)
            .select_related("sensor", "case")
            .order_by("-last_at")
        )
    )
    return {
        "active": active,
        "summary": summary.by_greenhouse([greenhouse.pk]).get(greenhouse.pk, summary.Summary()),
    }


@require_GET
@staff_required
def greenhouse_live(request, pk: int):
    """The greenhouse page's live part: its alarm summary and active alarms (rendered), and the sensors' last values."""
    greenhouse = get_visible_or_404(Greenhouse, request.user, CAP_VIEW, pk=pk)
    context = _greenhouse_alarms(greenhouse)
    return JsonResponse(
        {
            "summary": context["summary"].as_dict(),
            "active_ids": [a.pk for a in context["active"]],
            "alarms_html": render_to_string("iot/_greenhouse_alarms.html", context, request=request),
            "sensors": [
                {
                    "id": s.pk,
                    "code": s.code,
                    "last_value": s.last_value,
                    "last_seen": s.last_seen.isoformat() if s.last_seen else None,
                }
                for s in greenhouse.sensors.order_by("kind", "code")
            ],
            "now": clock.now().isoformat(),
        }
    )


def _limit_steps(threshold, start: dt.datetime, end: dt.datetime) -> tuple[list, list]:
    """The day/night limits as step lines: a point at the window's start and at each local day/night boundary."""
    day_starts, night_starts = rules.window_of(threshold)
    moments = [start]
    day = start.astimezone(SITE_TZ).date()
    while True:
        for t in (day_starts, night_starts):
            moment = dt.datetime.combine(day, t, tzinfo=SITE_TZ)
            if start < moment < end:
                moments.append(moment)
        day += dt.timedelta(days=1)
        if dt.datetime.combine(day, dt.time(0), tzinfo=SITE_TZ) >= end:
            break
    moments = sorted(moments) + [end]
    lows, highs = [], []
    for moment in moments:
        low, high = limits(threshold, min(moment, end - dt.timedelta(seconds=1)))
        lows.append([moment.isoformat(), low])
        highs.append([moment.isoformat(), high])
    return lows, highs


@require_GET
@staff_required
def greenhouse_chart(request, pk: int):
    """The last 24 h per sensor kind: each sensor's readings, the limits in force and the alarm periods."""
    greenhouse = get_visible_or_404(Greenhouse, request.user, CAP_VIEW, pk=pk)
    end = clock.now()
    start = end - dt.timedelta(hours=CHART_HOURS)
    sensors = list(greenhouse.sensors.filter(is_active=True).order_by("kind", "code"))
    config = rules.load_config()  # the limits in force: greenhouse override → cluster override → crop default
    thresholds = {kind: rules.resolve(greenhouse, kind, config) for kind in {s.kind for s in sensors}}
    points: dict[int, list] = {s.pk: [] for s in sensors}
    for sensor_id, ts, value in (
        Reading.objects.filter(sensor__in=sensors, ts__gte=start, ts__lte=end)
        .order_by("ts")
        .values_list("sensor_id", "ts", "value")
    ):
        points[sensor_id].append([ts.isoformat(), round(value, 2)])
    alarms = greenhouse.alarms.filter(started_at__lte=end).filter(
        Q(status=AlarmStatus.ACTIVE) | Q(cleared_at__gte=start)
    )
    kinds: dict[str, dict] = {}
    for sensor in sensors:
        entry = kinds.setdefault(
            sensor.kind,
            {
                "kind": sensor.kind,
                "label": sensor.get_kind_display(),
                "unit": unit_label(sensor.unit),
                "series": [],
                "bands": [],
            },
        )
        entry["series"].append({"name": sensor.code, "data": points[sensor.pk]})
    for kind, entry in kinds.items():
        threshold = thresholds.get(kind)
        if threshold is not None:
            entry["min"], entry["max"] = _limit_steps(threshold, start, end)
        for alarm in alarms:
            if alarm.sensor.kind == kind:
                entry["bands"].append(
                    {
                        "from": max(alarm.started_at, start).isoformat(),
                        "to": (alarm.cleared_at or end).isoformat(),
                        "severity": alarm.severity,
                        "label": alarm.get_severity_display(),
                        "colour": SEVERITY_COLOUR[alarm.severity],
                    }
                )
    return JsonResponse({"start": start.isoformat(), "end": end.isoformat(), "kinds": list(kinds.values())})


@require_GET
@staff_required
def devices(request):
    """Sensors that went silent for `minutes` (never heard counts too) and sensors low on battery."""
    default = getattr(settings, "IOT_OFFLINE_MINUTES", DEFAULT_OFFLINE_MINUTES)
    minutes = _int(request, "minutes", default, 1, 60 * 24 * 30)
    battery = _int(request, "battery", DEFAULT_LOW_BATTERY, 1, 100)
    sensors = (
        Sensor.objects.visible_to(request.user, CAP_VIEW).filter(is_active=True).select_related("greenhouse")
    )
    since = clock.now() - dt.timedelta(minutes=minutes)
    silent = sensors.filter(Q(last_seen__lt=since) | Q(last_seen__isnull=True)).order_by("last_seen", "code")
    low = sensors.filter(battery__lt=battery).order_by("battery", "code")
    show = _choice(request, "show", {"silent", "low"}, "silent")  # one list at a time, a page of 50
    page = Paginator(silent if show == "silent" else low, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "iot/devices.html",
        {
            "minutes": minutes,
            "battery": battery,
            "show": show,
            "page_obj": page,
            "silent_count": silent.count(),
            "low_count": low.count(),
            "total": sensors.count(),
            # Set-aside messages name no greenhouse (they could not be read): for those who manage devices.
            "dead_letters": (
                DeadLetter.objects.order_by("-last_seen")[:20]
                if request.user.has_cap(actions.CAP_MANAGE)
                else None
            ),
        },
    )


@require_GET
@staff_required
def cluster_map(request):
    legend = [(s.value, s.label, SEVERITY_COLOUR[s]) for s in Severity] + [
        ("none", _("无告警"), SEVERITY_COLOUR["none"])
    ]
    return render(
        request,
        "iot/map.html",
        {"legend": legend, "map_tiles": getattr(settings, "MINSHENG_MAP_TILES", "")},
    )


@require_GET
@staff_required
def map_data(request):
    """{villages, greenhouses} as GeoJSON: the villages' outlines from org, a greenhouse at its own point or, without
    one, at its village's centre; each coloured by its worst active alarm."""
    greenhouses = list(
        Greenhouse.objects.visible_to(request.user, CAP_VIEW).select_related("village", "cluster")
    )
    summaries = summary.by_greenhouse([g.pk for g in greenhouses])
    village_ids = {g.village_id for g in greenhouses}
    villages = Node.objects.filter(pk__in=village_ids, kind=NodeKind.VILLAGE)
    village_features = [
        {"type": "Feature", "geometry": v.geometry, "properties": {"name": v.name}}
        for v in villages
        if v.geometry
    ]
    features = []
    for g in greenhouses:
        lat, lng = (
            (g.lat, g.lng) if g.lat is not None and g.lng is not None else (g.village.lat, g.village.lng)
        )
        if lat is None or lng is None:
            continue
        state = summaries.get(g.pk, summary.Summary())
        worst = state.highest
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lng, lat]},
                "properties": {
                    "name": g.name,
                    "village": g.village.name,
                    "cluster": g.cluster.name if g.cluster else "",
                    "stage": g.get_stage_display(),
                    "alarms": state.total,
                    "unacknowledged": state.unacknowledged,
                    "by_severity": state.as_dict()["by_severity"],
                    "worst": worst or "none",
                    "worst_label": state.highest_label or _("无告警"),
                    "colour": SEVERITY_COLOUR[worst or "none"],
                    "url": reverse("iot:greenhouse", args=[g.pk]),
                },
            }
        )
    return JsonResponse(
        {
            "villages": {"type": "FeatureCollection", "features": village_features},
            "greenhouses": {"type": "FeatureCollection", "features": features},
            "unplaced": len(greenhouses) - len(features),
        }
    )


# -- clusters ---------------------------------------------------------------------------------------------------


def _cluster_rows(greenhouses) -> list[dict]:
    """One row per cluster holding a visible greenhouse (plus 未划片区), with its roll-up: two grouped queries."""
    counts: dict = {}
    for cluster_id in greenhouses.values_list("cluster_id", flat=True):
        counts[cluster_id] = counts.get(cluster_id, 0) + 1
    summaries = summary.by_cluster(greenhouses)
    clusters = {c.pk: c for c in Cluster.objects.filter(pk__in=[k for k in counts if k is not None])}
    rows = []
    for cluster_id, n in counts.items():
        state = summaries.get(cluster_id, summary.Summary())
        rows.append(
            {
                "cluster": clusters.get(cluster_id),
                "greenhouses": n,
                "summary": state,
                "badge": SEVERITY_BADGE.get(state.highest, "badge-green"),
            }
        )
    rank = {s: i for i, s in enumerate(Severity)}
    rows.sort(
        key=lambda r: (
            rank.get(r["summary"].highest, len(rank)),
            -r["summary"].total,
            r["cluster"].name if r["cluster"] else "~",
        )
    )
    return rows


@require_GET
@staff_required
def cluster_list(request):
    greenhouses = Greenhouse.objects.visible_to(request.user, CAP_VIEW)
    return render(
        request, "iot/clusters.html", {"rows": _cluster_rows(greenhouses), "badges": SEVERITY_BADGE}
    )


@require_GET
@staff_required
def cluster_detail(request, pk: int):
    """One cluster's greenhouses in the user's scope, the worst first. A cluster with none of them is a 404."""
    cluster = Cluster.objects.filter(pk=pk).first()
    greenhouses = list(
        Greenhouse.objects.visible_to(request.user, CAP_VIEW).filter(cluster_id=pk).select_related("village")
    )
    if cluster is None or not greenhouses:
        raise Http404
    summaries = summary.by_greenhouse([g.pk for g in greenhouses])
    rank = {s: i for i, s in enumerate(Severity)}
    rows = []
    for g in greenhouses:
        state = summaries.get(g.pk, summary.Summary())
        rows.append(
            {"greenhouse": g, "summary": state, "badge": SEVERITY_BADGE.get(state.highest, "badge-green")}
        )
    rows.sort(
        key=lambda r: (
            rank.get(r["summary"].highest, len(rank)),
            -r["summary"].unacknowledged,
            r["greenhouse"].code,
        )
    )
    total = summary.Summary()
    for state in summaries.values():
        for severity, n in state.by_severity.items():
            total.add(severity, n, 0)
        total.unacknowledged += state.unacknowledged
    return render(request, "iot/cluster.html", {"cluster": cluster, "rows": rows, "summary": total})


# -- notification preferences -----------------------------------------------------------------------------------


@staff_required
def preferences(request):
    """告警通知设置: the person's own alarm notification preferences."""
    pref = AlarmNotificationPreference.objects.filter(user=request.user).first()
    form = AlarmPreferenceForm(request.POST or None, user=request.user, instance=pref)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_preferences(request.user, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("告警通知设置已保存"))
            return redirect("iot:preferences")
    return render(
        request,
        "iot/preferences.html",
        {
            "form": form,
            "saved": pref is not None,
            "can_handle": request.user.has_cap(actions.CAP_MANAGE),
            "remind_minutes": alerts.remind_minutes(),
            "unack_minutes": actions.unack_case_minutes(),
        },
    )
