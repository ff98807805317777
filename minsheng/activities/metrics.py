"""The activities domain's figures, registered in the one metric registry (core.metrics) when the app loads.

Every figure reads rows through `visible_to(viewer, Cap.ACTIVITIES_VIEW)`, narrows to the scope's node subtree and
period (whole local days), and aggregates in the database. Definitions in words: docs/metrics.md, section 活动与志愿.
"""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap
from minsheng.core import metrics as registry

from .choices import EventStatus, RecordSource, RecordStatus, ReportStatus, TransferReason
from .models import CheckIn, DualMember, DualUnit, Event, PointMovement, ServiceRecord, Volunteer


def bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _under(qs, scope, field: str):
    return qs.filter(**{f"{field}__startswith": scope.node.path}) if scope.node is not None else qs


# -- rows -----------------------------------------------------------------------------------------------------


def events(scope):
    """Events held in the period: published or closed (cancelled ones and drafts did not happen)."""
    lo, hi = bounds(scope.start, scope.end)
    qs = Event.objects.visible_to(scope.viewer, Cap.ACTIVITIES_VIEW).filter(
        start__gte=lo, start__lt=hi, status__in=[EventStatus.PUBLISHED, EventStatus.CLOSED]
    )
    return _under(qs, scope, "node__path").select_related("kind", "venue", "node")


def checkins(scope):
    lo, hi = bounds(scope.start, scope.end)
    qs = CheckIn.objects.visible_to(scope.viewer, Cap.ACTIVITIES_VIEW).filter(
        checked_in_at__gte=lo, checked_in_at__lt=hi
    )
    return _under(qs, scope, "event__node__path")


def confirmed_records(scope):
    qs = ServiceRecord.objects.visible_to(scope.viewer, Cap.ACTIVITIES_VIEW).filter(
        status=RecordStatus.CONFIRMED, served_on__gte=scope.start, served_on__lte=scope.end
    )
    return _under(qs, scope, "node__path").select_related("volunteer", "team", "unit")


def active_volunteers(scope):
    lo, hi = bounds(scope.start, scope.end)
    qs = Volunteer.objects.visible_to(scope.viewer, Cap.ACTIVITIES_VIEW).filter(
        registered_at__lt=hi, status="active"
    )
    return _under(qs, scope, "node__path")


def _active_units(scope):
    qs = DualUnit.objects.visible_to(scope.viewer, Cap.ACTIVITIES_VIEW).filter(
        status=ReportStatus.ACTIVE, reported_on__lte=scope.end
    )
    return _under(qs, scope, "node__path")


def _active_members(scope):
    qs = DualMember.objects.visible_to(scope.viewer, Cap.ACTIVITIES_VIEW).filter(
        status=ReportStatus.ACTIVE, reported_on__lte=scope.end
    )
    return _under(qs, scope, "node__path")


def participating_units(scope):
    """Units that organised an event or whose volunteers had confirmed service in the period."""
    lo, hi = bounds(scope.start, scope.end)
    return (
        _active_units(scope)
        .filter(
            Q(
                events__start__gte=lo,
                events__start__lt=hi,
                events__status__in=[EventStatus.PUBLISHED, EventStatus.CLOSED],
            )
            | Q(
                records__status=RecordStatus.CONFIRMED,
                records__served_on__gte=scope.start,
                records__served_on__lte=scope.end,
            )
        )
        .distinct()
    )


def participating_members(scope):
    return (
        _active_members(scope)
        .filter(
            volunteer__records__status=RecordStatus.CONFIRMED,
            volunteer__records__served_on__gte=scope.start,
            volunteer__records__served_on__lte=scope.end,
        )
        .distinct()
    )


# -- figures ---------------------------------------------------------------------------------------------------


def _rate(part: int, whole: int):
    return Fraction(part, whole) if whole else None


def hours_total(qs) -> Decimal:
    return qs.aggregate(h=Sum("hours"))["h"] or Decimal(0)


def series_coverage(scope):
    """Villages under the scope that had at least one performance of a series in the period (一村一年一场戏 is
    for villages; 社区 are not counted either way)."""
    from minsheng.org.choices import NodeKind
    from minsheng.org.models import Node

    territories = Node.objects.visible_to(scope.viewer, Cap.ACTIVITIES_VIEW).filter(kind=NodeKind.VILLAGE)
    territories = _under(territories, scope, "path")
    total = territories.count()
    covered = territories.filter(pk__in=events(scope).filter(series__isnull=False).values("node_id")).count()
    return _rate(covered, total)


def _points(scope, reason: str, sign: int):
    lo, hi = bounds(scope.start, scope.end)
    qs = PointMovement.objects.filter(
        transfer__reason=reason,
        transfer__at__gte=lo,
        transfer__at__lt=hi,
        account__kind="volunteer",
        account__volunteer__in=active_volunteers(scope).values("pk")
        if scope.node
        else Volunteer.objects.visible_to(scope.viewer, Cap.ACTIVITIES_VIEW).values("pk"),
    )
    total = qs.aggregate(t=Sum("amount"))["t"] or 0
    return total * sign


