"""Shared reads of the cherry cluster, and the only places it reads other domains' tables.

The cluster must not import the enterprise or iot apps (decision 0015). It reads them here, by model label through
`apps.get_model`, and only their rows' ids and a few plain fields: the coupling is one function each, and a missing
app (a deployment without iot) reads as "no greenhouses" instead of an ImportError (decision 0046).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, QuerySet, Sum
from shapely.geometry import Point, shape

from .choices import TrainingKind
from .models import Grower, Sale, StreamSession, Technique

ENTERPRISE_MODEL = "enterprise.Enterprise"
GREENHOUSE_MODEL = "iot.Greenhouse"
LEADING_TAG = "龙头企业"
ZERO = Decimal("0")


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def iot_greenhouse(pk: int) -> dict[str, Any] | None:
    greenhouse = _model(GREENHOUSE_MODEL)
    if greenhouse is None:
        return None
    return (
        greenhouse.objects.filter(pk=pk).values("pk", "name", "village_id", "area_mu", "owner_name").first()
    )


def iot_greenhouses(village_ids: list[int]) -> list[dict[str, Any]]:
    greenhouse = _model(GREENHOUSE_MODEL)
    if greenhouse is None:
        return []
    return list(
        greenhouse.objects.filter(village_id__in=village_ids)
        .order_by("pk")
        .values("pk", "name", "village_id", "area_mu", "owner_name")
    )


def sensed_greenhouse_ids() -> QuerySet | list[int]:
    """Greenhouses with sensors reporting through a field gateway (the controller): 智能温控 adopted by data."""
    greenhouse = _model(GREENHOUSE_MODEL)
    if greenhouse is None:
        return []
    return greenhouse.objects.filter(sensors__gateway__isnull=False).values("pk").distinct()


def leading_enterprises() -> QuerySet | list[Any]:
    enterprise = _model(ENTERPRISE_MODEL)
    if enterprise is None:
        return []
    return enterprise.objects.filter(tags__name=LEADING_TAG).order_by("name").distinct()


def enterprise(pk: Any) -> Any:
    """One enterprise of the registry by id (None when there is none, or no enterprise app): the API's reference."""
    model = _model(ENTERPRISE_MODEL)
    try:
        return None if model is None else model.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def is_leading(obj: Any) -> bool:
    """An enterprise of the registry tagged 龙头企业 (decision 0055)."""
    return obj._meta.label == ENTERPRISE_MODEL and obj.tags.filter(name=LEADING_TAG).exists()


def boundary(village: Any) -> Any:
    """The village's boundary as a shapely shape, or None when its geometry is absent or only a point."""
    geometry = village.geometry
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return None
    return shape(geometry)


def outside_boundary(village: Any, lat: float, lng: float) -> tuple[bool, Any]:
    """(outside, where): whether the point lies outside the village's boundary (never, when it has none), and then
    which other village of the same 街道/乡镇 holds it (None: no village's boundary does)."""
    from minsheng.org.choices import NodeKind
    from minsheng.org.models import Node

    own = boundary(village)
    point = Point(lng, lat)
    if own is None or own.covers(point):
        return False, None
    parent = village.path[: -village.steplen]
    others = Node.objects.filter(
        kind=NodeKind.VILLAGE, path__startswith=parent, geometry__isnull=False
    ).exclude(pk=village.pk)
    for other in others.order_by("path"):
        shape_ = boundary(other)
        if shape_ is not None and shape_.covers(point):
            return True, other
    return True, None


def adopted_orchards(technique: Technique, orchards: QuerySet) -> QuerySet:
    """Orchards that adopted a technique: by a recorded adoption, or (智能温控) by their greenhouse's own data."""
    condition = Q(adoptions__technique=technique)
    if technique.by_data:
        condition |= Q(iot_greenhouse_id__in=sensed_greenhouse_ids())
    return orchards.filter(condition).distinct()


def any_adoption(orchards: QuerySet) -> QuerySet:
    condition = Q(adoptions__isnull=False)
    if Technique.objects.filter(by_data=True).exists():
        condition |= Q(iot_greenhouse_id__in=sensed_greenhouse_ids())
    return orchards.filter(condition).distinct()


def _checkins(kind: str | None = None) -> QuerySet:
    from minsheng.activities.models import CheckIn

    qs = CheckIn.objects.filter(event__cherry_training__isnull=False)
    if kind:
        qs = qs.filter(event__cherry_training__kind=kind)
    return qs


def trained_growers(growers: QuerySet, kind: str | None = None) -> QuerySet:
    """Growers with at least one check-in at a cluster training: matched by registry resident or by phone."""
    checkins = _checkins(kind)
    residents = checkins.filter(registration__resident__isnull=False).values("registration__resident")
    phones = checkins.exclude(registration__phone="").values("registration__phone")
    return growers.filter(Q(resident__in=residents) | (~Q(phone="") & Q(phone__in=phones))).distinct()


def trained_for_live(grower: Grower) -> bool:
    return trained_growers(Grower.objects.filter(pk=grower.pk), TrainingKind.ECOMMERCE).exists()


def is_seller(grower: Grower) -> bool:
    return StreamSession.objects.filter(seller=grower).exists()


def sellers(growers: QuerySet) -> QuerySet:
    """带货达人: people with at least one recorded live-stream session — not those who merely sat a class."""
    return growers.filter(sessions__isnull=False).distinct()


def sales_breakdown(sales: QuerySet, field: str) -> list[dict[str, Any]]:
    """Volume and value of sales grouped by one field (channel, platform, the orchard's village or variety)."""
    return list(
        sales.values(field)
        .annotate(volume=Sum("volume_kg"), value=Sum("amount"), count=Count("pk"))
        .order_by("-value")
    )


def trainings_with_attendance(trainings: QuerySet) -> QuerySet:
    return trainings.select_related("event", "technique", "centre").annotate(
        checkins=Count("event__checkins", distinct=True),
        registered=Count("event__registrations", distinct=True),
    )


def seller_table(sessions: QuerySet) -> list[dict[str, Any]]:
    return list(
        sessions.values("seller", "seller__name", "seller__village__name")
        .annotate(count=Count("pk"), orders=Sum("orders"), sales=Sum("sales_yuan"))
        .order_by("-sales")
    )


def orchard_sales(orchards: QuerySet) -> QuerySet:
    return Sale.objects.filter(harvest__orchard__in=orchards)


def adoption_table(orchards: QuerySet) -> list[dict[str, Any]]:
    """Each technique of the catalogue with the number of orchards (in scope) that adopted it."""
    rows = []
    total = orchards.count()
    for technique in Technique.objects.order_by("introduced_year", "pk"):
        n = adopted_orchards(technique, orchards).count() if total else 0
        rows.append({"technique": technique, "orchards": n, "rate": (n * 100 / total) if total else None})
    return rows
