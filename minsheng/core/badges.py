"""Status badges: the five colours the stylesheet has (`.badge-green` …), and the class of the badge for a value.

Each app keeps the colour of every value next to its enum in choices.py (`STATUS_COLOURS = {Status.X: Colour.RED}`),
so a page, a list and a map colour a status alike; views and template tags ask `badge_class` for the class, and a
model may offer it to templates with `BadgeOf`.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class Colour(StrEnum):
    GREEN = "green"
    BLUE = "blue"
    ORANGE = "orange"
    RED = "red"
    GRAY = "gray"


def badge_class(colours: Mapping[Any, Colour], value: object, default: Colour | None = Colour.GRAY) -> str:
    """ "badge-<colour>" of `value` in `colours`, or of `default` when it has none ("" for no badge at all)."""
    colour = colours.get(value, default)
    return f"badge-{colour}" if colour else ""


class BadgeOf:
    """On a model, the badge class of one of its fields for templates: `status_badge = BadgeOf("status",
    STATUS_COLOURS)` lets a template write `<span class="badge {{ sample.status_badge }}">`."""

    def __init__(
        self, field: str, colours: Mapping[Any, Colour], default: Colour | None = Colour.GRAY
    ) -> None:
        self.field, self.colours, self.default = field, colours, default

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return badge_class(self.colours, getattr(obj, self.field), self.default)
