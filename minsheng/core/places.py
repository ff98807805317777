"""Map layers for the leaders' cockpit: each domain that has points on the map registers one layer.

    from minsheng.core import places

    places.register(places.Layer(
        code="iot.greenhouses", domain="iot", label=_("智慧大棚"), colour="#1a7f4b",
        points=greenhouse_points,       # (Scope, limit) -> list[Point], read through the domain's scoped managers
    ))

The cockpit draws the grids as the base (no tile server needed) and one toggleable overlay per layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .metrics import Scope


@dataclass(frozen=True)
class Point:
    lat: float
    lng: float
    title: str
    url: str = ""
    #: Drawn in red when the point needs attention (an overdue case, a greenhouse in alarm).
    alert: bool = False


@dataclass(frozen=True)
class Layer:
    code: str
    domain: str
    label: Any
    points: Callable[[Scope, int], list[Point]]
    colour: str = "#1d5fbf"


_registry: dict[str, Layer] = {}


def register(layer: Layer) -> Layer:
    if layer.code.split(".", 1)[0] != layer.domain:
        raise LookupError(f"map layer {layer.code!r} must start with its domain {layer.domain!r}")
    _registry[layer.code] = layer
    return layer


def layers() -> list[Layer]:
    return sorted(_registry.values(), key=lambda layer: layer.code)
