"""The greenhouse pages: a greenhouse with its live figures and charts, device health, the cluster map and list.

Reading goes through `visible_to(user, Cap.IOT_VIEW)`; every change goes through `iot.actions`, which checks the right
to act at the greenhouse's village, so a bulk action can refuse one alarm and still do the others.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.badges import Colour, badge_class
from minsheng.core.pagination import paginate
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from .. import rules, summary
from ..choices import SEVERITY_COLOURS, SEVERITY_MAP_COLOURS, AlarmStatus, Severity, unit_label
from ..models import Cluster, DeadLetter, Greenhouse, Reading, Sensor
from ..rules import DEFAULT_OFFLINE_MINUTES, SITE_TZ, limits
from .alarms import (
    CHART_HOURS,
    DEFAULT_LOW_BATTERY,
    _choice,
    _int,
    _poll_ms,
    _with_badges,
)


@require_GET
@staff_required
def greenhouse_detail(request, pk: int):
    greenhouse = get_visible_or_404(
        Greenhouse.objects.select_related("village", "cluster"), request.user, Cap.IOT_VIEW, pk=pk
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
    greenhouse = get_visible_or_404(Greenhouse, request.user, Cap.IOT_VIEW, pk=pk)
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
    greenhouse = get_visible_or_404(Greenhouse, request.user, Cap.IOT_VIEW, pk=pk)
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
                        "colour": SEVERITY_MAP_COLOURS[alarm.severity],
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
        Sensor.objects.visible_to(request.user, Cap.IOT_VIEW)
        .filter(is_active=True)
        .select_related("greenhouse")
    )
    since = clock.now() - dt.timedelta(minutes=minutes)
    silent = sensors.filter(Q(last_seen__lt=since) | Q(last_seen__isnull=True)).order_by("last_seen", "code")
    low = sensors.filter(battery__lt=battery).order_by("battery", "code")
    show = _choice(request, "show", {"silent", "low"}, "silent")  # one list at a time, a page of 50
    page = paginate(request, silent if show == "silent" else low)
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
            # Set-aside messages name no greenhouse (they could not be read): for those who handle devices.
            "dead_letters": (
                DeadLetter.objects.order_by("-last_seen")[:20]
                if request.user.has_cap(Cap.IOT_HANDLE)
                else None
            ),
        },
    )


@require_GET
@staff_required
def cluster_map(request):
    legend = [(s.value, s.label, SEVERITY_MAP_COLOURS[s]) for s in Severity] + [
        ("none", _("无告警"), SEVERITY_MAP_COLOURS["none"])
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
        Greenhouse.objects.visible_to(request.user, Cap.IOT_VIEW).select_related("village", "cluster")
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
                    "colour": SEVERITY_MAP_COLOURS[worst or "none"],
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
                "badge": badge_class(SEVERITY_COLOURS, state.highest, Colour.GREEN),
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
    greenhouses = Greenhouse.objects.visible_to(request.user, Cap.IOT_VIEW)
    return render(request, "iot/clusters.html", {"rows": _cluster_rows(greenhouses)})


@require_GET
@staff_required
def cluster_detail(request, pk: int):
    """One cluster's greenhouses in the user's scope, the worst first. A cluster with none of them is a 404."""
    cluster = Cluster.objects.filter(pk=pk).first()
    greenhouses = list(
        Greenhouse.objects.visible_to(request.user, Cap.IOT_VIEW)
        .filter(cluster_id=pk)
        .select_related("village")
    )
    if cluster is None or not greenhouses:
        raise Http404
    summaries = summary.by_greenhouse([g.pk for g in greenhouses])
    rank = {s: i for i, s in enumerate(Severity)}
    rows = []
    for g in greenhouses:
        state = summaries.get(g.pk, summary.Summary())
        rows.append(
            {
                "greenhouse": g,
                "summary": state,
                "badge": badge_class(SEVERITY_COLOURS, state.highest, Colour.GREEN),
            }
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
    # 500 greenhouses in one table is a page 30,000 px long: the worst come first, fifty to a page.
    page_obj = paginate(request, rows, per_page=CLUSTER_PAGE)
    return render(
        request,
        "iot/cluster.html",
        {"cluster": cluster, "rows": rows, "page_obj": page_obj, "summary": total},
    )


CLUSTER_PAGE = 50
