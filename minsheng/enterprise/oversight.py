"""What enterprise services give the leaders' view beyond its figures (registered from EnterpriseConfig.ready()):

- stalled investment projects — a pipeline stage past its time limit (decision 0030) — wait on a leader
  (core.attention). An overdue item of the problem ledger is an overdue case, listed once under the engine's
  超期案件 (cases.overdue), not a second time here (decision 0071);
- on the 效能 board (core.duties), a stage past its limit counts against the project's owner (本阶段负责人), and a
  ledger item handled late counts against the enterprise's 包靠干部, who follows it to 销号. The case engine already
  charges the late case to its lead unit and handler (cases.overdue); this is the cadre's own duty beside it.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minsheng.cases.choices import DONE_STATES, Status
from minsheng.cases.deadlines import overdue_q
from minsheng.cases.models import Case
from minsheng.core import attention, clock, duties
from minsheng.core.metrics import Scope

from .choices import LOSABLE, Stage
from .models import Problem, Project
from .queries import in_node

DOMAIN = "enterprise"


# -- stalled projects -------------------------------------------------------------------------------------------


def stalled_projects(scope: Scope):
    """Projects in a stage with a limit (lead … production) and past it, now."""
    qs = Project.objects.visible_to(scope.viewer).filter(stage__in=LOSABLE, stage_due__lt=clock.now())
    return in_node(qs, scope.node, "node__path")


def stalled_items(scope: Scope, limit: int) -> list[attention.Item]:
    rows = stalled_projects(scope).select_related("node").order_by("stage_due")[:limit]
    return [
        attention.Item(
            title=str(p),
            url=reverse("enterprise:project", args=[p.pk]),
            where=p.node.name,
            since=p.stage_due,
            note=str(Stage(p.stage).label),
        )
        for p in rows
    ]


def stage_overdue_misses(scope: Scope) -> list[duties.Miss]:
    """Projects whose current stage fell due in the period and is still not left, per owner."""
    qs = stalled_projects(scope).filter(stage_due__date__range=(scope.start, scope.end))
    rows = qs.values("owner", "owner__display_name", "owner__username").annotate(n=Count("pk"))
    return [
        duties.Miss(
            duties.PERSON, f"user:{r['owner']}", r["owner__display_name"] or r["owner__username"], r["n"]
        )
        for r in rows
    ]


# -- the problem ledger -----------------------------------------------------------------------------------------


def _problems(scope: Scope):
    return in_node(Problem.objects.visible_to(scope.viewer), scope.node, "enterprise__node__path")


def _late_cases(q: Q):
    """The engine's cases matching `q`, as a subquery the ledger items are filtered by."""
    return Case.objects.filter(q).values("pk")


def late_problem_misses(scope: Scope) -> list[duties.Miss]:
    """Ledger items raised in the period that are overdue now or were finished late, per 包靠干部."""
    late = Q(case__in=_late_cases(overdue_q(clock.now()))) | Q(
        case__status__in=DONE_STATES, case__resolved_on_time=False
    )
    qs = (
        _problems(scope)
        .filter(case__reported_at__date__range=(scope.start, scope.end), enterprise__cadre__isnull=False)
        .filter(late)
        .exclude(case__status__in=(Status.MERGED, Status.SHELVED))
    )
    rows = qs.values(
        "enterprise__cadre", "enterprise__cadre__display_name", "enterprise__cadre__username"
    ).annotate(n=Count("pk"))
    return [
        duties.Miss(
            duties.PERSON,
            f"user:{r['enterprise__cadre']}",
            r["enterprise__cadre__display_name"] or r["enterprise__cadre__username"],
            r["n"],
        )
        for r in rows
    ]


def register_all() -> None:
    attention.register(
        attention.Source(
            code="enterprise.stalled_projects",
            domain=DOMAIN,
            label=_("招商项目阶段超期"),
            count=lambda scope: stalled_projects(scope).count(),
            build=stalled_items,
            severity=attention.Severity.YELLOW,
            list_url_name="enterprise:board",
            order=50,
        )
    )
    duties.register(
        duties.Duty(
            code="enterprise.stage_overdue",
            domain=DOMAIN,
            label=_("招商项目阶段超期"),
            rule=_("本阶段时限在期内届满、至今仍未进入下一阶段的招商项目，记其本阶段负责人"),
            misses=stage_overdue_misses,
        )
    )
    duties.register(
        duties.Duty(
            code="enterprise.problems_late",
            domain=DOMAIN,
            label=_("企业问题超期"),
            rule=_("期内登记的企业问题中超期未办结或超期办结的，记其企业的包靠干部"),
            misses=late_problem_misses,
        )
    )
