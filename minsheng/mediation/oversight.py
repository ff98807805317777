"""What the centre gives the leaders' view beyond its figures: high-risk disputes still being mediated and the
communities/villages that missed a weekly screening report wait on a leader (core.attention); a missed weekly report
counts against the community/village on the 效能 board (core.duties). Registered from MediationConfig.ready().

A week is due from each community and village the viewer oversees (`queries.reporting_nodes`) and belongs to the
period its Monday falls in; it is missed once it is over (its Sunday has passed) with no report, zero reports
included as reports (decision 0029: 一周一排查、一周一上报). The cycle starts with the first report the viewer can see:
a street that has not begun weekly screening on the platform is not charged for the weeks before (decision 0058).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.core import attention, clock, duties
from minsheng.core.calendar import TZ
from minsheng.core.metrics import Scope

from .choices import Outcome, RiskGrade
from .models import Dispute, WeeklyReport
from .queries import reporting_nodes

DOMAIN = "mediation"


# -- high-risk disputes -----------------------------------------------------------------------------------------


def high_risk_disputes(scope: Scope):
    """高风险 disputes still being mediated, now (the period does not narrow them: they wait until they end)."""
    qs = Dispute.objects.visible_to(scope.viewer).filter(risk=RiskGrade.HIGH, outcome=Outcome.PENDING)
    if scope.node is not None:
        qs = qs.filter(node__path__startswith=scope.node.path)
    return qs


def high_risk_items(scope: Scope, limit: int) -> list[attention.Item]:
    rows = high_risk_disputes(scope).select_related("case", "node").order_by("accepted_at")[:limit]
    return [
        attention.Item(
            title=str(d),
            url=reverse("mediation:dispute", args=[d.pk]),
            where=d.node.name,
            since=d.accepted_at,
            note=_("%(n)d人") % {"n": d.people},
        )
        for d in rows
    ]


# -- weekly reports ---------------------------------------------------------------------------------------------


def due_weeks(scope: Scope) -> list[dt.date]:
    """The Mondays of the period whose week is over by today."""
    today = timezone.localtime(clock.now(), TZ).date()
    monday = scope.start + dt.timedelta(days=(7 - scope.start.weekday()) % 7)
    weeks = []
    while monday <= scope.end and monday + dt.timedelta(days=7) <= today:
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class Missed:
    node_id: int
    name: str
    path: str
    weeks: int


def missed_reports(scope: Scope) -> list[Missed]:
    """Per community/village of the viewer's scope, the weeks of the period it did not report (worst first). Two
    queries whatever the period: the expected places, and their reports counted per place."""
    first = WeeklyReport.objects.visible_to(scope.viewer).aggregate(first=Min("week"))["first"]
    weeks = [w for w in due_weeks(scope) if first is not None and w >= first]
    if not weeks:
        return []
    nodes = reporting_nodes(scope.viewer)
    if scope.node is not None:
        nodes = nodes.filter(path__startswith=scope.node.path)
    reported = (
        WeeklyReport.objects.visible_to(scope.viewer)
        .filter(week__in=weeks, node__in=nodes)
        .values("node")
        .annotate(n=Count("pk"))
    )
    counts = {r["node"]: r["n"] for r in reported}
    out = []
    for pk, name, path in nodes.order_by("path").values_list("pk", "name", "path"):
        missed = len(weeks) - counts.get(pk, 0)
        if missed > 0:
            out.append(Missed(pk, name, path, missed))
    out.sort(key=lambda m: (-m.weeks, m.path))
    return out


def missed_items(scope: Scope, limit: int) -> list[attention.Item]:
    url = reverse("mediation:analysis")
    return [
        attention.Item(
            title=m.name,
            url=url,
            where=m.name,
            note=_("%(n)d周未上报") % {"n": m.weeks},
        )
        for m in missed_reports(scope)[:limit]
    ]


def missed_misses(scope: Scope) -> list[duties.Miss]:
    return [
        duties.Miss(duties.UNIT, f"org.node:{m.node_id}", m.name, m.weeks, m.path)
        for m in missed_reports(scope)
    ]


def register_all() -> None:
    attention.register(
        attention.Source(
            code="mediation.high_risk",
            domain=DOMAIN,
            label=gettext_lazy("高风险矛盾纠纷"),
            count=lambda scope: high_risk_disputes(scope).count(),
            build=high_risk_items,
            severity=attention.Severity.RED,
            list_url_name="mediation:disputes",
            order=35,
        )
    )
    attention.register(
        attention.Source(
            code="mediation.weekly_missed",
            domain=DOMAIN,
            label=gettext_lazy("排查周报未上报"),
            count=lambda scope: len(missed_reports(scope)),
            build=missed_items,
            severity=attention.Severity.YELLOW,
            list_url_name="mediation:analysis",
            order=41,
        )
    )
    duties.register(
        duties.Duty(
            code="mediation.weekly_missed",
            domain=DOMAIN,
            label=gettext_lazy("排查周报未上报"),
            rule=gettext_lazy(
                "期内（按周一所在日期）已结束的周次中未上报排查（含零报告）的，每周记其社区/村一次"
            ),
            misses=missed_misses,
        )
    )
