"""效能: the board that shows, per unit and per handler, who lets cases run late or hands back work — with yellow
and red cards, the article's tool against 庸懒散拖 (sloth, laxity, slackness and delay).

    from minsheng.cases import efficiency, metrics

    qs = metrics.in_period(Case.objects.visible_to(user), start, end)   # the caller scopes and picks the period
    for row in efficiency.board(qs, by="lead_unit"):                      # or by="handler"; three queries at most
        row.label, row.card, row.reasons, row.overdue, row.on_time_rate, row.returns, row.reworks
        row.as_dict()                                                     # JSON-ready, for the API

Every figure comes from cases.metrics (the same definitions as everywhere else) with one correction: 退单 is charged
to the unit and the person who sent the case back, read from the return events — the case's own counter would
charge it to the unit that received the case afterwards, the opposite of the truth. 返工 (failed verification)
stays with the case's current unit and handler, who did the work that failed.

Cards (thresholds in DEFAULT_CARDS, overridable key by key with settings.MINSHENG_EFFICIENCY_CARDS):
- 黄牌 when 超期 (overdue open + resolved late) ≥ yellow_overdue and ≥ yellow_overdue_rate of the row's cases, or
  退单 + 返工 ≥ yellow_sent_back and ≥ yellow_sent_back_rate of its cases;
- 红牌 when 超期 ≥ red_overdue and ≥ red_overdue_rate of its cases, or 按期办结率 < red_on_time_rate with at least
  red_min_due cases 应办结.
A row carries every rule it broke as a Chinese sentence, so the board can say why.
"""

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, QuerySet, TextChoices
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import metrics
from .choices import Status
from .models import CaseEvent, Unit

#: The card thresholds; settings.MINSHENG_EFFICIENCY_CARDS may override any of them.
DEFAULT_CARDS: dict[str, float] = {
    "yellow_overdue": 2,  # 超期 ≥ 2 件 → 黄牌
    "yellow_sent_back": 3,  # 退单 + 返工 ≥ 3 次 → 黄牌
    "red_overdue": 4,  # 超期 ≥ 4 件 → 红牌
    "red_on_time_rate": 0.6,  # 按期办结率低于 60 % …
    "red_min_due": 5,  # … 且应办结 ≥ 5 件 → 红牌
    # Share of the row's own cases: a unit with 400 cases a year and 4 late is doing well, one with 8 and 4 is not.
    # Calibrated against the demo's two years (decision 0042 and docs/metrics.md): about one unit in ten earns a
    # card, which is what a leader can act on.
    "yellow_overdue_rate": 0.05,  # 超期 ≥ 5 % of its cases (and ≥ yellow_overdue) → 黄牌
    "red_overdue_rate": 0.10,  # 超期 ≥ 10 % of its cases (and ≥ red_overdue) → 红牌
    "yellow_sent_back_rate": 0.05,  # 退单 + 返工 ≥ 5 % of its cases (and ≥ yellow_sent_back) → 黄牌
}

BOARDS = ("lead_unit", "handler")


class Card(TextChoices):
    NONE = "", gettext_lazy("无")
    YELLOW = "yellow", gettext_lazy("黄牌")
    RED = "red", gettext_lazy("红牌")


def card_rules() -> dict[str, float]:
    """The thresholds in force: the defaults with the settings' overrides on top (unknown keys are an error)."""
    overrides = getattr(settings, "MINSHENG_EFFICIENCY_CARDS", None) or {}
    unknown = sorted(set(overrides) - set(DEFAULT_CARDS))
    if unknown:
        raise ImproperlyConfigured(
            f"MINSHENG_EFFICIENCY_CARDS: unknown keys {', '.join(unknown)}; known: {', '.join(DEFAULT_CARDS)}"
        )
    return {**DEFAULT_CARDS, **overrides}


def _percent(value) -> str:
    return f"{float(value) * 100:.0f}%"


@dataclass(frozen=True)
class BoardRow:
    """One unit or one handler. `metrics` has every figure; `returns` is the event-attributed 退单 count."""

    key: Any
    label: str
    metrics: metrics.Metrics
    returns: int = 0
    card: str = Card.NONE
    reasons: tuple[str, ...] = field(default=())

    @property
    def open(self) -> int:
        return self.metrics.open

    @property
    def overdue(self) -> int:
        return self.metrics.overdue

    @property
    def reworks(self) -> int:
        return self.metrics.reworks

    @property
    def sent_back(self) -> int:
        return self.returns + self.metrics.reworks

    @property
    def on_time_rate(self) -> Fraction | None:
        return self.metrics.on_time_rate

    @property
    def satisfaction_rate(self) -> Fraction | None:
        return self.metrics.satisfaction_rate

    def as_dict(self) -> dict[str, Any]:
        m = self.metrics
        return {
            "key": self.key,
            "label": self.label,
            "card": self.card,
            "card_label": str(Card(self.card).label),
            "reasons": list(self.reasons),
            "accepted": m.accepted,
            "open": m.open,
            "due": m.due,
            "resolved": m.resolved,
            "overdue": m.overdue,
            "overdue_open": m.overdue_open,
            "resolved_late": m.resolved_late,
            "on_time_rate": None if m.on_time_rate is None else round(float(m.on_time_rate), 4),
            "rated": m.rated,
            "satisfaction_rate": None
            if m.satisfaction_rate is None
            else round(float(m.satisfaction_rate), 4),
            "returns": self.returns,
            "reworks": m.reworks,
            "redos": m.redos,
        }


