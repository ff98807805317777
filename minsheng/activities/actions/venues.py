"""Venues and event series: configuration rows, but staff set them up from the pages too, so the same rights and
checks hold wherever they come from (activities.manage at the venue's or series' node)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap

from ..choices import VenueKind
from ..models import EventKind, Series, Venue
from ._common import require

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.org.models import Node

#: What do_update_venue may change (the node stays: events at the venue are scoped by it).
VENUE_FIELDS = {"name", "kind", "address", "capacity", "open_air", "lat", "lng", "is_active"}
#: What do_update_series may change.
SERIES_FIELDS = {"name", "kind", "year", "per_territory", "description"}


def _check_venue(venue: Venue) -> None:
    errors: dict[str, str] = {}
    if not venue.name:
        errors["name"] = _("请填写场地名称")
    elif Venue.objects.filter(node_id=venue.node_id, name=venue.name).exclude(pk=venue.pk).exists():
        errors["name"] = _("本组织已有同名场地")
    if venue.kind not in VenueKind.values:
        errors["kind"] = _("场地类型无效")
    if venue.capacity is not None and venue.capacity < 1:
        errors["capacity"] = _("容纳人数至少为 1")
    if (venue.lat is None) != (venue.lng is None):
        errors["lat"] = _("经纬度须同时填写")
    elif venue.lat is not None and venue.lng is not None:
        if not -90 <= venue.lat <= 90:
            errors["lat"] = _("纬度应在 -90 到 90 之间")
        if not -180 <= venue.lng <= 180:
            errors["lng"] = _("经度应在 -180 到 180 之间")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_create_venue(
    *,
    actor: User | None,
    node: Node,
    name: str,
    kind: str = VenueKind.PARTY_CENTRE,
    address: str = "",
    capacity: int | None = None,
    open_air: bool = False,
    lat: float | None = None,
    lng: float | None = None,
) -> Venue:
    require(actor, Cap.ACTIVITIES_MANAGE, node)
    venue = Venue(
        node=node,
        name=(name or "").strip()[:100],
        kind=kind,
        address=(address or "").strip()[:200],
        capacity=capacity,
        open_air=open_air,
        lat=lat,
        lng=lng,
    )
    _check_venue(venue)
    venue.save()
    return venue


@transaction.atomic
def do_update_venue(venue: Venue, *, actor: User | None, **changes: Any) -> Venue:
    """Change the named fields (VENUE_FIELDS); `is_active=False` retires a venue: past events keep it, new ones
    cannot pick it."""
    venue = Venue.objects.select_for_update().get(pk=venue.pk)
    require(actor, Cap.ACTIVITIES_MANAGE, venue.node)
    unknown = set(changes) - VENUE_FIELDS
    if unknown:
        raise ValidationError({field: _("不可修改") for field in sorted(unknown)})
    for field, value in changes.items():
        if field in {"name", "address"}:
            value = (value or "").strip()
        setattr(venue, field, value)
    _check_venue(venue)
    if changes:
        venue.save(update_fields=[*changes, "updated_at"])
    return venue


def _check_series(series: Series) -> None:
    errors: dict[str, str] = {}
    if not series.name:
        errors["name"] = _("请填写系列名称")
    if not 2000 <= (series.year or 0) <= 2100:
        errors["year"] = _("年度应在 2000 到 2100 之间")
    if errors:
        raise ValidationError(errors)


def _kind(kind: EventKind | str) -> EventKind:
    if isinstance(kind, EventKind):
        return kind
    found = EventKind.objects.filter(code=kind, is_active=True).first()
    if found is None:
        raise ValidationError({"kind": _("活动类型无效")})
    return found


@transaction.atomic
def do_create_series(
    *,
    actor: User | None,
    node: Node,
    name: str,
    kind: EventKind | str,
    year: int,
    per_territory: bool = True,
    description: str = "",
) -> Series:
    """A run of events under one name (一村一年一场戏); its coverage counts the villages under `node`."""
    require(actor, Cap.ACTIVITIES_MANAGE, node)
    series = Series(
        node=node,
        name=(name or "").strip()[:100],
        kind=_kind(kind),
        year=year,
        per_territory=per_territory,
        description=description or "",
    )
    _check_series(series)
    series.save()
    return series


@transaction.atomic
def do_update_series(series: Series, *, actor: User | None, **changes: Any) -> Series:
    series = Series.objects.select_for_update().get(pk=series.pk)
    require(actor, Cap.ACTIVITIES_MANAGE, series.node)
    unknown = set(changes) - SERIES_FIELDS
    if unknown:
        raise ValidationError({field: _("不可修改") for field in sorted(unknown)})
    for field, value in changes.items():
        if field == "kind":
            value = _kind(value)
        elif field == "name":
            value = (value or "").strip()
        setattr(series, field, value)
    _check_series(series)
    if changes:
        series.save(update_fields=[*changes, "updated_at"])
    return series
