"""Every figure the appeals engine reports — 受理量, 办结率, 满意率 … — defined once, computed in the database.

The API, the workbench dashboards, the efficiency board (cases.efficiency) and later the reports all read their
numbers here, so "按期办结率" means the same thing on every page. The definitions are written out for users in
docs/metrics.md; this docstring is the programmer's half.

How to call it
--------------
Callers scope first, then narrow, then ask::

    from minsheng.cases import metrics

    qs = Case.objects.visible_to(user)                               # scoping stays the caller's job
    qs = metrics.filter_cases(qs, start=date(2025, 12, 1), end=date(2025, 12, 31), node=community)
    m = metrics.summary(qs)                                          # one Metrics: one SQL query
    m.resolved, m.on_time_rate, m.as_dict()                          # counts are ints, rates Fractions or None
    for row in metrics.breakdown(qs, by="lead_unit"):                # one SQL query (two for "org"/"category")
        row.key, row.label, row.metrics.completion_rate

`by` is one of DIMENSIONS: month, day, org, category, grid, channel, kind, urgency, lead_unit, handler.
For "org" and "category" `depth` picks the tree level to group at (default: 社区/村 and 大类).
`summary(qs, working_hours=True)` and `breakdown(..., working_hours=True)` also give the average handling time in
office hours on the working-day calendar; that costs one more query (grouped by day, see _working_hours) plus
the calendar's read of its override table, still independent of the number of cases. `DEFINITIONS` lists every figure with its Chinese label and
formula, for table headers and tooltips.

The population
--------------
- A period is a cohort by 登记时间 (`reported_at`): "December" is the cases that came in during December, and each
  figure says what has become of them as of `now` (default: core.clock.now()). Every case has a reported_at (the
  rejected and merged ones too), it is indexed, and a case never moves from one period to another as it progresses.
- 并单: a case in status MERGED counts in nothing but `merged`; the case it was merged into stands for the group.
- 不予受理: rejected cases are never accepted, so they are outside 受理量, 应办结 and every rate built on them.
- 应办结 (`due`): accepted cases that are done (办结/归档) or still open and past their finish deadline. Cases still
  within their limit are not yet "due" and do not drag a fresh month's 办结率 down; 挂账 (shelved) cases are 缓办
  and out of it — which is the research formula 按期办结 / (应办结 − 缓办).
- Breakdowns group by the case's current values: its lead unit and handler today, not at each step. A case
  waiting in 退单 belongs to no unit (待派遣) until it is dispatched again. The efficiency board corrects the one
  place where current values mislead: 退单 is charged to the unit that sent the case back.

Every figure is a conditional Count/Sum/Avg over the queryset: no Python loop over cases, ever.
"""

