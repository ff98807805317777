"""Shared reads of the agri ledgers: the tasks a sample could count towards, the pre-holiday sampling windows,
and the tasks and rosters a person may see (a row placed above the user's node is visible too)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Role
from minsheng.core import clock
from minsheng.core.calendar import HolidayPeriod, WorkCalendar, holiday_periods

from .choices import EXCLUDED_STATES, SampleLevel, TaskKind
from .models import (
    AgriInputStore,
    DutyShift,
    Sample,
    SamplingTask,
    StoreInspection,
)

#: Working days before a holiday period that the pre-holiday sampling covers (settings may change it).
DEFAULT_PRE_HOLIDAY_DAYS = 3


def supervised_villages(user) -> list:
    """The village nodes a supervisor answers for (his 村级监管员 memberships)."""
    return [m.node for m in user.active_memberships if m.role == Role.VILLAGE_SUPERVISOR]


def open_tasks_for(user, villages, on: dt.date):
    """The tasks a sample taken on `on` in one of `villages` could count towards: visible to the user, running
    that day, and placed on one of the villages or a node above them (level and commodity are `task_accepts`'s)."""
    paths = [v.path for v in villages]
    if not paths:
        return SamplingTask.objects.none()
    return (
        visible_tasks(user)
        .filter(node__path__in=_ancestor_paths(paths) | set(paths), start__lte=on, end__gte=on)
        .select_related("node", "commodity")
        .order_by("level", "end", "name", "pk")
    )


def routine_task(tasks, village) -> SamplingTask | None:
    """The street's current weekly task for a village among `tasks` (a street-level task with a weekly minimum,
    placed on the village or above it): the field page's default when the sample matches it. A 日常抽检 comes
    before a campaign's weekly task, then the task placed nearest the village, then the one ending first."""
    candidates = [
        t
        for t in tasks
        if t.level == SampleLevel.STREET and t.weekly_quota and village.path.startswith(t.node.path)
    ]
    candidates.sort(key=lambda t: (t.kind != TaskKind.ROUTINE, -len(t.node.path), t.end, t.pk))
    return candidates[0] if candidates else None


def matching_samples(task: SamplingTask, samples=None):
    """Samples without a task that could count towards this one."""
    from .metrics import _local_bounds, descendants_of

    low, high = _local_bounds(task.start, task.end)
    qs = (Sample.objects.all() if samples is None else samples).filter(
        task__isnull=True,
        level=task.level,
        sampled_at__gte=low,
        sampled_at__lt=high,
        village__path__startswith=task.node.path,
    )
    if task.commodity_id:
        qs = qs.filter(commodity_id__in=descendants_of(task.commodity.name))
    return qs.exclude(status__in=EXCLUDED_STATES)


def pre_holiday_days() -> int:
    return int(getattr(settings, "AGRI_PRE_HOLIDAY_DAYS", DEFAULT_PRE_HOLIDAY_DAYS))


def pre_holiday_window(
    period: HolidayPeriod, days: int | None = None, calendar=None
) -> tuple[dt.date, dt.date]:
    """The N working days just before the holiday period: (first, last)."""
    cal = calendar or WorkCalendar()
    days = pre_holiday_days() if days is None else days
    found, day = [], period.start - dt.timedelta(days=1)
    while len(found) < days:
        if cal.is_workday(day):
            found.append(day)
        day -= dt.timedelta(days=1)
    return found[-1], found[0]


@dataclass(frozen=True)
class PreHolidaySuggestion:
    period: HolidayPeriod
    start: dt.date
    end: dt.date
    task: SamplingTask | None

    @property
    def name(self) -> str:
        return _("%(holiday)s节前抽检（%(year)s）") % {
            "holiday": self.period.name,
            "year": self.period.start.year,
        }


def pre_holiday_suggestions(
    today: dt.date, *, horizon_days: int = 45, tasks=None
) -> list[PreHolidaySuggestion]:
    """Upcoming holiday periods whose pre-holiday window ends on or after today and starts within the horizon,
    each with the pre-holiday task already created for it, if any."""
    cal = WorkCalendar()
    tasks = SamplingTask.objects.all() if tasks is None else tasks
    suggestions = []
    for year in (today.year, today.year + 1):
        for period in holiday_periods(year, cal):
            start, end = pre_holiday_window(period, calendar=cal)
            if end < today or (start - today).days > horizon_days:
                continue
            existing = tasks.filter(kind=TaskKind.PRE_HOLIDAY, holiday=period.name, end=end).first()
            suggestions.append(PreHolidaySuggestion(period, start, end, existing))
    return suggestions


# -- reading tasks and rosters --------------------------------------------------------------------------------


def _ancestor_paths(paths: list[str]) -> set[str]:
    from minsheng.org.models import Node

    step = Node.steplen
    return {p[:i] for p in paths for i in range(step, len(p), step)}


def visible_with_ancestors(queryset, user, capability: str = "agri.view"):
    """Rows in the user's subtrees, plus rows placed on the nodes above them: a street-level task or duty roster
    concerns the village supervisors under the street too (they count their samples towards it)."""
    from django.db.models import Q

    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    paths = user.scope_paths(capability)
    if not paths:
        return queryset.none()
    inside = Q()
    for path in paths:
        inside |= Q(node__path__startswith=path)
    return queryset.filter(inside | Q(node__path__in=_ancestor_paths(paths)))


def visible_tasks(user):
    return visible_with_ancestors(SamplingTask.objects.all(), user)


def visible_duty(user):
    return visible_with_ancestors(DutyShift.objects.all(), user)


# -- store inspections: the month's coverage and schedule ------------------------------------------------------


def coverage(year: int, month: int, *, stores=None) -> tuple[int, int]:
    """(stores inspected in the month, stores) — re-checks count as inspections too."""
    stores = AgriInputStore.objects.all() if stores is None else stores
    first = dt.date(year, month, 1)
    inspected = stores.filter(inspections__month=first).distinct().count()
    return inspected, stores.count()


@dataclass
class ScheduleRow:
    store: AgriInputStore
    supervisors: list
    inspection: (
        StoreInspection | None
    )  # the month's first (non-re-check) inspection, or any if only re-checks
    open_findings: bool

    @property
    def done(self) -> bool:
        return self.inspection is not None


def village_supervisors(village_ids) -> dict[int, list]:
    """village id → the users holding a current 村级监管员 membership there: who a store's inspection falls to."""
    from minsheng.accounts.choices import Role
    from minsheng.accounts.models import Membership

    today = timezone.localdate(clock.now())
    supervisors: dict[int, list] = {}
    for m in (
        Membership.objects.filter(role=Role.VILLAGE_SUPERVISOR, node__in=village_ids)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("user")
        .order_by("user__username")
    ):
        supervisors.setdefault(m.node_id, []).append(m.user)
    return supervisors


def _open_findings(inspection) -> bool:
    """Findings not yet cleared by a clean re-check."""
    if inspection is None or not inspection.case_id:
        return False
    return not any(r.case_id is None for r in inspection.rechecks.all())


def month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def schedule(year: int, month: int, *, stores) -> list[ScheduleRow]:
    """The month's due list: every store is due once a month (the article's 每月巡查), assigned to the 村级监管员
    of its village. Done when any inspection of the store is dated in that month."""
    first = month_start(year, month)
    stores = list(stores.select_related("village").order_by("village__path", "name"))
    by_store: dict[int, StoreInspection] = {}
    for inspection in (
        StoreInspection.objects.filter(store__in=stores, month=first)
        .select_related("inspector", "case")
        .prefetch_related("rechecks")
        .order_by("recheck_of_id", "inspected_at")
    ):
        by_store.setdefault(inspection.store_id, inspection)
    supervisors = village_supervisors({s.village_id for s in stores})
    return [
        ScheduleRow(
            store=store,
            supervisors=supervisors.get(store.village_id, []),
            inspection=by_store.get(store.pk),
            open_findings=_open_findings(by_store.get(store.pk)),
        )
        for store in stores
    ]
