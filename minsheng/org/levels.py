"""Where the 街道 sit in this deployment's tree: at the root (one 街道, the embedded default), under a county, or
under a county under a city. Code that means "the 社区/村 level" or "the 小区 level" counts from here instead of
from the root (docs/decisions/0039-county-and-city-levels.md)."""

from django.db.models import Min

from minsheng.core.tablecache import cached_table

from .choices import NodeKind


def street_depth() -> int:
    """The tree depth of the 街道 (1 when a 街道 is the root, 2 under a county, 3 under a city)."""
    from .models import Node

    def load():
        return Node.objects.filter(kind=NodeKind.STREET).aggregate(d=Min("depth"))["d"] or 1

    return cached_table("org.street_depth", Node, load)


def street_path(path: str) -> str:
    """The path of the 街道 a node with this path lies in (the path itself above that level)."""
    from .models import Node

    return path[: street_depth() * Node.steplen]
