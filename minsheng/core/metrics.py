"""The one metric registry: every figure a page, report or API shows is registered here by the domain that owns it.

A domain app registers its figures when it loads (in its AppConfig.ready() or a `metrics` module it imports
there)::

    from minsheng.core import metrics

    metrics.register(
        metrics.Metric(
            code="mediation.settle_rate",
            name=_("调解成功率"),
            definition=_("调解成功的纠纷 ÷ 调解终结的纠纷（成功 + 不成功）"),
            unit=metrics.Unit.PERCENT,
            domain="mediation",
            compute=settle_rate,          # (Scope) -> int | Decimal | Fraction | None
            rows=settled_disputes,        # (Scope) -> QuerySet of the rows behind the figure, or None
        )
    )

`compute` and `rows` get a `Scope`: the viewer (rows are always read through `visible_to(viewer)`), the period
(whole local days, both ends included) and optionally an org node whose subtree narrows the figure. They must not
re-scope by hand — they use the domain's own scoped managers — and they must not loop over rows in Python.

The registry is the contract between the domains and the leaders' view (insights): insights lists, compares and
drills down through it and never re-implements a domain's query. docs/metrics.md holds each definition in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Model, QuerySet
from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

Value = int | Decimal | Fraction | float | None


class Unit(TextChoices):
    """What a figure counts or measures, said after it (12 件, 3 户). 件 is for cases and other matters handled
    (disputes, petitions, referrals, problems); a count of things has its own word. The newer words carry the
    context "unit", as the same characters mean other things elsewhere (户 is a household record too)."""

    COUNT = "count", _("件")
    ITEMS = "items", pgettext_lazy("unit", "个")
    HOUSEHOLDS = "households", pgettext_lazy("unit", "户")
    ENTERPRISES = "enterprises", pgettext_lazy("unit", "家")
    BATCHES = "batches", pgettext_lazy("unit", "批次")
    COPIES = "copies", pgettext_lazy("unit", "份")
    POINTS = "points", pgettext_lazy("unit", "分")
    PEOPLE = "people", _("人")
    PERSON_TIMES = "person_times", _("人次")
    TIMES = "times", _("次")
    PERCENT = "percent", _("%")
    YUAN = "yuan", _("元")
    WAN_YUAN = "wan_yuan", _("万元")
    HOURS = "hours", _("小时")
    DAYS = "days", _("天")
    MU = "mu", _("亩")
    KG = "kg", _("千克")


@dataclass(frozen=True)
class Scope:
    """Whose figure, over which days, for which part of the org tree."""

    viewer: Any
    start: dt.date
    end: dt.date
    node: Model | None = None

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError("start after end")


@dataclass(frozen=True)
class Metric:
    code: str
    name: Any
    definition: Any
    unit: str
    domain: str
    compute: Callable[[Scope], Value]
    rows: Callable[[Scope], QuerySet[Any]] | None = None
    #: Higher is better (a rate of success) or worse (overdue items); None when neither (a count of visitors).
    higher_is_better: bool | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    #: The page of one row behind the figure (a drill-down link), when the domain has one.
    row_url: Callable[[Any], str] | None = None
    #: The figure for many sibling org nodes at once ({node pk: value}), in a grouped query; without it a ranking
    #: calls `compute` once per node.
    by_node: Callable[[Scope, list[Any]], dict[int, Value]] | None = None

    def get_unit_display(self) -> str:
        """The unit's word (件, 个, 户 …), as a model field's choices would give it."""
        return str(Unit(self.unit).label)


_registry: dict[str, Metric] = {}


class MetricError(LookupError):
    pass


def register(metric: Metric) -> Metric:
    """Add a metric. A code registered twice with a different definition is a programming error, caught at start."""
    if "." not in metric.code or metric.code.split(".", 1)[0] != metric.domain:
        raise MetricError(
            f"metric code {metric.code!r} must start with its domain {metric.domain!r} and a dot"
        )
    if metric.unit not in Unit.values:
        raise MetricError(f"metric {metric.code!r}: unknown unit {metric.unit!r}")
    existing = _registry.get(metric.code)
    if existing is not None and existing != metric:
        raise MetricError(f"metric {metric.code!r} is registered twice")
    _registry[metric.code] = metric
    return metric


def get(code: str) -> Metric:
    try:
        return _registry[code]
    except KeyError:
        raise MetricError(f"unknown metric {code!r}") from None


def all_metrics(domain: str | None = None) -> list[Metric]:
    return sorted(
        (m for m in _registry.values() if domain is None or m.domain == domain),
        key=lambda m: m.code,
    )


def value(code: str, scope: Scope) -> Value:
    return get(code).compute(scope)


def as_number(v: Value) -> float | None:
    """A JSON- and template-friendly number: rates as percentages with one decimal, amounts as floats."""
    if v is None:
        return None
    if isinstance(v, Fraction):
        return round(float(v) * 100, 1)
    return float(v) if isinstance(v, Decimal) else v


# -- computing many figures at once ------------------------------------------------------------------------------

_memo: ContextVar[dict[Any, Any] | None] = ContextVar("metrics_memo", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Within the block, `shared(fn, scope)` runs fn once per scope: a page showing six figures that come from
    one summary query (the cases engine's) runs that query once, not six times."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def shared(fn: Callable[..., Any], scope: Scope, *args: Any) -> Any:
    memo = _memo.get()
    if memo is None:
        return fn(scope, *args)
    key = (fn, scope, args)
    if key not in memo:
        memo[key] = fn(scope, *args)
    return memo[key]


def remember(fn: Callable[..., Any], scope: Scope, value: Any, *args: Any) -> None:
    """Within a batch, record what `shared(fn, scope, *args)` would compute, when another query already gave it
    (a breakdown's groups summed to the whole); outside a batch, nothing."""
    memo = _memo.get()
    if memo is not None:
        memo.setdefault((fn, scope, args), value)


def per_node(
    qs: QuerySet[Any], path_field: str, nodes: list[Any], **aggregates: Any
) -> dict[int, dict[str, Any]]:
    """One grouped query for `by_node`: the aggregates of the rows under each of `nodes` (siblings, one depth, so
    their paths have one length), keyed by node pk; a node without rows is missing."""
    from django.db.models.functions import Substr

    if not nodes:
        return {}
    length = len(nodes[0].path)
    rows = (
        qs.order_by().annotate(_prefix=Substr(path_field, 1, length)).values("_prefix").annotate(**aggregates)
    )
    by_path = {r["_prefix"]: r for r in rows}
    return {n.pk: by_path[n.path] for n in nodes if n.path in by_path}
