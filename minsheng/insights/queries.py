"""The leaders' view's reads, all through the core registries (metrics, attention, duties) — never a domain's table.

Domains registered later appear here without a change: figures group by `Metric.domain`, the cockpit's headline
figures are the metrics tagged "headline", the ranking the ones tagged "rank".
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.core import attention, clock, duties, metrics
from minsheng.core.metrics import Metric, Scope
from minsheng.org import levels
from minsheng.org.models import Node

from .periods import Period


def domain_label(domain: str) -> str:
    try:
        return str(apps.get_app_config(domain).verbose_name)
    except LookupError:
        return domain


def by_domain(items: list[Metric]) -> list[tuple[str, str, list[Metric]]]:
    groups: dict[str, list[Metric]] = defaultdict(list)
    for m in items:
        groups[m.domain].append(m)
    order = {config.label: i for i, config in enumerate(apps.get_app_configs())}
    return [(d, domain_label(d), groups[d]) for d in sorted(groups, key=lambda d: (order.get(d, 999), d))]


def display(metric: Metric, value: Any) -> str:
    """A value as a person reads it: rates as 97.5%, amounts with their unit."""
    number = metrics.as_number(value)
    if number is None:
        return "—"
    if metric.unit == metrics.Unit.PERCENT:
        return f"{number:.1f}%"
    if isinstance(number, float) and not number.is_integer():
        return f"{number:,.2f}"
    return f"{int(number):,}"


@dataclass
class Figure:
    metric: Metric
    value: Any
    previous: Any = None
    text: str = ""
    previous_text: str = ""
    trend: str = ""  # "up", "down" or ""
    good: bool | None = None

    @property
    def unit_label(self) -> str:
        return "" if self.metric.unit == metrics.Unit.PERCENT else str(metrics.Unit(self.metric.unit).label)


#: How long the figure of a period that has ended is kept for the comparison beside this period's (decision 0080);
#: settings.MINSHENG_INSIGHTS_ENDED_SECONDS overrides, 0 computes it every time.
ENDED_SECONDS = 300
_MISSING = object()


def ended_value(metric: Metric, viewer, period: Period, node=None) -> Any:
    """The metric over a period that has ended, computed once per viewer, node and period for ENDED_SECONDS: the
    cockpit compares every headline figure with the period before, and that figure moves only when an old case is
    closed or rated — not worth half of every load's queries. A period still running is always computed."""
    scope = Scope(viewer, period.start, period.end, node)
    seconds = getattr(settings, "MINSHENG_INSIGHTS_ENDED_SECONDS", ENDED_SECONDS)
    if not seconds or period.end >= clock.today() or viewer is None or viewer.pk is None:
        return metric.compute(scope)
    key = f"insights:ended:{viewer.pk}:{metric.code}:{period.start}:{period.end}:{node.pk if node else ''}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = metric.compute(scope)
        cache.set(key, value, seconds)
    return value


def figure(metric: Metric, viewer, period: Period, node=None, compare: bool = True) -> Figure:
    value = metric.compute(Scope(viewer, period.start, period.end, node))
    f = Figure(metric, value, text=display(metric, value))
    if compare:
        f.previous = ended_value(metric, viewer, period.previous(), node)
        f.previous_text = display(metric, f.previous)
        a, b = metrics.as_number(value), metrics.as_number(f.previous)
        if a is not None and b is not None and a != b:
            f.trend = "up" if a > b else "down"
            if metric.higher_is_better is not None:
                f.good = (a > b) == metric.higher_is_better
    return f


#: How many figures stand for a domain that tagged none as "headline".
UNTAGGED_HEADLINE = 4


def headline_metrics() -> list[Metric]:
    """The figures tagged "headline"; a domain that tagged none is shown by its first few, so a domain merged
    later is on the cockpit from its first registered figure."""
    chosen = []
    for _domain, _label, ms in by_domain(metrics.all_metrics()):
        tagged = [m for m in ms if "headline" in m.tags]
        chosen += tagged or ms[:UNTAGGED_HEADLINE]
    return chosen


def headline(viewer, period: Period, node=None) -> list[tuple[str, str, list[Figure]]]:
    return [
        (d, label, [figure(m, viewer, period, node) for m in ms])
        for d, label, ms in by_domain(headline_metrics())
    ]


@dataclass
class Waiting:
    source: attention.Source
    count: int | str  # "999+" past the badge cap
    items: list[attention.Item] = field(default_factory=list)


def waiting(viewer, period: Period, node=None, limit: int = 5) -> list[Waiting]:
    """Every registered source's count and first items; a source the viewer may not read is left out."""
    scope = Scope(viewer, period.start, period.end, node)
    out = []
    for source in attention.sources():
        n = source.count(scope)
        if n:
            out.append(Waiting(source, n, source.build(scope, limit) if limit else []))
    return out


def top_depth(viewer) -> int:
    """The depth of the highest node the viewer's leaders' view reaches: 1 for the root's people, 2 for a 街道's
    under a county (docs/decisions/0039)."""
    return levels.top_depth(viewer, Cap.INSIGHTS_VIEW)


def communities(viewer, node=None):
    """The level the ranking compares: the level under the viewer's (or the chosen) node — the 社区/村 of a 街道,
    the 街道 of a county."""
    qs = Node.objects.visible_to(viewer, Cap.INSIGHTS_VIEW)
    if node is not None:
        qs = qs.filter(path__startswith=node.path, depth=node.depth + 1)
    else:
        qs = qs.filter(depth=top_depth(viewer) + 1)
    return list(qs.order_by("path"))


