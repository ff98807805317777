"""The figures of deliberation and outreach, registered in core.metrics (definitions also in docs/metrics.md).

Each reads through `visible_to(viewer, Cap.DELIBERATION_VIEW)`, narrows to the scope's subtree and period, and counts
in the database.
"""

from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap
from minsheng.core import clock, metrics
from minsheng.core.metrics import Metric, Scope, Unit

from .choices import MeetingStatus, TargetStatus
from .models import Attendance, Item, Meeting, Tally, VisitTarget
from .queries import IS_CASE, SOLVED, day_bounds, in_subtree, overdue_pairs

DOMAIN = "deliberation"


def _meetings(scope: Scope):
    start, end = day_bounds(scope.start, scope.end)
    qs = Meeting.objects.visible_to(scope.viewer, Cap.DELIBERATION_VIEW).filter(
        starts_at__gte=start, starts_at__lt=end
    )
    return in_subtree(qs, scope.node)


def held_rows(scope: Scope):
    return _meetings(scope).filter(status=MeetingStatus.CLOSED)


def held(scope: Scope) -> int:
    return held_rows(scope).count()


def missed_rows(scope: Scope):
    return _meetings(scope).filter(
        series__isnull=False, status=MeetingStatus.SCHEDULED, ends_at__lt=clock.now()
    )


def missed(scope: Scope) -> int:
    return missed_rows(scope).count()


def attendance_rows(scope: Scope):
    return Attendance.objects.filter(meeting__in=held_rows(scope))


def attendance(scope: Scope) -> int:
    signed = attendance_rows(scope).count()
    tallied = Tally.objects.filter(meeting__in=held_rows(scope)).aggregate(n=Sum("count"))["n"] or 0
    return signed + tallied


def items_rows(scope: Scope):
    start, end = day_bounds(scope.start, scope.end)
    qs = Item.objects.visible_to(scope.viewer, Cap.DELIBERATION_VIEW).filter(
        raised_at__gte=start, raised_at__lt=end
    )
    return in_subtree(qs, scope.node)


def items_raised(scope: Scope) -> int:
    return items_rows(scope).count()


def cases_rows(scope: Scope):
    return items_rows(scope).filter(IS_CASE)


def items_cases(scope: Scope) -> int:
    return cases_rows(scope).count()


def solved_rows(scope: Scope):
    return items_rows(scope).filter(SOLVED)


def items_solved(scope: Scope) -> int:
    return solved_rows(scope).count()


def solved_rate(scope: Scope):
    row = items_rows(scope).aggregate(raised=Count("pk"), solved=Count("pk", filter=SOLVED))
    return Fraction(row["solved"], row["raised"]) if row["raised"] else None


def target_rows(scope: Scope):
    qs = VisitTarget.objects.visible_to(scope.viewer, Cap.DELIBERATION_VIEW).filter(
        campaign__starts_on__lte=scope.end, campaign__ends_on__gte=scope.start
    )
    return in_subtree(qs, scope.node, "household__node__path")


def coverage(scope: Scope):
    row = target_rows(scope).aggregate(
        targeted=Count("pk"), visited=Count("pk", filter=Q(status=TargetStatus.VISITED))
    )
    return Fraction(row["visited"], row["targeted"]) if row["targeted"] else None


def _as_of(scope: Scope):
    return min(clock.now(), day_bounds(scope.end, scope.end)[1])


def overdue_rows(scope: Scope):
    return overdue_pairs(scope.viewer, scope.node, _as_of(scope))


def overdue(scope: Scope) -> int:
    return overdue_rows(scope).count()


def register_all() -> None:
    for code, name, definition, unit, compute, rows, better in (
        (
            "meetings_held",
            _("召开议事会议"),
            _("期间内开始、已结束（有纪要和参会人数）的会议场次，按会议类型可分"),
            Unit.TIMES,
            held,
            held_rows,
            True,
        ),
        (
            "meetings_missed",
            _("例会缺开"),
            _("例会中开会时间已过、既未召开也未说明原因取消的场次"),
            Unit.TIMES,
            missed,
            missed_rows,
            False,
        ),
        (
            "attendance",
            _("参会人次"),
            _("期间内已结束会议的签到人数加未逐一签到的各方人数，按参会身份可分"),
            Unit.PERSON_TIMES,
            attendance,
            attendance_rows,
            None,
        ),
        (
            "items_raised",
            _("收集意见建议"),
            _("期间内会议、走访和联户交心中记录的事项（问题诉求和意见建议）"),
            Unit.COUNT,
            items_raised,
            items_rows,
            None,
        ),
        (
            "items_cases",
            _("其中立案"),
            _("上述事项中作为诉求案件立案跟踪的"),
            Unit.COUNT,
            items_cases,
            cases_rows,
            None,
        ),
        (
            "items_solved",
            _("其中已解决"),
            _("上述事项中案件已办结（现为已办结或已归档）且从未被重新打开的"),
            Unit.COUNT,
            items_solved,
            solved_rows,
            True,
        ),
        (
            "items_solved_rate",
            _("事项解决率"),
            _("已解决事项 ÷ 收集的全部事项（意见建议计入分母）"),
            Unit.PERCENT,
            solved_rate,
            solved_rows,
            True,
        ),
        (
            "visit_coverage",
            _("走访覆盖率"),
            _("与期间重叠的走访活动中已走访（见到住户）的户 ÷ 目标户"),
            Unit.PERCENT,
            coverage,
            target_rows,
            True,
        ),
        (
            "linked_overdue",
            _("联户超期未联系"),
            _("党员联系户中，期末（或今天）距上次联系已超过该党员联系周期（默认30天）或从未联系的户次"),
            Unit.HOUSEHOLDS,
            overdue,
            overdue_rows,
            False,
        ),
    ):
        metrics.register(
            Metric(
                code=f"{DOMAIN}.{code}",
                name=name,
                definition=definition,
                unit=unit,
                domain=DOMAIN,
                compute=compute,
                rows=rows,
                higher_is_better=better,
            )
        )


def register_oversight() -> None:
    """Missed meetings wait on a leader (core.attention) and count against the community (core.duties)."""
    from django.urls import reverse

    from minsheng.core import attention, duties

    def missed_items(scope, limit):
        return [
            attention.Item(
                title=str(m),
                url=reverse("deliberation:meeting", args=[m.pk]),
                where=m.node.name,
                since=m.starts_at,
            )
            for m in missed_rows(scope).select_related("node").order_by("-starts_at")[:limit]
        ]

    def missed_by_node(scope):
        rows = missed_rows(scope).values("node", "node__name", "node__path").annotate(n=Count("pk"))
        return [
            duties.Miss(duties.UNIT, f"org.node:{r['node']}", r["node__name"], r["n"], r["node__path"])
            for r in rows
        ]

    attention.register(
        attention.Source(
            code="deliberation.meetings_missed",
            domain=DOMAIN,
            label=_("例会缺开"),
            count=missed,
            build=missed_items,
            list_url_name="deliberation:meetings",
            order=40,
        )
    )
    duties.register(
        duties.Duty(
            code="deliberation.meetings_missed",
            domain=DOMAIN,
            label=_("例会缺开"),
            rule=_("期内例会开会时间已过、既未召开也未取消的场次，记其所在社区/村"),
            misses=missed_by_node,
        )
    )
