"""What cases give the leaders' view beyond its figures: the cases waiting on a leader (core.attention) and the
duty every unit and handler has to finish in time (core.duties, read by the 效能 board across all work).

Registered from CasesConfig.ready(); the queries are the engine's own (overdue_q, visible_to), never copied.
"""

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minsheng.core import attention, clock, duties
from minsheng.core.metrics import Scope
from minsheng.core.pagination import capped_count

from .choices import DONE_STATES, Status
from .deadlines import overdue_q
from .models import Case


def _open_here(scope: Scope):
    qs = Case.objects.visible_to(scope.viewer)
    if scope.node is not None:
        qs = qs.filter(node__path__startswith=scope.node.path)
    return qs


def overdue_cases(scope: Scope):
    return _open_here(scope).filter(overdue_q(clock.now())).exclude(status=Status.SHELVED)


def supervised_cases(scope: Scope):
    return _open_here(scope).filter(is_supervised=True).exclude(status__in=(*DONE_STATES, Status.MERGED))


def _items(qs, limit: int) -> list[attention.Item]:
    return [
        attention.Item(
            title=f"{c.number} {c.title}",
            url=reverse("cases:detail", args=[c.pk]),
            where=c.node.name,
            since=c.finish_due or c.reported_at,
        )
        for c in qs.select_related("node").order_by(F("finish_due").asc(nulls_last=True))[:limit]
    ]


def overdue_misses(scope: Scope):
    """Overdue cases of the period (registered in it, open past the limit or finished late), per unit and handler."""
    from . import metrics

    qs = metrics.filter_cases(
        Case.objects.visible_to(scope.viewer), start=scope.start, end=scope.end, node=scope.node
    )
    late = overdue_q(clock.now()) | Q(status__in=DONE_STATES, resolved_on_time=False)
    qs = qs.filter(late).exclude(status=Status.MERGED)
    for row in (
        qs.filter(lead_unit__isnull=False).values("lead_unit", "lead_unit__name").annotate(n=Count("pk"))
    ):
        yield duties.Miss(duties.UNIT, f"cases.unit:{row['lead_unit']}", row["lead_unit__name"], row["n"])
    for row in (
        qs.filter(handler__isnull=False)
        .values("handler", "handler__display_name", "handler__username")
        .annotate(n=Count("pk"))
    ):
        label = row["handler__display_name"] or row["handler__username"]
        yield duties.Miss(duties.PERSON, f"user:{row['handler']}", label, row["n"])


def register_all() -> None:
    attention.register(
        attention.Source(
            code="cases.overdue",
            domain="cases",
            label=_("超期案件"),
            count=lambda scope: capped_count(overdue_cases(scope)),
            build=lambda scope, limit: _items(overdue_cases(scope), limit),
            severity=attention.Severity.RED,
            list_url_name="cases:overdue",
            order=10,
        )
    )
    attention.register(
        attention.Source(
            code="cases.supervised",
            domain="cases",
            label=_("督办案件"),
            count=lambda scope: capped_count(supervised_cases(scope)),
            build=lambda scope, limit: _items(supervised_cases(scope), limit),
            severity=attention.Severity.YELLOW,
            list_url_name="cases:supervised",
            order=11,
        )
    )
    duties.register(
        duties.Duty(
            code="cases.overdue",
            domain="cases",
            label=_("案件超期"),
            rule=_("期内登记的案件中超期未办结或超期办结的，记其主办单位和承办人"),
            misses=lambda scope: list(overdue_misses(scope)),
            weight=2,
        )
    )


def open_case_points(scope: Scope, limit: int):
    """Open cases with a location; the overdue ones flagged."""
    from minsheng.core import places

    from .choices import OPEN_STATES

    now = clock.now()
    qs = (
        _open_here(scope)
        .filter(status__in=OPEN_STATES, lat__isnull=False, lng__isnull=False)
        .order_by(F("finish_due").asc(nulls_last=True))
        .values("pk", "number", "title", "lat", "lng", "finish_due")[:limit]
    )
    return [
        places.Point(
            r["lat"],
            r["lng"],
            f"{r['number']} {r['title']}",
            reverse("cases:detail", args=[r["pk"]]),
            alert=bool(r["finish_due"] and r["finish_due"] < now),
        )
        for r in qs
    ]


def register_places() -> None:
    from minsheng.core import places

    places.register(
        places.Layer(
            code="cases.open", domain="cases", label=_("在办案件"), points=open_case_points, colour="#1d5fbf"
        )
    )