METRICS = [
    registry.Metric(
        code="activities.events",
        name=_("活动场次"),
        definition=_("开始时间在期间内、已发布或已结束的活动场次（不含草稿和已取消的活动）"),
        unit=registry.Unit.TIMES,
        domain="activities",
        compute=lambda s: events(s).count(),
        rows=events,
    ),
    registry.Metric(
        code="activities.person_times",
        name=_("参与人次"),
        definition=_("期间内的签到次数：每个报名在一场活动中最多签到一次；露天活动的估算人数不计入"),
        unit=registry.Unit.PERSON_TIMES,
        domain="activities",
        compute=lambda s: checkins(s).count(),
        rows=checkins,
    ),
    registry.Metric(
        code="activities.unique_participants",
        name=_("参与人数"),
        definition=_("期间内至少签到一次的不同人数（同一账号、居民档案、手机号或姓名+单位算一人）"),
        unit=registry.Unit.PEOPLE,
        domain="activities",
        compute=lambda s: checkins(s).aggregate(n=Count("person_key", distinct=True))["n"],
        rows=checkins,
    ),
    registry.Metric(
        code="activities.headcount",
        name=_("露天活动估算人数"),
        definition=_("期间内露天活动登记的现场估算人数之和；单列，不是签到人次"),
        unit=registry.Unit.PEOPLE,
        domain="activities",
        compute=lambda s: events(s).filter(open_air=True).aggregate(n=Sum("headcount"))["n"] or 0,
        rows=lambda s: events(s).filter(open_air=True, headcount__isnull=False),
    ),
    registry.Metric(
        code="activities.series_coverage",
        name=_("系列活动村覆盖率"),
        definition=_("期间内举办过系列活动（如一村一年一场戏）的村 ÷ 范围内的村"),
        unit=registry.Unit.PERCENT,
        domain="activities",
        compute=series_coverage,
        rows=lambda s: events(s).filter(series__isnull=False),
        higher_is_better=True,
    ),
    registry.Metric(
        code="activities.volunteers",
        name=_("注册志愿者"),
        definition=_("期末在册的志愿者人数（本人同意登记）"),
        unit=registry.Unit.PEOPLE,
        domain="activities",
        compute=lambda s: active_volunteers(s).count(),
        rows=active_volunteers,
    ),
    registry.Metric(
        code="activities.volunteer_hours",
        name=_("志愿服务时长"),
        definition=_("服务日期在期间内、已由组织方确认的志愿服务记录时长之和（不含往返时间）"),
        unit=registry.Unit.HOURS,
        domain="activities",
        compute=lambda s: hours_total(confirmed_records(s)),
        rows=confirmed_records,
        higher_is_better=True,
    ),
    registry.Metric(
        code="activities.case_service_hours",
        name=_("上门服务时长"),
        definition=_("志愿服务队承办的诉求办结且居民回访满意后确认的时长之和"),
        unit=registry.Unit.HOURS,
        domain="activities",
        compute=lambda s: hours_total(confirmed_records(s).filter(source=RecordSource.CASE)),
        rows=lambda s: confirmed_records(s).filter(source=RecordSource.CASE),
    ),
    registry.Metric(
        code="activities.dual_unit_rate",
        name=_("双报到单位参与率"),
        definition=_("期间内组织过活动或有已确认志愿服务的在册报到单位 ÷ 在册报到单位"),
        unit=registry.Unit.PERCENT,
        domain="activities",
        compute=lambda s: _rate(participating_units(s).count(), _active_units(s).count()),
        rows=participating_units,
        higher_is_better=True,
    ),
    registry.Metric(
        code="activities.dual_member_rate",
        name=_("在职党员报到参与率"),
        definition=_("期间内有已确认志愿服务的在册报到党员 ÷ 在册报到党员"),
        unit=registry.Unit.PERCENT,
        domain="activities",
        compute=lambda s: _rate(participating_members(s).count(), _active_members(s).count()),
        rows=participating_members,
        higher_is_better=True,
    ),
    registry.Metric(
        code="activities.points_earned",
        name=_("发放积分"),
        definition=_("期间内由已确认服务时长转入志愿者积分账户的积分"),
        unit=registry.Unit.POINTS,
        domain="activities",
        compute=lambda s: _points(s, TransferReason.EARN, 1),
    ),
    registry.Metric(
        code="activities.points_spent",
        name=_("兑换积分"),
        definition=_("期间内志愿者在积分超市兑换支出的积分（撤销的兑换退回后不抵减）"),
        unit=registry.Unit.POINTS,
        domain="activities",
        compute=lambda s: _points(s, TransferReason.EXCHANGE, -1),
    ),
]


def register() -> None:
    for metric in METRICS:
        registry.register(metric)


# -- breakdowns the pages and the API show beside the figures ------------------------------------------------------

EVENT_BREAKDOWNS = {"kind": ("kind__name",), "venue": ("venue__name",), "community": ("node__name",)}
HOUR_BREAKDOWNS = {
    "team": ("team__name",),
    "volunteer": ("volunteer__name", "volunteer__number"),
    "unit": ("unit__name",),
}


def events_by(scope, by: str) -> list[dict]:
    """Events, person-times and head counts per kind, venue or community."""
    if by not in EVENT_BREAKDOWNS:
        raise ValueError(by)
    (field,) = EVENT_BREAKDOWNS[by]
    rows = (
        events(scope)
        .values(field)
        .annotate(events=Count("pk", distinct=True), person_times=Count("checkins", distinct=True))
        .order_by("-person_times", field)
    )
    return [
        {"label": r[field] or str(_("（未登记）")), "events": r["events"], "person_times": r["person_times"]}
        for r in rows
    ]


def hours_by(scope, by: str, limit: int = 50) -> list[dict]:
    if by not in HOUR_BREAKDOWNS:
        raise ValueError(by)
    fields = HOUR_BREAKDOWNS[by]
    rows = (
        confirmed_records(scope)
        .values(*fields)
        .annotate(hours=Sum("hours"), records=Count("pk"))
        .order_by("-hours", fields[0])[:limit]
    )
    return [
        {
            "label": " ".join(str(r[f]) for f in fields if r[f]) or str(_("（无）")),
            "hours": r["hours"],
            "records": r["records"],
        }
        for r in rows
    ]
