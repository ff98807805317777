"""The case map: open cases with a place (their point, else their place's or grid's centre), clustered on the grid polygons and coloured by their deadline.

The page draws the grids from org's own endpoint (org:grid_geojson) and the cases from `map_data`, which applies
the same list and filters as the workbench lists, so "超期 in 颐和社区" means the same on the map and in the list.
"""

from django.conf import settings
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from minsheng.core import clock
from minsheng.core.views import staff_required

from ..choices import OPEN_STATES, DeadlineState, Status
from ..deadlines import state_of
from .workbench import LISTS, filtered

#: More markers than this make a phone's browser crawl; the map says how many were left out.
MAX_POINTS = 5000


def _list_name(request) -> str:
    name = request.GET.get("list", "all")
    return name if name in LISTS else "all"


@require_GET
@staff_required
def case_map(request):
    now = clock.now()
    f, _qs = filtered(request, _list_name(request), now)
    return render(
        request,
        "cases/workbench/map.html",
        {
            "filter": f,
            "under": f.under_node(),
            "list_name": _list_name(request),
            "lists": LISTS.values(),
            "map_tiles": getattr(settings, "MINSHENG_MAP_TILES", ""),
            "states": [s for s in DeadlineState if s != DeadlineState.NONE],
        },
    )


@require_GET
@staff_required
def map_data(request):
    """Open cases with a point, as GeoJSON, each with its deadline state: {type, features, total, shown}."""
    now = clock.now()
    _f, qs = filtered(request, _list_name(request), now)
    # Every case with a place is drawn: its own point, else its building's or 小区's centre, else its grid's.
    placed = (
        Q(lat__isnull=False, lng__isnull=False)
        | Q(node__lat__isnull=False, node__lng__isnull=False)
        | Q(grid__min_lat__isnull=False)
    )
    qs = (
        qs.filter(placed, status__in=OPEN_STATES)
        .select_related("category", "node", "grid")
        .defer("node__geometry", "grid__boundary")
    )
    total = qs.count()
    features = []
    for case in qs[:MAX_POINTS]:
        state = state_of(case, now)
        where, how = point_of(case)
        if where is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(where)},
                "properties": {
                    "number": case.number,
                    "title": case.title,
                    "status": Status(case.status).label,
                    "category": case.category.name,
                    "state": state,
                    "state_label": str(DeadlineState(state).label),
                    "due": clock_text(case.finish_due or case.accept_due),
                    "url": reverse("cases:detail", args=[case.pk]),
                    "placed_by": how,
                },
            }
        )
    message = ""
    if total > len(features):
        message = _("共 %(total)d 件，地图上只显示列表中的前 %(shown)d 件，请缩小筛选范围") % {
            "total": total,
            "shown": len(features),
        }
    return JsonResponse(
        {"type": "FeatureCollection", "features": features, "total": total, "message": message}
    )


def point_of(case) -> tuple[tuple[float, float] | None, str]:
    """([lng, lat], how it was found): the case's own point, its place's centre, or its grid's centre."""
    if case.lat is not None and case.lng is not None:
        return (case.lng, case.lat), "point"
    if case.node.lat is not None and case.node.lng is not None:
        return (case.node.lng, case.node.lat), "place"
    grid = case.grid
    if grid is not None and grid.min_lat is not None:
        return ((grid.min_lng + grid.max_lng) / 2, (grid.min_lat + grid.max_lat) / 2), "grid"
    return None, ""


def clock_text(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
