"""Status badges: the five colours the stylesheet has (`.badge-green` …), and the class of the badge for a value.

Each app keeps the colour of every value next to its enum in choices.py (`STATUS_COLOURS = {Status.X: Colour.RED}`),
so a page, a list and a map colour a status alike; views and template tags ask `badge_class` for the class.
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
