"""Shared reads of the agri ledgers: the tasks a sample could count towards, the pre-holiday sampling windows,
and the tasks and rosters a person may see (a row placed above the user's node is visible too)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Role
from minsheng.core.calendar import HolidayPeriod, WorkCalendar, holiday_periods

from .choices import EXCLUDED_STATES, SampleLevel, TaskKind
from .models import (
    DutyShift,
    Sample,
    SamplingTask,
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