def judge(m: metrics.Metrics, returns: int, rules: dict[str, float]) -> tuple[str, tuple[str, ...]]:
    """The card earned by these figures, and every rule broken (red rules first)."""
    red, yellow = [], []
    overdue, sent_back, rate = m.overdue, returns + m.reworks, m.on_time_rate
    cases = m.reported or 0
    # a row without cases of its own (only returns charged to it) is judged on the counts alone
    overdue_share = Fraction(overdue, cases) if cases else Fraction(1)
    sent_back_share = Fraction(sent_back, cases) if cases else Fraction(1)
    share = _percent(overdue_share) if cases else "—"
    if overdue >= rules["red_overdue"] and overdue_share >= Fraction(str(rules["red_overdue_rate"])):
        red.append(
            _("超期 %(n)d 件，占 %(share)s（红牌线 %(limit)d 件且 %(rate)s）")
            % {
                "n": overdue,
                "share": share,
                "limit": rules["red_overdue"],
                "rate": _percent(rules["red_overdue_rate"]),
            }
        )
    elif overdue >= rules["yellow_overdue"] and overdue_share >= Fraction(str(rules["yellow_overdue_rate"])):
        yellow.append(
            _("超期 %(n)d 件，占 %(share)s（黄牌线 %(limit)d 件且 %(rate)s）")
            % {
                "n": overdue,
                "share": share,
                "limit": rules["yellow_overdue"],
                "rate": _percent(rules["yellow_overdue_rate"]),
            }
        )
    limit = Fraction(str(rules["red_on_time_rate"]))
    if m.due >= rules["red_min_due"] and rate is not None and rate < limit:
        red.append(
            _("按期办结率 %(rate)s，低于 %(limit)s（应办结 %(n)d 件）")
            % {"rate": _percent(rate), "limit": _percent(limit), "n": m.due}
        )
    if sent_back >= rules["yellow_sent_back"] and sent_back_share >= Fraction(
        str(rules["yellow_sent_back_rate"])
    ):
        yellow.append(
            _("退单 %(returns)d 次、返工 %(reworks)d 次（黄牌线合计 %(limit)d 次）")
            % {"returns": returns, "reworks": m.reworks, "limit": rules["yellow_sent_back"]}
        )
    card = Card.RED if red else Card.YELLOW if yellow else Card.NONE
    return card, tuple(red + yellow)


def _returns(qs: QuerySet, by: str) -> dict[Any, tuple[str, int]]:
    """退单 per unit or person who sent the case back: {key: (label, count)}, from the return events.

    Only cases with a return are looked at, so the events table is reached through its case index.
    """
    cases = qs.order_by().exclude(status=Status.MERGED).filter(return_count__gt=0).values("pk")
    events = CaseEvent.objects.filter(verb="return", case__in=cases).order_by()
    if by == "handler":
        rows = events.values_list("actor_id", "actor__display_name", "actor__username").annotate(
            n=Count("pk")
        )
        return {pk: (name or username, n) for pk, name, username, n in rows if pk is not None}
    rows = events.values(unit_name=KT("extra__unit")).annotate(n=Count("pk")).values_list("unit_name", "n")
    by_name = {name: n for name, n in rows if name}
    if not by_name:
        return {}
    units = Unit.objects.filter(name__in=by_name).values_list("name", "pk")
    return {pk: (name, by_name[name]) for name, pk in units}


def board(
    qs: QuerySet,
    *,
    by: str = "lead_unit",
    now: dt.datetime | None = None,
    rules: dict[str, float] | None = None,
) -> list[BoardRow]:
    """The efficiency board for the cases of `qs` (scoped and narrowed by the caller), per unit or per handler.

    Red rows first, then yellow, then the rest, each by 超期 and by 退单 + 返工 descending.
    """
    if by not in BOARDS:
        raise ValueError(f"unknown board {by!r}; choose from {', '.join(BOARDS)}")
    rules = rules or card_rules()
    breakdown = metrics.breakdown(qs, by=by, now=now)
    figures = {row.key: row for row in breakdown if row.key is not None}
    returns = _returns(qs, by)
    rows = []
    for key in figures.keys() | returns.keys():
        label, n = returns.get(key, ("", 0))
        m = figures[key].metrics if key in figures else metrics.Metrics()
        card, reasons = judge(m, n, rules)
        rows.append(BoardRow(key, figures[key].label if key in figures else label, m, n, card, reasons))
    # Cases no unit holds (登记 past the 受理时限, sent back and not yet redispatched) answer to the desk that
    # accepts and dispatches: one row, so they count.
    unassigned = next((row for row in breakdown if row.key is None), None)
    if by == "lead_unit" and unassigned is not None and unassigned.metrics.overdue:
        card, reasons = judge(unassigned.metrics, 0, rules)
        rows.append(BoardRow(None, _("未派遣（受理、派遣环节）"), unassigned.metrics, 0, card, reasons))
    severity = {Card.RED: 0, Card.YELLOW: 1, Card.NONE: 2}
    rows.sort(key=lambda r: (severity[r.card], -r.overdue, -r.sent_back, r.label))
    return rows
