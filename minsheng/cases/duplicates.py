"""Likely duplicates on intake, and the places where the same problem keeps coming back (未诉先办).

Candidates are recent cases of the same grid or the same 小区/村 (an indexed query, at most a few hundred rows);
texts are compared as jieba word sets with rapidfuzz's token-set ratio, and the same category earns a bonus.
"""

import datetime as dt
import logging
from dataclasses import dataclass
from functools import lru_cache

import jieba
from django.db.models import Count, Max, Q
from django.db.models.functions import Substr
from rapidfuzz import fuzz

from minsheng.core import clock
from minsheng.org.levels import street_depth
from minsheng.org.models import Node

from .choices import Status
from .models import Case, Category

jieba.setLogLevel(logging.WARNING)

WINDOW_DAYS = 14
THRESHOLD = 55.0
CANDIDATES = 300
_STOP = set("的了在是和与及我们你他她它这那有就都也还很吧呢啊请")


@dataclass(frozen=True)
class Match:
    case: Case
    score: float


@lru_cache(maxsize=4096)
def tokens(text: str) -> str:
    words = [w.strip() for w in jieba.lcut(text or "") if w.strip()]
    return " ".join(w for w in words if w not in _STOP and len(w) > 1 or w.isdigit())


def similarity(a: str, b: str) -> float:
    return fuzz.token_set_ratio(tokens(a), tokens(b))


def _place_filter(node, grid) -> Q:
    place = Q()
    if grid is not None:
        place |= Q(grid=grid)
    if node is not None:
        # the 小区/自然村 (two levels below the 街道) or, above it, the node itself: same estate = same place
        estate_depth = street_depth() + 2
        anchor = node.path[: estate_depth * node.steplen] if node.depth >= estate_depth else node.path
        place |= Q(node__path__startswith=anchor)
    return place


def suggest(
    *,
    description: str,
    node=None,
    grid=None,
    category: Category | None = None,
    exclude=None,
    days: int = WINDOW_DAYS,
) -> list[Match]:
    if node is None and grid is None:
        return []
    since = clock.now() - dt.timedelta(days=days)
    qs = (
        Case.objects.filter(_place_filter(node, grid), reported_at__gte=since)
        .exclude(status__in=[Status.REJECTED, Status.MERGED])
        .select_related("category", "node")
        .order_by("-reported_at")
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    matches = []
    for case in qs[:CANDIDATES]:
        score = similarity(description, case.description)
        if category is not None and case.category_id == category.pk:
            score = min(100.0, score + 10)
        elif category is not None and case.category.path[:4] == category.path[:4]:
            score = min(100.0, score + 5)
        if score >= THRESHOLD:
            matches.append(Match(case, round(score, 1)))
    return sorted(matches, key=lambda m: -m.score)[:5]


def recurring(qs, *, since: dt.datetime, min_count: int = 3, by: str = "grid"):
    """Places × top-level categories with at least `min_count` cases since `since` — one grouped query.

    `by` is "grid" or "estate" (the 小区/自然村 level of the tree). Rows: place id, category path prefix, count, last.
    """
    qs = qs.filter(reported_at__gte=since).exclude(status__in=[Status.REJECTED, Status.MERGED])
    top = Substr("category__path", 1, Category.steplen)
    if by == "grid":
        rows = qs.exclude(grid=None).values("grid", "grid__name").annotate(cat=top)
    else:
        rows = (
            qs.filter(node__depth__gte=street_depth() + 2)
            .annotate(place=Substr("node__path", 1, (street_depth() + 2) * Node.steplen))
            .values("place")
            .annotate(cat=top)
        )
    rows = rows.annotate(n=Count("pk"), last=Max("reported_at")).filter(n__gte=min_count).order_by("-n")
    names = dict(Category.objects.filter(depth=1).values_list("path", "name"))
    result = []
    for row in rows:
        row["category_name"] = names.get(row["cat"], "")
        result.append(row)
    return result