import datetime as dt
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import (
    ExtractHour,
    ExtractMinute,
    ExtractSecond,
    Greatest,
    Least,
    Substr,
    TruncDate,
    TruncMonth,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.core import clock
from minsheng.core.calendar import TZ, WorkCalendar
from minsheng.org.levels import street_depth
from minsheng.org.models import Node

from .choices import DONE_STATES, OPEN_STATES, Channel, Satisfaction, Status, Urgency
from .deadlines import finish_overdue_q, overdue_q
from .models import Case, Category

S = Status

# -- what the figures are ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    key: str
    label: str
    formula: str
    rate: bool = False


#: Every figure, in display order: key (attribute of Metrics), Chinese label, formula (for tooltips and docs).
DEFINITIONS: tuple[Definition, ...] = (
    Definition("reported", gettext_lazy("登记量"), gettext_lazy("期内登记的案件，并单的只计主案")),
    Definition("accepted", gettext_lazy("受理量"), gettext_lazy("其中已受理的案件（不含不予受理）")),
    Definition("rejected", gettext_lazy("不予受理"), gettext_lazy("不予受理的案件")),
    Definition("merged", gettext_lazy("并单"), gettext_lazy("并入其他案件的案件（不计入其他指标）")),
    Definition(
        "due", gettext_lazy("应办结"), gettext_lazy("已办结，或未办结且已过办结时限的已受理案件（挂账除外）")
    ),
    Definition("resolved", gettext_lazy("办结量"), gettext_lazy("已办结或已归档的案件")),
    Definition("completion_rate", gettext_lazy("办结率"), gettext_lazy("办结量 ÷ 应办结"), True),
    Definition("on_time_rate", gettext_lazy("按期办结率"), gettext_lazy("按期办结 ÷ 应办结"), True),
    Definition(
        "first_time_rate",
        gettext_lazy("一次性办结率"),
        gettext_lazy("无退单、返工、重办、重新打开且办结后无重复诉求的办结件 ÷ 办结量"),
        True,
    ),
    Definition("satisfaction_rate", gettext_lazy("满意率"), gettext_lazy("（满意 + 基本满意）÷ 参评"), True),
    Definition("resolution_rate", gettext_lazy("解决率"), gettext_lazy("回访“已解决” ÷ 参评"), True),
    Definition(
        "response_rate", gettext_lazy("响应率"), gettext_lazy("签收时限内签收 ÷ 应签收的派遣件"), True
    ),
    Definition("rework_rate", gettext_lazy("返工率"), gettext_lazy("返工次数 ÷ 办结反馈次数"), True),
    Definition("extension_rate", gettext_lazy("延期率"), gettext_lazy("获批延期的应办结件 ÷ 应办结"), True),
    Definition("handling_hours", gettext_lazy("平均办理时长（小时）"), gettext_lazy("受理至办结，自然小时")),
    Definition(
        "handling_working_hours",
        gettext_lazy("平均办理时长（工作小时）"),
        gettext_lazy("受理至办结，按工作日历的办公时间"),
    ),
    Definition("open", gettext_lazy("在办"), gettext_lazy("尚未办结的案件（含挂账）")),
    Definition("overdue", gettext_lazy("超期"), gettext_lazy("超期未办结 + 超期办结")),
    Definition(
        "overdue_open",
        gettext_lazy("超期未办结"),
        gettext_lazy("承办中已过办结时限，或办结反馈晚于时限且待核查"),
    ),
    Definition("resolved_late", gettext_lazy("超期办结"), gettext_lazy("办结反馈晚于办结时限的办结件")),
    Definition("shelved", gettext_lazy("挂账"), gettext_lazy("挂账中的案件")),
    Definition("awaiting_verification", gettext_lazy("待核查"), gettext_lazy("已办结反馈、尚未核查的案件")),
    Definition("rated", gettext_lazy("参评"), gettext_lazy("回访或自评给出满意度的案件（以最近一次为准）")),
    Definition("unreachable", gettext_lazy("联系不上"), gettext_lazy("办结后回访过但未能给出评价的案件")),
    Definition("returns", gettext_lazy("退单次数"), gettext_lazy("承办单位退回派遣的次数")),
    Definition("reworks", gettext_lazy("返工次数"), gettext_lazy("核查不通过的次数")),
    Definition("redos", gettext_lazy("重办次数"), gettext_lazy("回访不满意后重办的次数")),
    Definition("reopens", gettext_lazy("重新打开次数"), gettext_lazy("办结后重新打开的次数")),
)


def _ratio(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


@dataclass(frozen=True)
class Metrics:
    """The figures for one set of cases. Counts are ints; rates are exact Fractions, None when nothing to rate."""

    reported: int = 0  # 登记量: every case except the merged ones
    merged: int = 0  # 并单: merged into another case
    rejected: int = 0  # 不予受理
    accepted: int = 0  # 受理量
    dispatched: int = 0  # dispatched at least once
    sign_due: int = 0  # 应签收: latest dispatch signed, or its sign limit passed (returned ones excluded)
    signed_on_time: int = 0  # latest dispatch signed within sign_due
    due: int = 0  # 应办结
    resolved: int = 0  # 办结量
    resolved_on_time: int = 0  # 按期办结
    resolved_late: int = 0  # 超期办结
    first_time: int = 0  # 一次性办结
    extended: int = 0  # 应办结 cases with an approved extension
    open: int = 0  # 在办 (including shelved)
    shelved: int = 0  # 挂账
    awaiting_verification: int = 0  # 待核查: replied, not yet verified
    overdue_open: int = 0  # open, not shelved, past finish_due
    rated: int = 0  # 参评
    satisfied: int = 0
    basic: int = 0  # 基本满意
    unsatisfied: int = 0
    solved: int = 0  # 回访“已解决”
    unreachable: int = 0  # done, followed up, no verdict
    returns: int = 0  # 退单 (times)
    reworks: int = 0  # 返工 (times)
    redos: int = 0  # 重办 (times)
    reopens: int = 0  # 重新打开 (times)
    replies: int = 0  # 办结反馈 (times): every reply that was or will be verified
    handling_hours: float | None = None  # average accepted → resolved, in clock hours
    handling_working_hours: float | None = None  # the same in office hours (only when asked for)

    @property
    def overdue(self) -> int:
        return self.overdue_open + self.resolved_late

    @property
    def completion_rate(self) -> Fraction | None:
        return _ratio(self.resolved, self.due)

    @property
    def on_time_rate(self) -> Fraction | None:
        return _ratio(self.resolved_on_time, self.due)

    @property
    def first_time_rate(self) -> Fraction | None:
        return _ratio(self.first_time, self.resolved)

    @property
    def satisfaction_rate(self) -> Fraction | None:
        return _ratio(self.satisfied + self.basic, self.rated)

    @property
    def resolution_rate(self) -> Fraction | None:
        return _ratio(self.solved, self.rated)

    @property
    def response_rate(self) -> Fraction | None:
        return _ratio(self.signed_on_time, self.sign_due)

    @property
    def rework_rate(self) -> Fraction | None:
        return _ratio(self.reworks, self.replies)

    @property
    def extension_rate(self) -> Fraction | None:
        return _ratio(self.extended, self.due)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: counts as ints, rates as floats in 0–1 (4 decimals) or None, hours to 0.1."""
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        out["overdue"] = self.overdue
        for d in DEFINITIONS:
            if d.rate:
                value = getattr(self, d.key)
                out[d.key] = None if value is None else round(float(value), 4)
        for key in ("handling_hours", "handling_working_hours"):
            if out[key] is not None:
                out[key] = round(out[key], 1)
        return out


@dataclass(frozen=True)
class Row:
    """One group of a breakdown: `key` is an id, code, path prefix or date; `label` is what a person reads."""

    key: Any
    label: str
    metrics: Metrics


# -- narrowing -------------------------------------------------------------------------------------------


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=TZ)


def in_period(qs: QuerySet, start=None, end=None) -> QuerySet:
    """Cases registered in the period. Dates are whole local days, both ends included; datetimes are [start, end)."""
    if start is not None:
        if not isinstance(start, dt.datetime):
            start = _local_midnight(start)
        qs = qs.filter(reported_at__gte=start)
    if end is not None:
        if not isinstance(end, dt.datetime):
            end = _local_midnight(end + dt.timedelta(days=1))
        qs = qs.filter(reported_at__lt=end)
    return qs


def filter_cases(
    qs: QuerySet,
    *,
    start=None,
    end=None,
    node=None,
    grid=None,
    category=None,
    channel: str | None = None,
    kind=None,
    urgency: str | None = None,
    lead_unit=None,
    handler=None,
) -> QuerySet:
    """Narrow an already scoped queryset by the dimensions metrics know; `node` and `category` take subtrees."""
    qs = in_period(qs, start, end)
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if category is not None:
        qs = qs.filter(category__path__startswith=category.path)
    for field, value in (
        ("grid", grid),
        ("channel", channel),
        ("kind", kind),
        ("urgency", urgency),
        ("lead_unit", lead_unit),
        ("handler", handler),
    ):
        if value is not None:
            qs = qs.filter(**{field: value})
    return qs


# -- the aggregates ---------------------------------------------------------------------------------------


def _conditions(now: dt.datetime) -> dict[str, Q]:
    """The sets of cases the counts are made of. Every one leaves out merged cases (their group counts once)."""
    live = ~Q(status=S.MERGED)
    done = Q(status__in=DONE_STATES)
    # open past any running deadline (受理, 签收, 办结), or replied too late and awaiting 核查
    overdue_open = overdue_q(now)
    dispatched = live & Q(dispatched_at__isnull=False)
    signed_on_time = Q(signed_at__gte=F("dispatched_at"), signed_at__lte=F("sign_due"))
    # a duplicate that came in after the handler had reported the work done: the problem came back
    # (one uncorrelated set of the cases that came back, hashed once — not a probe per resolved case: a month of a
    # county's cases made that probe most of the month's summary, docs/benchmarks.md)
    repeat = Q(
        pk__in=Case.objects.filter(
            merged_into__isnull=False, reported_at__gte=F("merged_into__replied_at")
        ).values("merged_into_id")
    )
    due = done | finish_overdue_q(now)
    rated = live & ~Q(satisfaction="")
    return {
        "reported": live,
        "merged": Q(status=S.MERGED),
        "rejected": Q(status=S.REJECTED),
        "accepted": live & Q(accepted_at__isnull=False),
        "dispatched": dispatched,
        "sign_due": dispatched
        & ~Q(status=S.RETURNED)
        & (Q(signed_at__gte=F("dispatched_at")) | Q(sign_due__lt=now)),
        "signed_on_time": dispatched & ~Q(status=S.RETURNED) & signed_on_time,
        "due": due,
        "resolved": done,
        "resolved_on_time": done & Q(resolved_on_time=True),
        "resolved_late": done & Q(resolved_on_time=False),
        "first_time": done & Q(return_count=0, rework_count=0, redo_count=0, reopen_count=0) & ~repeat,
        "extended": due & Q(extension_count__gt=0),
        "open": Q(status__in=OPEN_STATES),
        "shelved": Q(status=S.SHELVED),
        "overdue_open": overdue_open,
        "rated": rated,
        "satisfied": rated & Q(satisfaction=Satisfaction.SATISFIED),
        "basic": rated & Q(satisfaction=Satisfaction.BASIC),
        "unsatisfied": rated & Q(satisfaction=Satisfaction.UNSATISFIED),
        "solved": rated & Q(resolved_by_feedback=True),
        "unreachable": done & Q(satisfaction="", followup_attempts__gt=0),
        "awaiting_verification": Q(status=S.REPLIED),
    }


def _aggregates(now: dt.datetime) -> dict[str, Any]:
    live = ~Q(status=S.MERGED)
    aggregates: dict[str, Any] = {
        f"m_{name}": Count("pk", filter=condition) for name, condition in _conditions(now).items()
    }
    aggregates.update(
        m_returns=Sum("return_count", filter=live),
        m_reworks=Sum("rework_count", filter=live),
        m_redos=Sum("redo_count", filter=live),
        m_reopens=Sum("reopen_count", filter=live),
        m_handling=Avg(
            ExpressionWrapper(F("resolved_at") - F("accepted_at"), output_field=DurationField()),
            filter=Q(status__in=DONE_STATES),
        ),
        # the cases m_handling averages over (both moments known): the weight when groups are added up
        m_handled=Count(
            "pk",
            filter=Q(status__in=DONE_STATES, accepted_at__isnull=False, resolved_at__isnull=False),
        ),
    )
    return aggregates


def _metrics(values: dict[str, Any], working_hours: float | None = None) -> Metrics:
    """Build Metrics from one aggregate row (the m_* values)."""
    counts = {
        f.name: values[f"m_{f.name}"] or 0 for f in fields(Metrics) if f.type is int and f.name != "replies"
    }
    # Every reply is verified once: each failed verification is a rework, each pass is undone by a redo or a
    # reopen or still stands (the case is done); a case awaiting verification holds one reply not yet judged.
    replies = sum(counts[k] for k in ("reworks", "redos", "reopens", "resolved", "awaiting_verification"))
    handling = values["m_handling"]  # a timedelta on every backend (DurationField)
    return Metrics(
        **counts,
        replies=replies,
        handling_hours=None if handling is None else handling.total_seconds() / 3600,
        handling_working_hours=working_hours,
    )


def summary(qs: QuerySet, *, now: dt.datetime | None = None, working_hours: bool = False) -> Metrics:
    """All figures for the cases of `qs` (already scoped and narrowed by the caller), in one query."""
    now = now or clock.now()
    values = qs.order_by().aggregate(**_aggregates(now))
    office = _working_hours(qs).get(None) if working_hours else None
    return _metrics(values, office)


# -- breakdowns -------------------------------------------------------------------------------------------

DIMENSIONS: dict[str, str] = {
    "month": gettext_lazy("月份"),
    "day": gettext_lazy("日期"),
    "org": gettext_lazy("区域"),
    "street": gettext_lazy("街道/乡镇"),
    "category": gettext_lazy("分类"),
    "grid": gettext_lazy("网格"),
    "channel": gettext_lazy("来源渠道"),
    "kind": gettext_lazy("案件类型"),
    "urgency": gettext_lazy("紧急程度"),
    "lead_unit": gettext_lazy("主办单位"),
    "handler": gettext_lazy("承办人"),
}
#: The tree level breakdowns by org and by category use when no depth is given: 社区/村 and 大类. The 社区/村 are
#: one level below the 街道, wherever the 街道 sit in the tree (org.levels), so "org" is counted from there.
DEFAULT_DEPTH = {"org": 1, "category": 1}


def _group_expressions(by: str, depth: int | None) -> dict[str, Any]:
    """The key (and, where a join gives it, the label) to group by, as `g_key` / `g_label` expressions."""
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}; choose from {', '.join(DIMENSIONS)}")
    if by == "month":
        return {"g_key": TruncMonth("reported_at", tzinfo=TZ)}
    if by == "day":
        return {"g_key": TruncDate("reported_at", tzinfo=TZ)}
    if by == "street":  # the county's (or city's) comparison of its 街道
        return {"g_key": Substr("node__path", 1, Node.steplen * street_depth())}
    if by in ("org", "category"):
        depth = depth or (DEFAULT_DEPTH[by] + (street_depth() if by == "org" else 0))
        if depth < 1:
            raise ValueError("depth must be >= 1")
        steplen = Node.steplen if by == "org" else Category.steplen
        field = "node__path" if by == "org" else "category__path"
        return {"g_key": Substr(field, 1, steplen * depth)}
    if by in ("channel", "urgency"):
        return {"g_key": F(by)}
    if by == "handler":
        return {
            "g_key": F("handler_id"),
            "g_label": F("handler__display_name"),
            "g_alt": F("handler__username"),
        }
    if by == "lead_unit":
        # a returned case waits for the dispatcher, not for the unit that sent it back
        waiting = Q(status=S.RETURNED)
        return {
            "g_key": models.Case(models.When(waiting, then=Value(None)), default=F("lead_unit_id")),
            "g_label": models.Case(models.When(waiting, then=Value("")), default=F("lead_unit__name")),
        }
    return {"g_key": F(f"{by}_id"), "g_label": F(f"{by}__name")}


_NONE_LABELS = {
    "grid": gettext_lazy("未划网格"),
    "lead_unit": gettext_lazy("待派遣"),
    "handler": gettext_lazy("未指定承办人"),
}


def _labelled(by: str, rows: list[dict]) -> list[tuple[Any, str, dict]]:
    """(key, label, aggregate row) for each group; tree levels need one more query for their names."""
    if by in ("org", "street", "category"):
        model = Node if by in ("org", "street") else Category
        names = dict(model.objects.filter(path__in=[r["g_key"] for r in rows]).values_list("path", "name"))
    choices = {"channel": dict(Channel.choices), "urgency": dict(Urgency.choices)}.get(by, {})
    out = []
    for r in rows:
        key = r["g_key"]
        if by == "month":
            key = timezone.localtime(key, TZ).date() if isinstance(key, dt.datetime) else key
            label = _("%(year)d年%(month)d月") % {"year": key.year, "month": key.month}
        elif by == "day":
            label = key.isoformat()
        elif by in ("org", "street", "category"):
            label = names.get(key, key)
        elif by in ("channel", "urgency"):
            label = str(choices.get(key, key))
        elif key is None:
            label = str(_NONE_LABELS.get(by, "—"))
        else:
            label = r.get("g_label") or r.get("g_alt") or str(key)
        out.append((key, str(label), r))
    return out


def breakdown(
    qs: QuerySet,
    by: str,
    *,
    depth: int | None = None,
    now: dt.datetime | None = None,
    working_hours: bool = False,
) -> list[Row]:
    """The figures per group, one SQL query (plus one for tree names).

    Rows come in key order for time and tree dimensions (months ascending, the tree in its own order) and by
    受理量 descending, then label, for the rest. Groups without any case do not appear.
    """
    now = now or clock.now()
    group = _group_expressions(by, depth)
    rows = list(qs.order_by().values(**group).annotate(**_aggregates(now)))
    office = _working_hours(qs, group["g_key"]) if working_hours else {}
    result = [Row(key, label, _metrics(r, office.get(r["g_key"]))) for key, label, r in _labelled(by, rows)]
    if by in ("month", "day", "org", "street", "category"):
        result.sort(key=lambda row: row.key)
    else:
        result.sort(key=lambda row: (-row.metrics.accepted, row.label))
    return result


# -- handling time in office hours ------------------------------------------------------------------------


def _office_periods() -> list[tuple[int, int]]:
    """The office periods of a workday as (start, length) in seconds after midnight."""
    periods = []
    for a, b in settings.MINSHENG_WORKING_PERIODS:
        start, end = (t.hour * 3600 + t.minute * 60 for t in map(dt.time.fromisoformat, (a, b)))
        periods.append((start, end - start))
    return periods


def _office_seconds(field: str):
    """Seconds of office time between local midnight and the moment, as SQL: Σ clamp(time − start, 0, length)."""
    of_day = (
        ExtractHour(field, tzinfo=TZ) * 3600
        + ExtractMinute(field, tzinfo=TZ) * 60
        + ExtractSecond(field, tzinfo=TZ)
    )
    total = None
    for start, length in _office_periods():
        part = Least(
            Greatest(of_day - Value(start), Value(0), output_field=IntegerField()),
            Value(length),
            output_field=IntegerField(),
        )
        total = part if total is None else total + part
    return ExpressionWrapper(total, output_field=FloatField())


def _working_hours(qs: QuerySet, key=None) -> dict[Any, float | None]:
    """Average office hours from 受理 to 办结 per group (key None: the whole set), without a loop over cases.

    Office time elapsed up to a moment t is W(t) = C(day of t) + office time of that day before t, where C(d) is
    the office time of all workdays before d; a case's handling time is W(resolved) − W(accepted). Summed over
    cases, only per-day counts and per-day sums of "office time before t" are needed — which the database gives
    grouped by day — so Python walks the calendar once per day, never once per case.
    """
    done = qs.order_by().filter(status__in=DONE_STATES, accepted_at__isnull=False, resolved_at__isnull=False)
    key = key if key is not None else Value(None, output_field=IntegerField())
    sides = []
    for sign, field in ((1, "resolved_at"), (-1, "accepted_at")):
        sides.append(
            done.values(g_key=key, g_day=TruncDate(field, tzinfo=TZ), g_sign=Value(sign))
            .annotate(g_n=Count("pk"), g_within=Sum(_office_seconds(field)))
            .values_list("g_key", "g_day", "g_sign", "g_n", "g_within")
        )
    rows = list(sides[0].union(sides[1], all=True))
    if not rows:
        return {}
    cal = WorkCalendar()
    day_length = sum(length for _start, length in _office_periods())
    days = sorted({_as_date(r[1]) for r in rows})
    before: dict[dt.date, float] = {}
    running, day = 0.0, days[0]
    while day <= days[-1]:
        before[day] = running
        running += day_length if cal.is_workday(day) else 0.0
        day += dt.timedelta(days=1)
    totals: dict[Any, float] = {}
    counts: dict[Any, int] = {}
    for g_key, g_day, sign, n, within in rows:
        day = _as_date(g_day)
        seconds = n * before[day] + (float(within or 0) if cal.is_workday(day) else 0.0)
        totals[g_key] = totals.get(g_key, 0.0) + sign * seconds
        if sign == 1:
            counts[g_key] = counts.get(g_key, 0) + n
    return {k: totals[k] / counts[k] / 3600 for k in counts}


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


# -- the registry (core.metrics): what the leaders' view, the reports and the API read ---------------------------

from minsheng.core import metrics as registry  # noqa: E402 - the registry half of this module starts here


def _scoped(scope) -> QuerySet:
    return filter_cases(
        Case.objects.visible_to(scope.viewer), start=scope.start, end=scope.end, node=scope.node
    )


def _summary_of(scope) -> Metrics:
    return summary(_scoped(scope))


def _by_org(scope, depth: int) -> dict[str, Metrics]:
    """The figures per node at `depth`, keyed by path. Every case is under exactly one such node or above them
    (a group of its own, keyed by the shorter path), so the groups add up to the scope's whole: that sum is
    remembered as the scope's summary, and a page that ranks the 社区 and shows the 街道's figures runs one query."""
    aggregates = _aggregates(clock.now())
    rows = list(_scoped(scope).order_by().values(**_group_expressions("org", depth)).annotate(**aggregates))
    registry.remember(_summary_of, scope, _metrics(_sum_rows(rows, aggregates)))
    return {r["g_key"]: _metrics(r) for r in rows}


def _sum_rows(rows: list[dict[str, Any]], aggregates: dict[str, Any]) -> dict[str, Any]:
    """One aggregate row from grouped ones: counts and sums add up, the average handling time is weighted by
    the number of cases each group averaged over (m_handled)."""
    total: dict[str, Any] = {}
    for key in aggregates:
        if key != "m_handling":
            total[key] = sum(r[key] or 0 for r in rows)
    handled = total["m_handled"]
    total["m_handling"] = (
        sum((r["m_handling"] * r["m_handled"] for r in rows if r["m_handled"]), dt.timedelta()) / handled
        if handled
        else None
    )
    return total


def _registered(key: str, rows_key: str | None):
    """(compute, rows, by_node) for one figure of Metrics: compute from the one-query summary, rows from the set,
    by_node from one breakdown by org at the nodes' depth."""

    def compute(scope):
        return getattr(registry.shared(_summary_of, scope), key)

    def rows(scope):
        condition = _conditions(clock.now())[rows_key]
        return _scoped(scope).filter(condition).order_by("-reported_at")

    def by_node(scope, nodes):
        if not nodes:
            return {}
        grouped = registry.shared(_by_org, scope, nodes[0].depth)
        empty = Metrics()  # a node without cases: counts 0, rates None — what compute gives
        return {n.pk: getattr(grouped.get(n.path, empty), key) for n in nodes}

    return compute, (rows if rows_key else None), by_node


#: (Metrics attribute, the set its rows come from, unit, higher is better, tags). Definitions come from DEFINITIONS.
REGISTERED: tuple[tuple[str, str, str, bool | None, tuple[str, ...]], ...] = (
    ("reported", "reported", "count", None, ("headline",)),
    ("accepted", "accepted", "count", None, ()),
    ("resolved", "resolved", "count", True, ("headline",)),
    ("completion_rate", "due", "percent", True, ("headline", "rank")),
    ("on_time_rate", "due", "percent", True, ("headline", "rank")),
    ("first_time_rate", "resolved", "percent", True, ()),
    ("satisfaction_rate", "rated", "percent", True, ("headline", "rank")),
    ("resolution_rate", "rated", "percent", True, ()),
    ("overdue_open", "overdue_open", "count", False, ("headline",)),
)


def register_all() -> None:
    labels = {d.key: d for d in DEFINITIONS}
    for key, rows_key, unit, better, tags in REGISTERED:
        name, definition = labels[key].label, labels[key].formula
        compute, rows, by_node = _registered(key, rows_key)
        registry.register(
            registry.Metric(
                code=f"cases.{key}",
                name=name,
                definition=definition,
                unit=unit,
                domain="cases",
                compute=compute,
                rows=rows,
                higher_is_better=better,
                tags=tags,
                row_url=_case_url,
                by_node=by_node,
            )
        )


def _case_url(case) -> str:
    from django.urls import reverse

    return reverse("cases:detail", args=[case.pk])