def ranking(viewer, period: Period, node=None) -> tuple[list[Metric], list[dict]]:
    chosen = [
        m for _d, _l, ms in by_domain([m for m in metrics.all_metrics() if "rank" in m.tags]) for m in ms
    ]
    nodes = communities(viewer, node)
    scope = Scope(viewer, period.start, period.end, node)
    grouped = {m.code: m.by_node(scope, nodes) for m in chosen if m.by_node is not None}
    rows = []
    for community in nodes:
        values = []
        for m in chosen:
            if m.code in grouped:
                v = grouped[m.code].get(community.pk)
                values.append(Figure(m, v, text=display(m, v)))
            else:
                values.append(figure(m, viewer, period, community, compare=False))
        rows.append({"node": community, "figures": values})
    # Rank by the first figure (in domain order) that any community has a value for.
    chosen_order = [m for _d, _l, ms in by_domain(chosen) for m in ms]
    position = {m.code: i for i, m in enumerate(chosen)}
    for m in chosen_order:
        i = position[m.code]
        if any(r["figures"][i].value is not None for r in rows):
            better = m.higher_is_better is not False
            rows.sort(key=lambda r: _rank_key(r["figures"][i].value, better))
            break
    return chosen, rows


def _rank_key(value, higher_is_better: bool) -> tuple[int, float]:
    number = metrics.as_number(value)
    if number is None:
        return (1, 0.0)
    return (0, -number if higher_is_better else number)


# -- 效能 across all work ---------------------------------------------------------------------------------------

#: The card rules (settings.MINSHENG_INSIGHTS_CARDS may override any key): weighted misses over the period.
DEFAULT_CARDS = {"yellow": 3, "red": 6}


def card_rules() -> dict[str, int]:
    return {**DEFAULT_CARDS, **(getattr(settings, "MINSHENG_INSIGHTS_CARDS", None) or {})}


@dataclass
class Record:
    kind: str
    key: str
    label: str
    path: str = ""
    by_duty: dict[str, int] = field(default_factory=dict)
    score: int = 0
    card: str = ""

    @property
    def card_label(self) -> str:
        return {"red": _("红牌"), "yellow": _("黄牌")}.get(self.card, "")


def board(viewer, period: Period, node=None, *, only_user=None) -> tuple[list[duties.Duty], list[Record]]:
    """Every holder with a registered duty missed in the period, worst first, with a card by the rules above.
    `only_user` keeps the one person's own record (what a cadre without insights.view sees)."""
    scope = Scope(viewer, period.start, period.end, node)
    rules = card_rules()
    records: dict[tuple[str, str], Record] = {}
    registered = duties.all_duties()
    for duty in registered:
        for miss in duty.misses(scope):
            rec = records.setdefault(
                (miss.holder_kind, miss.holder_key),
                Record(miss.holder_kind, miss.holder_key, miss.holder_label, miss.path),
            )
            rec.by_duty[duty.code] = rec.by_duty.get(duty.code, 0) + miss.count
            rec.score += miss.count * duty.weight
    out = list(records.values())
    if only_user is not None:
        out = [r for r in out if r.key == f"user:{only_user.pk}"]
    for r in out:
        r.card = "red" if r.score >= rules["red"] else "yellow" if r.score >= rules["yellow"] else ""
    out.sort(key=lambda r: (-r.score, r.label))
    return registered, out


# -- the map ----------------------------------------------------------------------------------------------------

MAP_POINTS = 500


def map_data(viewer, period: Period, node=None, *, titled: bool = True) -> dict[str, Any]:
    """The grids as the base and every registered layer's points, for the cockpit's map (json_script); not
    `titled` (the big screen): the points are dots, without the title and link of the case or place behind them."""
    from minsheng.core import places
    from minsheng.org.models import Grid

    grids = Grid.objects.visible_to(viewer, Cap.ORG_VIEW).filter(boundary__isnull=False)
    if node is not None:
        grids = grids.filter(community__path__startswith=node.path)
    scope = Scope(viewer, period.start, period.end, node)
    layers = []
    for layer in places.layers():
        points = layer.points(scope, MAP_POINTS)
        layers.append(
            {
                "label": str(layer.label),
                "colour": layer.colour,
                "points": [
                    {
                        "lat": p.lat,
                        "lng": p.lng,
                        "title": p.title if titled else "",
                        "url": p.url if titled else "",
                        "alert": p.alert,
                    }
                    for p in points
                ],
            }
        )
    return {
        "grids": [{"name": g.name, "geometry": g.boundary} for g in grids.only("name", "boundary")[:300]],
        "layers": layers,
    }


def board_trend(viewer, period: Period, node=None, count: int = 6) -> list[tuple[str, int, int, int]]:
    """The board over this and the previous periods: (period, holders with misses, yellow cards, red cards)."""
    out = []
    p = period
    for _i in range(count):
        _duties, records = board(viewer, p, node)
        out.append(
            (
                p.label,
                len(records),
                sum(r.card == "yellow" for r in records),
                sum(r.card == "red" for r in records),
            )
        )
        p = p.previous()
    out.reverse()
    return out
