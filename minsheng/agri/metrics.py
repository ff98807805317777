"""The figures the street reports: pass rate by level and period, and the weekly sampling quota."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.utils import timezone

from minsheng.accounts.choices import Cap

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


# -- ledgers: letters coverage, waste totals, task compliance, pass rate by campaign ----------------------------


@dataclass(frozen=True)
class Coverage:
    covered: int
    total: int

    @property
    def rate(self) -> float | None:
        return round(self.covered * 100 / self.total, 2) if self.total else None


def letter_coverage(year: int, *, user=None) -> dict[str, Coverage]:
    """责任书 coverage of a year per level: villages, village supervisors and producers with a letter of that year
    over all of them (within the user's scope when given)."""
    from minsheng.accounts.choices import Role
    from minsheng.accounts.models import Membership
    from minsheng.org.choices import NodeKind
    from minsheng.org.models import Node

    from .choices import LetterLevel
    from .models import Producer, ResponsibilityLetter

    def scoped(model, capability=Cap.AGRI_VIEW):
        return model.objects.all() if user is None else model.objects.visible_to(user, capability)

    letters = scoped(ResponsibilityLetter).filter(year=year)
    villages = set(scoped(Node).filter(kind=NodeKind.VILLAGE).values_list("pk", flat=True))
    today = timezone.localdate()
    supervisor_memberships = Membership.objects.filter(
        role=Role.VILLAGE_SUPERVISOR, node_id__in=villages, user__is_active=True
    ).exclude(valid_to__lt=today)
    supervisors = set(supervisor_memberships.values_list("user_id", flat=True))
    producers = set(scoped(Producer).values_list("pk", flat=True))

    def covered(level, field, population):
        found = set(letters.filter(level=level).values_list(field, flat=True))
        return Coverage(len(found & population), len(population))

    return {
        LetterLevel.VILLAGE: covered(LetterLevel.VILLAGE, "village_id", villages),
        LetterLevel.SUPERVISOR: covered(LetterLevel.SUPERVISOR, "supervisor_id", supervisors),
        LetterLevel.PRODUCER: covered(LetterLevel.PRODUCER, "producer_id", producers),
    }


@dataclass(frozen=True)
class WasteTotals:
    total_kg: object
    by_village: list
    by_store: list
    by_month: list


def waste_totals(records=None, *, start: dt.date | None = None, end: dt.date | None = None) -> WasteTotals:
    """Packaging waste recovered (kg): the total and the sums by village, by store and by month."""
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth

    from .models import WasteRecovery

    qs = WasteRecovery.objects.all() if records is None else records
    if start:
        qs = qs.filter(recovered_on__gte=start)
    if end:
        qs = qs.filter(recovered_on__lte=end)
    qs = qs.order_by()
    total = qs.aggregate(kg=Sum("kg"))["kg"] or 0
    by_village = list(
        qs.values("village_id", "village__name").annotate(kg=Sum("kg")).order_by("-kg", "village__name")
    )
    by_store = list(
        qs.filter(store__isnull=False)
        .values("store_id", "store__name")
        .annotate(kg=Sum("kg"))
        .order_by("-kg")
    )
    by_month = list(
        qs.annotate(month=TruncMonth("recovered_on")).values("month").annotate(kg=Sum("kg")).order_by("month")
    )
    return WasteTotals(total, by_village, by_store, by_month)


@dataclass(frozen=True)
class TaskWeek:
    iso_year: int
    iso_week: int
    start: dt.date
    end: dt.date
    count: int
    minimum: int | None

    @property
    def met(self) -> bool | None:
        return None if self.minimum is None else self.count >= self.minimum


def task_samples(task, samples=None):
    """The samples counting towards a task: linked to it, cancelled and invalid ones left out."""
    qs = Sample.objects.all() if samples is None else samples
    return qs.filter(task=task).exclude(status__in=EXCLUDED_STATES)


def task_compliance(task, *, samples=None, until: dt.date | None = None) -> list[TaskWeek]:
    """Per ISO week of the task's period (clipped to the period; up to `until`): samples counted and whether the
    weekly quota was met. A week the period only partly covers still needs the full quota (the article's rule is
    per week)."""
    linked = task_samples(task, samples)
    last = min(task.end, until) if until else task.end
    low, high = _local_bounds(task.start, task.end)
    per_day: dict[dt.date, int] = {}
    for moment in linked.filter(sampled_at__gte=low, sampled_at__lt=high).values_list(
        "sampled_at", flat=True
    ):
        day = timezone.localdate(moment)
        per_day[day] = per_day.get(day, 0) + 1
    weeks, monday = [], task.start - dt.timedelta(days=task.start.weekday())
    while monday <= last:
        low_day, high_day = max(monday, task.start), min(monday + dt.timedelta(days=6), task.end)
        count = sum(n for day, n in per_day.items() if low_day <= day <= high_day)
        year, week, _day = monday.isocalendar()
        weeks.append(TaskWeek(year, week, low_day, high_day, count, task.weekly_quota))
        monday += dt.timedelta(days=7)
    return weeks


def pass_rate_by_campaign(campaign, samples=None, **filters) -> PassRate:
    """Pass rate of the samples counted towards the campaign's tasks (same exclusions as `pass_rate`)."""
    qs = (Sample.objects.all() if samples is None else samples).filter(task__campaign=campaign)
    return pass_rate(qs, **filters)


def pass_rate_by_task(task, samples=None, **filters) -> PassRate:
    qs = (Sample.objects.all() if samples is None else samples).filter(task=task)
    return pass_rate(qs, **filters)


def pass_rate_table(samples=None, *, by: str, start=None, end=None) -> list[tuple[str, PassRate]]:
    """Pass rates grouped by 'level', 'commodity' (top-level groups under 蔬菜 and the other roots) or
    'campaign', over a period."""
    from .models import Campaign

    qs = Sample.objects.all() if samples is None else samples
    if by == "level":
        return [
            (str(label), pass_rate(qs, level=value, start=start, end=end))
            for value, label in SampleLevel.choices
        ]
    if by == "commodity":
        used = set(qs.exclude(status__in=EXCLUDED_STATES).values_list("commodity__name", flat=True))
        return [(name, pass_rate(qs, commodity=name, start=start, end=end)) for name in sorted(used)]
    if by == "campaign":
        return [
            (c.name, pass_rate_by_campaign(c, qs, start=start, end=end))
            for c in Campaign.objects.filter(tasks__isnull=False).distinct()
        ]
    raise ValueError(by)


# -- the registry (core.metrics) and what waits on a leader (core.attention) ---------------------------------


def _in_node(qs, node, path: str = "village__path"):
    return qs if node is None else qs.filter(**{f"{path}__startswith": node.path})


def samples_rows(scope):
    low, high = _local_bounds(scope.start, scope.end)
    qs = Sample.objects.visible_to(scope.viewer, Cap.AGRI_VIEW).exclude(status__in=EXCLUDED_STATES)
    return _in_node(qs.filter(sampled_at__gte=low, sampled_at__lt=high), scope.node).order_by("-sampled_at")


def concluded_rows(scope):
    return samples_rows(scope).filter(status__in=(SampleStatus.PASSED, SampleStatus.FAILED))


def failed_rows(scope):
    return samples_rows(scope).filter(status=SampleStatus.FAILED)


def scoped_pass_rate(scope):
    from django.db.models import Count, Q

    row = concluded_rows(scope).aggregate(
        n=Count("pk"), passed=Count("pk", filter=Q(status=SampleStatus.PASSED))
    )
    return Fraction(row["passed"], row["n"]) if row["n"] else None


def pass_rate_by_node(scope, nodes):
    from django.db.models import Count, Q

    from minsheng.core.metrics import per_node

    rows = per_node(
        concluded_rows(scope), "village__path", nodes, n=Count("pk"),
        passed=Count("pk", filter=Q(status=SampleStatus.PASSED)),
    )  # fmt: skip
    return {n.pk: Fraction(rows[n.pk]["passed"], rows[n.pk]["n"]) if n.pk in rows else None for n in nodes}


def inspection_rows(scope):
    from .models import StoreInspection

    low, high = _local_bounds(scope.start, scope.end)
    qs = StoreInspection.objects.visible_to(scope.viewer, Cap.AGRI_VIEW).filter(
        inspected_at__gte=low, inspected_at__lt=high, recheck_of__isnull=True
    )
    return _in_node(qs, scope.node, "store__village__path").order_by("-inspected_at")


def stores_inspected(scope) -> int:
    return inspection_rows(scope).values("store", "month").distinct().count()


def letter_rows(scope):
    from .models import ResponsibilityLetter

    qs = ResponsibilityLetter.objects.visible_to(scope.viewer, Cap.AGRI_VIEW).filter(
        signed_on__gte=scope.start, signed_on__lte=scope.end
    )
    return _in_node(qs, scope.node).order_by("-signed_on")


def waste_rows(scope):
    from .models import WasteRecovery

    qs = WasteRecovery.objects.visible_to(scope.viewer, Cap.AGRI_VIEW).filter(
        recovered_on__gte=scope.start, recovered_on__lte=scope.end
    )
    return _in_node(qs, scope.node).order_by("-recovered_on")


def waste_kg(scope):
    from django.db.models import Sum

    return waste_rows(scope).aggregate(kg=Sum("kg"))["kg"] or Decimal(0)


def publicity_rows(scope):
    from .models import PublicityRecord

    qs = PublicityRecord.objects.visible_to(scope.viewer, Cap.AGRI_VIEW).filter(
        given_on__gte=scope.start, given_on__lte=scope.end
    )
    return _in_node(qs, scope.node).order_by("-given_on")


def publicity_copies(scope) -> int:
    from django.db.models import Sum

    return publicity_rows(scope).aggregate(n=Sum("quantity"))["n"] or 0


def register_all() -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from minsheng.core import attention
    from minsheng.core import metrics as registry

    sample_url = lambda s: reverse("agri:sample_detail", args=[s.pk])  # noqa: E731
    inspection_url = lambda i: reverse("agri:inspection_detail", args=[i.pk])  # noqa: E731
    urls = {"samples": sample_url, "pass_rate": sample_url, "failed_samples": sample_url}
    urls["stores_inspected"] = inspection_url
    for code, name, definition, unit, compute, rows, better, tags in (
        (
            "samples",
            _("抽检批次"),
            _("期内抽样的批次（作废、无效的除外），各级合计"),
            registry.Unit.BATCHES,
            lambda s: samples_rows(s).count(),
            samples_rows,
            None,
            ("headline",),
        ),
        (
            "pass_rate",
            _("抽检合格率"),
            _("期内抽样且已出结论的批次中合格的 ÷ 已出结论的（合格 + 不合格）"),
            registry.Unit.PERCENT,
            scoped_pass_rate,
            concluded_rows,
            True,
            ("headline", "rank"),
        ),
        (
            "failed_samples",
            _("不合格批次"),
            _("期内抽样、结论为不合格的批次"),
            registry.Unit.BATCHES,
            lambda s: failed_rows(s).count(),
            failed_rows,
            False,
            (),
        ),
        (
            "stores_inspected",
            _("农资门店检查"),
            _("期内检查过的门店·月（同一门店同一检查月份计一次，复查不计）"),
            registry.Unit.TIMES,
            stores_inspected,
            inspection_rows,
            True,
            ("headline",),
        ),
        (
            "letters",
            _("签订责任书"),
            _("期内签订的农产品质量安全责任书（村、监管员、生产主体各级）"),
            registry.Unit.COPIES,
            lambda s: letter_rows(s).count(),
            letter_rows,
            None,
            (),
        ),
        (
            "waste_kg",
            _("农药包装废弃物回收"),
            _("期内回收登记的农药包装废弃物重量合计"),
            registry.Unit.KG,
            waste_kg,
            waste_rows,
            None,
            (),
        ),
        (
            "publicity",
            _("发放宣传资料"),
            _("期内宣传发放记录的份数合计"),
            registry.Unit.COPIES,
            publicity_copies,
            publicity_rows,
            None,
            (),
        ),
    ):
        registry.register(
            registry.Metric(
                code=f"agri.{code}",
                name=name,
                definition=definition,
                unit=unit,
                domain="agri",
                compute=compute,
                rows=rows,
                higher_is_better=better,
                tags=tags,
                row_url=urls.get(code),
                by_node=pass_rate_by_node if code == "pass_rate" else None,
            )
        )

    def failed_items(scope, limit):
        qs = failed_rows(scope).select_related("commodity", "village")[:limit]
        return [
            attention.Item(
                title=f"{s.commodity.name}",
                url=reverse("agri:sample_detail", args=[s.pk]),
                where=s.village.name,
                since=s.sampled_at,
            )
            for s in qs
        ]

    attention.register(
        attention.Source(
            code="agri.failed_samples",
            domain="agri",
            label=_("不合格样品"),
            count=lambda s: failed_rows(s).count(),
            build=failed_items,
            severity=attention.Severity.RED,
            list_url_name="agri:samples",
            order=30,
        )
    )


def uninspected_misses(scope):
    """Stores not inspected in a month of the period that has ended (every store is due once a month, the
    article's 每月巡查), per village — the same rule as the month's schedule (queries.schedule)."""
    from django.db.models import Count

    from minsheng.core import clock, duties

    from .models import AgriInputStore

    stores = _in_node(AgriInputStore.objects.visible_to(scope.viewer, Cap.AGRI_VIEW), scope.node)
    today = timezone.localdate(clock.now())
    month = scope.start.replace(day=1)
    totals: dict[int, list] = {}
    while month <= scope.end:
        nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        if nxt <= today:  # the month is over
            rows = (
                stores.exclude(inspections__month=month)
                .values("village", "village__name", "village__path")
                .annotate(n=Count("pk", distinct=True))
            )
            for r in rows:
                entry = totals.setdefault(r["village"], [r["village__name"], r["village__path"], 0])
                entry[2] += r["n"]
        month = nxt
    return [
        duties.Miss(duties.UNIT, f"org.node:{pk}", name, n, path) for pk, (name, path, n) in totals.items()
    ]


def register_duties() -> None:
    from django.utils.translation import gettext_lazy as _

    from minsheng.core import duties

    duties.register(
        duties.Duty(
            code="agri.stores_uninspected",
            domain="agri",
            label=_("农资门店未巡查"),
            rule=_("期内已结束的月份中当月未检查的农资门店（每店每月一次），记其所在村"),
            misses=uninspected_misses,
        )
    )
