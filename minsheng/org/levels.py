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


def root_paths() -> frozenset[str]:
    """The paths of the tree's roots (the one 街道, the county, the city — or several side by side)."""
    from .models import Node

    def load():
        return frozenset(Node.objects.filter(depth=1).values_list("path", flat=True))

    return cached_table("org.root_paths", Node, load)


def covers_tree(paths) -> bool:
    """Whether subtrees at `paths` hold the whole tree: a scope at every root needs no condition on place (the
    county's administrator of a county deployment sees all its cases without the database matching ten million
    rows against the list of every node)."""
    roots = root_paths()
    return bool(roots) and roots <= set(paths)


def top_depth(user, capability: str, default: int = 1) -> int:
    """The depth of the highest node where `user` holds `capability` (1 for the root's people, 2 for a 街道's under
    a county); `default` when he holds it nowhere (docs/decisions/0039)."""
    from .models import Node

    return min((len(p) // Node.steplen for p in user.scope_paths(capability)), default=default)
