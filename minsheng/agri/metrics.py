"""The figures the street reports: pass rate by level and period, and the weekly sampling quota."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .choices import EXCLUDED_STATES, SampleLevel, SampleStatus
from .models import Commodity, Sample

#: 街道: at least this many vegetable batches per ISO week (the article's figure; settings may change it).
DEFAULT_WEEKLY_QUOTA = 10


@dataclass(frozen=True)
class PassRate:
    passed: int
    failed: int
    pending: int

    @property
    def concluded(self) -> int:
        return self.passed + self.failed

    @property
    def rate(self) -> float | None:
        """Passed over concluded samples, in percent; None before anything is concluded."""
        return round(self.passed * 100 / self.concluded, 2) if self.concluded else None


def _local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def pass_rate(
    samples=None,
    *,
    level: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    commodity: str | None = None,
):
    """Over `samples` (a scoped queryset; all samples by default), cancelled and invalid ones left out;
    `commodity` names a node of the tree and takes everything under it (蔬菜, 豆类蔬菜, 豇豆)."""
    qs = (Sample.objects.all() if samples is None else samples).exclude(status__in=EXCLUDED_STATES)
    if level:
        qs = qs.filter(level=level)
    if commodity:
        qs = qs.filter(commodity_id__in=descendants_of(commodity))
    if start:
        qs = qs.filter(sampled_at__gte=_local_bounds(start, start)[0])
    if end:
        qs = qs.filter(sampled_at__lt=_local_bounds(end, end)[1])
    counts = dict.fromkeys(SampleStatus.values, 0)
    for status in qs.values_list("status", flat=True):
        counts[status] += 1
    return PassRate(
        passed=counts[SampleStatus.PASSED],
        failed=counts[SampleStatus.FAILED],
        pending=counts[SampleStatus.SAMPLED]
        + counts[SampleStatus.REPEATING]
        + counts[SampleStatus.CONFIRMING],
    )


def descendants_of(name: str) -> list[int]:
    """Ids of a commodity node and everything under it (the tree is small: one query, walked in memory)."""
    parents = dict(Commodity.objects.values_list("pk", "parent_id"))
    root = Commodity.objects.filter(name=name).values_list("pk", flat=True).first()

    def under(pk):
        while pk is not None:
            if pk == root:
                return True
            pk = parents.get(pk)
        return False

    return [pk for pk in parents if under(pk)]


@dataclass(frozen=True)
class WeeklyQuota:
    iso_year: int
    iso_week: int
    count: int
    minimum: int

    @property
    def met(self) -> bool:
        return self.count >= self.minimum


def weekly_quota(iso_year: int, iso_week: int, *, samples=None, minimum: int | None = None) -> WeeklyQuota:
    """街道-level vegetable batches sampled in the ISO week (Monday–Sunday, local time) against the quota."""
    if minimum is None:
        minimum = getattr(settings, "AGRI_WEEKLY_VEGETABLE_QUOTA", DEFAULT_WEEKLY_QUOTA)
    monday = dt.date.fromisocalendar(iso_year, iso_week, 1)
    low, high = _local_bounds(monday, monday + dt.timedelta(days=6))
    qs = (Sample.objects.all() if samples is None else samples).exclude(status__in=EXCLUDED_STATES)
    count = qs.filter(
        level=SampleLevel.STREET,
        commodity_id__in=descendants_of("蔬菜"),
        sampled_at__gte=low,
        sampled_at__lt=high,
    ).count()
    return WeeklyQuota(iso_year, iso_week, count, minimum)


def certificate_share(samples=None) -> float | None:
    """Share (percent) of sampled batches that carried a 承诺达标合格证, cancelled and invalid samples left out."""
    qs = (Sample.objects.all() if samples is None else samples).exclude(status__in=EXCLUDED_STATES)
    total = qs.count()
    return round(qs.filter(certificate_shown=True).count() * 100 / total, 2) if total else None


def quota_streak(until: dt.date, *, samples=None, minimum: int | None = None, limit: int = 104) -> int:
    """How many consecutive ISO weeks, ending with the one containing `until`, met the quota."""
    streak, day = 0, until
    while streak < limit:
        year, week, _weekday = day.isocalendar()
        if not weekly_quota(year, week, samples=samples, minimum=minimum).met:
            break
        streak += 1
        day -= dt.timedelta(days=7)
    return streak
