"""The greenhouse figures the leaders' view shows (core.metrics), the alarms that wait on a leader
(core.attention) and the duty to acknowledge an alarm in time (core.duties). Registered from IotConfig.ready().
"""

import datetime as dt
from fractions import Fraction

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap
from minsheng.core import attention, clock, duties
from minsheng.core import metrics as registry
from minsheng.core.metrics import Scope

from .choices import AlarmStatus, Severity
from .models import Alarm, Sensor

#: An alarm not acknowledged within this long counts as a missed duty on the 效能 board.
ACK_WITHIN = dt.timedelta(hours=2)


def _bounds(scope: Scope) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(scope.start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(scope.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _here(qs, scope: Scope):
    return qs if scope.node is None else qs.filter(greenhouse__village__path__startswith=scope.node.path)


def sensor_rows(scope: Scope):
    return _here(
        Sensor.objects.visible_to(scope.viewer, Cap.IOT_VIEW).filter(is_active=True), scope
    ).order_by("code")


def alarm_rows(scope: Scope):
    low, high = _bounds(scope)
    qs = Alarm.objects.visible_to(scope.viewer, Cap.IOT_VIEW).filter(started_at__gte=low, started_at__lt=high)
    return _here(qs, scope).order_by("-started_at")


def critical_rows(scope: Scope):
    return alarm_rows(scope).filter(severity=Severity.CRITICAL)


def _late_ack() -> Q:
    return Q(acknowledged=False, started_at__lt=clock.now() - ACK_WITHIN) | Q(
        acknowledged=True, acked_at__gt=F("started_at") + ACK_WITHIN
    )


def ack_rate(scope: Scope):
    row = alarm_rows(scope).aggregate(n=Count("pk"), late=Count("pk", filter=_late_ack()))
    return Fraction(row["n"] - row["late"], row["n"]) if row["n"] else None


def ack_rate_by_node(scope: Scope, nodes):
    rows = registry.per_node(
        alarm_rows(scope),
        "greenhouse__village__path",
        nodes,
        n=Count("pk"),
        late=Count("pk", filter=_late_ack()),
    )
    return {
        n.pk: Fraction(rows[n.pk]["n"] - rows[n.pk]["late"], rows[n.pk]["n"]) if n.pk in rows else None
        for n in nodes
    }


def critical_now(scope: Scope):
    qs = Alarm.objects.visible_to(scope.viewer, Cap.IOT_VIEW).filter(
        status=AlarmStatus.ACTIVE, severity=Severity.CRITICAL
    )
    return _here(qs, scope).order_by("-last_at")


def critical_items(scope: Scope, limit: int) -> list[attention.Item]:
    return [
        attention.Item(
            title=f"{a.greenhouse.name} · {a.get_type_display()}",
            url=reverse("iot:alarm", args=[a.pk]),
            where=a.greenhouse.village.name,
            since=a.started_at,
            note="" if a.acknowledged else str(_("未确认")),
        )
        for a in critical_now(scope).select_related("greenhouse__village")[:limit]
    ]


def unacknowledged(scope: Scope):
    qs = alarm_rows(scope).filter(_late_ack())
    for row in qs.values(
        "greenhouse__village", "greenhouse__village__name", "greenhouse__village__path"
    ).annotate(n=Count("pk")):
        yield duties.Miss(
            duties.UNIT,
            f"org.node:{row['greenhouse__village']}",
            row["greenhouse__village__name"],
            row["n"],
            row["greenhouse__village__path"],
        )
    for row in (
        qs.filter(assignee__isnull=False)
        .values("assignee", "assignee__display_name", "assignee__username")
        .annotate(n=Count("pk"))
    ):
        yield duties.Miss(
            duties.PERSON,
            f"user:{row['assignee']}",
            row["assignee__display_name"] or row["assignee__username"],
            row["n"],
        )


def greenhouse_points(scope: Scope, limit: int):
    """Greenhouses with a location; those with an active critical alarm flagged."""
    from minsheng.core import places

    from .models import Greenhouse

    qs = Greenhouse.objects.visible_to(scope.viewer, Cap.IOT_VIEW).filter(
        lat__isnull=False, lng__isnull=False
    )
    if scope.node is not None:
        qs = qs.filter(village__path__startswith=scope.node.path)
    alarmed = Q(alarms__status=AlarmStatus.ACTIVE, alarms__severity=Severity.CRITICAL)
    rows = qs.annotate(n=Count("alarms", filter=alarmed)).values("pk", "name", "lat", "lng", "n")[:limit]
    return [
        places.Point(
            r["lat"], r["lng"], r["name"], reverse("iot:greenhouse", args=[r["pk"]]), alert=r["n"] > 0
        )
        for r in rows
    ]


def _alarm_url(alarm) -> str:
    return reverse("iot:alarm", args=[alarm.pk])


def register_all() -> None:
    from minsheng.core import places

    places.register(
        places.Layer(
            code="iot.greenhouses",
            domain="iot",
            label=_("智慧大棚"),
            points=greenhouse_points,
            colour="#1a7f4b",
        )
    )
    for code, name, definition, unit, compute, rows, better, tags in (
        (
            "sensors",
            _("在用传感器"),
            _("启用中的传感器（当前数，不随期间变化）"),
            registry.Unit.ITEMS,
            lambda s: sensor_rows(s).count(),
            sensor_rows,
            None,
            ("headline",),
        ),
        (
            "alarms",
            _("大棚告警"),
            _("期内开始的告警（同一传感器同一类型持续触发计一次）"),
            registry.Unit.TIMES,
            lambda s: alarm_rows(s).count(),
            alarm_rows,
            False,
            ("headline",),
        ),
        (
            "critical_alarms",
            _("紧急告警"),
            _("期内开始、级别为紧急的告警"),
            registry.Unit.TIMES,
            lambda s: critical_rows(s).count(),
            critical_rows,
            False,
            (),
        ),
        (
            "ack_rate",
            _("告警及时确认率"),
            _("期内开始的告警中2小时内确认的 ÷ 全部告警（尚未确认且未满2小时的算及时）"),
            registry.Unit.PERCENT,
            ack_rate,
            alarm_rows,
            True,
            ("rank",),
        ),
    ):
        registry.register(
            registry.Metric(
                code=f"iot.{code}",
                name=name,
                definition=definition,
                unit=unit,
                domain="iot",
                compute=compute,
                rows=rows,
                higher_is_better=better,
                tags=tags,
                row_url=None if code == "sensors" else _alarm_url,
                by_node=ack_rate_by_node if code == "ack_rate" else None,
            )
        )
    attention.register(
        attention.Source(
            code="iot.critical_alarms",
            domain="iot",
            label=_("紧急告警"),
            count=lambda s: critical_now(s).count(),
            build=critical_items,
            severity=attention.Severity.RED,
            list_url_name="iot:alarms",
            order=20,
        )
    )
    duties.register(
        duties.Duty(
            code="iot.alarms_unacknowledged",
            domain="iot",
            label=_("告警未及时确认"),
            rule=_("期内开始的告警超过2小时未确认（或确认晚于2小时），记其所在村和处理人"),
            misses=lambda s: list(unacknowledged(s)),
        )
    )
