"""State changes of the agri office's ledgers: responsibility letters, publicity material, packaging-waste recovery,
campaigns, sampling tasks (and which samples count towards them), holiday duty and the pre-holiday sampling.

Who may do what (capabilities of accounts/roles.py, checked at the row's node):
- letters, publicity, waste recovery, putting a sample under a task: `agri.record` at the village (a 村级监管员 in his
  villages, the 街道's agri staff anywhere);
- campaigns, sampling tasks, holiday duty: `agri.manage` (街道管理员, 街道干部).
"""

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.accounts.choices import Role
from minsheng.core import clock
from minsheng.core.calendar import WorkCalendar, is_covered
from minsheng.org.choices import NodeKind

from .choices import EXCLUDED_STATES, SampleLevel
from .models import (
    Campaign,
    CampaignProduct,
    DutyShift,
    LetterLevel,
    Producer,
    PublicityRecord,
    ResponsibilityLetter,
    Sample,
    SamplingTask,
    TaskKind,
    WasteRecovery,
)

#: Scans of signed letters: PDF or a photo, at most this size.
SCAN_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}
SCAN_MAX_BYTES = 10 * 1024 * 1024

#: Working days before a holiday period that the pre-holiday sampling covers (settings may change it).
DEFAULT_PRE_HOLIDAY_DAYS = 3

#: chinese_calendar's holiday names in Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("元旦"),
    "Spring Festival": gettext_lazy("春节"),
    "Tomb-sweeping Day": gettext_lazy("清明节"),
    "Labour Day": gettext_lazy("劳动节"),
    "Dragon Boat Festival": gettext_lazy("端午节"),
    "National Day": gettext_lazy("国庆节"),
    "Mid-autumn Festival": gettext_lazy("中秋节"),
    "Anti-Fascist 70th Day": gettext_lazy("抗战胜利纪念日"),
}


def require(actor, capability: str, node=None) -> None:
    if actor is None or not actor.has_cap(capability, node):
        raise PermissionDenied(_("您没有在此登记的权限"))


def _today() -> dt.date:
    return timezone.localdate(clock.now())


def _not_future(day, field: str) -> None:
    if day is None:
        raise ValidationError({field: _("请填写日期")})
    if day > _today():
        raise ValidationError({field: _("日期不能晚于今天")})


def _check_village(village, field: str = "village") -> None:
    if village is None or village.kind not in (NodeKind.VILLAGE, NodeKind.COMMUNITY):
        raise ValidationError({field: _("请选择村（社区）")})


# -- responsibility letters -----------------------------------------------------------------------------------


def supervisor_villages(user) -> list:
    return [m.node for m in user.active_memberships if m.role == Role.VILLAGE_SUPERVISOR]


def _check_scan(scan) -> None:
    if not scan:
        return
    ext = os.path.splitext(scan.name or "")[1].lower()
    if ext not in SCAN_EXTENSIONS:
        raise ValidationError({"scan": _("扫描件须是 PDF、JPG 或 PNG 文件")})
    if scan.size > SCAN_MAX_BYTES:
        raise ValidationError({"scan": _("扫描件不能超过 10 MB")})


@transaction.atomic
def record_letter(
    *,
    actor,
    level: str,
    year: int,
    signed_on: dt.date,
    party_a: str,
    party_b: str,
    village=None,
    supervisor=None,
    producer: Producer | None = None,
    scan=None,
    note: str = "",
) -> ResponsibilityLetter:
    """责任书 of one year at one level. The village follows from the producer, and from the supervisor's
    villages when he answers for only one."""
    errors: dict[str, str] = {}
    if level == LetterLevel.VILLAGE:
        _check_village(village)
        supervisor = producer = None
    elif level == LetterLevel.SUPERVISOR:
        producer = None
        if supervisor is None:
            raise ValidationError({"supervisor": _("请选择监管员")})
        villages = supervisor_villages(supervisor)
        if not villages:
            raise ValidationError({"supervisor": _("该账号不是村级监管员")})
        if village is None and len(villages) == 1:
            village = villages[0]
        if village is None or village.pk not in {v.pk for v in villages}:
            raise ValidationError({"village": _("请选择该监管员负责的村")})
    elif level == LetterLevel.PRODUCER:
        supervisor = None
        if producer is None:
            raise ValidationError({"producer": _("请选择生产经营主体")})
        if village is not None and village.pk != producer.village_id:
            raise ValidationError({"producer": _("该主体不在所选村")})
        village = producer.village
    else:
        raise ValidationError({"level": _("未知的责任书层级")})
    require(actor, "agri.record", village)
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        errors["year"] = _("请填写年度，如 2026")
    if signed_on is None:
        errors["signed_on"] = _("请填写签订日期")
    elif signed_on > _today():
        errors["signed_on"] = _("签订日期不能晚于今天")
    elif year and not year - 1 <= signed_on.year <= year:
        errors["signed_on"] = _("签订日期应在该年度内或上一年度末")
    for field, value in (("party_a", party_a), ("party_b", party_b)):
        if not (value or "").strip():
            errors[field] = _("请填写签字人")
    if errors:
        raise ValidationError(errors)
    _check_scan(scan)
    duplicate = ResponsibilityLetter.objects.filter(level=level, year=year)
    if level == LetterLevel.VILLAGE:
        duplicate = duplicate.filter(village=village)
    elif level == LetterLevel.SUPERVISOR:
        duplicate = duplicate.filter(supervisor=supervisor)
    else:
        duplicate = duplicate.filter(producer=producer)
    if duplicate.exists():
        raise ValidationError(
            {
                "year": _("%(year)s年度的该%(level)s责任书已登记")
                % {"year": year, "level": _(level_label(level))}
            }
        )
    letter = ResponsibilityLetter(
        level=level,
        year=year,
        signed_on=signed_on,
        village=village,
        supervisor=supervisor,
        producer=producer,
        party_a=party_a.strip()[:100],
        party_b=party_b.strip()[:100],
        note=(note or "").strip()[:200],
        recorded_by=actor,
    )
    if scan:
        letter.scan.save(os.path.basename(scan.name), scan, save=False)
    letter.save()
    return letter


def level_label(level: str) -> str:
    return str(LetterLevel(level).label) if level in LetterLevel.values else level


def attach_scan(*, actor, letter: ResponsibilityLetter, scan) -> ResponsibilityLetter:
    require(actor, "agri.record", letter.village)
    if not scan:
        raise ValidationError({"scan": _("请选择扫描件")})
    _check_scan(scan)
    letter.scan.save(os.path.basename(scan.name), scan, save=False)
    letter.save(update_fields=["scan", "updated_at"])
    return letter


# -- publicity and packaging waste ----------------------------------------------------------------------------


def record_publicity(
    *,
    actor,
    given_on: dt.date,
    village,
    material: str,
    quantity: int,
    place: str = "",
    recipients: str = "",
) -> PublicityRecord:
    _check_village(village)
    require(actor, "agri.record", village)
    _not_future(given_on, "given_on")
    errors = {}
    if not (material or "").strip():
        errors["material"] = _("请填写宣传资料名称")
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        quantity = 0
    if quantity < 1:
        errors["quantity"] = _("数量须是正整数")
    if errors:
        raise ValidationError(errors)
    return PublicityRecord.objects.create(
        given_on=given_on,
        village=village,
        material=material.strip()[:100],
        quantity=quantity,
        place=(place or "").strip()[:100],
        recipients=(recipients or "").strip()[:200],
        recorded_by=actor,
    )


def record_waste(
    *, actor, recovered_on: dt.date, kg, village=None, store=None, note: str = ""
) -> WasteRecovery:
    """包装废弃物回收 in kilograms, at a store (its village follows) or in a village."""
    if store is not None:
        if village is not None and village.pk != store.village_id:
            raise ValidationError({"store": _("该门店不在所选村")})
        village = store.village
    _check_village(village)
    require(actor, "agri.record", village)
    _not_future(recovered_on, "recovered_on")
    try:
        kg = Decimal(str(kg)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"kg": _("重量必须是数字")}) from None
    if kg <= 0:
        raise ValidationError({"kg": _("重量必须大于0")})
    if kg >= Decimal("100000000"):
        raise ValidationError({"kg": _("重量过大，请以千克为单位填写")})
    return WasteRecovery.objects.create(
        recovered_on=recovered_on,
        village=village,
        store=store,
        kg=kg,
        note=(note or "").strip()[:200],
        recorded_by=actor,
    )


# -- campaigns and sampling tasks -----------------------------------------------------------------------------


def _check_period(start, end) -> None:
    if start is None or end is None:
        raise ValidationError({"start": _("请填写起止日期")})
    if end < start:
        raise ValidationError({"end": _("结束日期不能早于开始日期")})


@transaction.atomic
def create_campaign(
    *, actor, name: str, start: dt.date, end: dt.date, basis: str = "", description: str = "", products=()
) -> Campaign:
    """`products` is [(commodity, [pesticides], source), …]: the key products and the high-risk pesticides staff
    enter for each (the system ships no list of them)."""
    require(actor, "agri.manage")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写专项行动名称")})
    _check_period(start, end)
    if Campaign.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已有同名的专项行动")})
    campaign = Campaign.objects.create(
        name=name[:100],
        start=start,
        end=end,
        basis=(basis or "").strip()[:300],
        description=description or "",
    )
    for commodity, pesticides, source in products:
        set_campaign_product(
            actor=actor, campaign=campaign, commodity=commodity, pesticides=pesticides, source=source
        )
    return campaign


@transaction.atomic
def set_campaign_product(
    *, actor, campaign: Campaign, commodity, pesticides=(), source: str = ""
) -> CampaignProduct:
    """Add a key product to a campaign, or replace its high-risk pesticides."""
    require(actor, "agri.manage")
    if commodity is None:
        raise ValidationError({"commodity": _("请选择重点品种")})
    product, _created = CampaignProduct.objects.get_or_create(campaign=campaign, commodity=commodity)
    product.source = (source or "").strip()[:300]
    product.save(update_fields=["source", "updated_at"])
    product.pesticides.set(pesticides)
    return product


def remove_campaign_product(*, actor, product: CampaignProduct) -> None:
    require(actor, "agri.manage")
    product.delete()


def create_task(
    *,
    actor,
    name: str,
    level: str,
    node,
    start: dt.date,
    end: dt.date,
    kind: str = TaskKind.ROUTINE,
    campaign: Campaign | None = None,
    commodity=None,
    weekly_quota: int | None = None,
    target: int | None = None,
    holiday: str = "",
) -> SamplingTask:
    if node is None:
        raise ValidationError({"node": _("请选择负责单位")})
    require(actor, "agri.manage", node)
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("请填写任务名称")
    if level not in SampleLevel.values:
        errors["level"] = _("未知的抽检级别")
    if kind not in TaskKind.values:
        errors["kind"] = _("未知的任务类型")
    if kind == TaskKind.CAMPAIGN and campaign is None:
        errors["campaign"] = _("专项抽检须选择专项行动")
    if errors:
        raise ValidationError(errors)
    _check_period(start, end)
    if campaign is not None and (start < campaign.start or end > campaign.end):
        raise ValidationError({"start": _("任务期限须在专项行动期限之内")})
    if weekly_quota is None and target is None:
        raise ValidationError({"weekly_quota": _("请填写每周最少批次或任务总批次")})
    for field, value in (("weekly_quota", weekly_quota), ("target", target)):
        if value is not None and value < 1:
            raise ValidationError({field: _("批次须是正整数")})
    return SamplingTask.objects.create(
        name=name.strip()[:100],
        kind=kind,
        level=level,
        node=node,
        campaign=campaign,
        commodity=commodity,
        start=start,
        end=end,
        weekly_quota=weekly_quota,
        target=target,
        holiday=holiday[:40],
        created_by=actor,
    )


def task_accepts(task: SamplingTask, sample: Sample) -> str | None:
    """Why `sample` cannot count towards `task` (None when it can)."""
    if sample.level != task.level:
        return _("样品的抽检级别与任务不同")
    if not task.start <= timezone.localdate(sample.sampled_at) <= task.end:
        return _("样品的抽样日期不在任务期限内")
    if task.commodity_id and not sample.commodity.is_within(task.commodity):
        return _("样品品种不在任务范围内")
    if not sample.village.path.startswith(task.node.path):
        return _("样品所在村不在任务的负责单位内")
    if sample.status in EXCLUDED_STATES:
        return _("已取消或作废的样品不计入任务")
    return None


@transaction.atomic
def assign_sample(*, actor, sample: Sample, task: SamplingTask | None) -> Sample:
    """Count a sample towards a task (or, with None, towards none)."""
    sample = (
        Sample.objects.select_for_update(of=("self",))
        .select_related("commodity", "village")
        .get(pk=sample.pk)
    )
    require(actor, "agri.record", sample.village)
    if task is not None:
        reason = task_accepts(task, sample)
        if reason:
            raise ValidationError({"task": reason})
    sample.task = task
    sample.save(update_fields=["task", "updated_at"])
    return sample


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


@transaction.atomic
def assign_matching(*, actor, task: SamplingTask) -> int:
    """Put every matching sample the actor may record under the task; returns how many."""
    require(actor, "agri.record", task.node)
    ids = [
        s.pk
        for s in matching_samples(task).select_related("village")
        if actor.has_cap("agri.record", s.village)
    ]
    return Sample.objects.filter(pk__in=ids, task__isnull=True).update(task=task, updated_at=clock.now())


# -- holidays: duty rosters and the pre-holiday sampling ------------------------------------------------------


@dataclass(frozen=True)
class HolidayPeriod:
    """A run of rest days holding at least one statutory holiday (国庆节 2026-10-01 … 10-07)."""

    name: str
    start: dt.date
    end: dt.date

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    @property
    def key(self) -> str:
        return f"{self.start:%Y%m%d}"


def holiday_periods(year: int, calendar: WorkCalendar | None = None) -> list[HolidayPeriod]:
    """The statutory holiday periods starting in `year`, from the working-day calendar (admins' overrides
    included). For a year the holiday library does not cover yet, only the rest days an admin entered with a name
    (元旦, 春节 …) make periods."""
    from minsheng.core.models import CalendarOverride

    cal = calendar or WorkCalendar()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    day = first - dt.timedelta(days=10)
    # For a year the library does not know yet, an admin's rest-day overrides carry the holiday's name.
    named = dict(
        CalendarOverride.objects.filter(
            is_workday=False, date__gte=day, date__lte=last + dt.timedelta(days=10)
        )
        .exclude(name="")
        .values_list("date", "name")
    )
    periods, run, name = [], [], None
    while day <= last + dt.timedelta(days=10):
        if not cal.is_workday(day):
            run.append(day)
            label = (cal.holiday_name(day) if is_covered(day) else None) or named.get(day)
            if label and name is None:
                name = label
        else:
            if run and name and first <= run[0] <= last:
                periods.append(HolidayPeriod(str(HOLIDAY_NAMES.get(name, name)), run[0], run[-1]))
            run, name = [], None
        day += dt.timedelta(days=1)
    return periods


def holiday_period_of(day: dt.date) -> HolidayPeriod | None:
    for year in (day.year, day.year - 1):
        for period in holiday_periods(year):
            if period.start <= day <= period.end:
                return period
    return None


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


def create_pre_holiday_task(
    *,
    actor,
    suggestion: PreHolidaySuggestion,
    node,
    level: str = SampleLevel.STREET,
    target: int | None = None,
    commodity=None,
) -> SamplingTask:
    """The suggested 节前抽检 as a task (idempotent: the existing one is returned)."""
    existing = SamplingTask.objects.filter(
        kind=TaskKind.PRE_HOLIDAY, holiday=suggestion.period.name, end=suggestion.end, node=node
    ).first()
    if existing is not None:
        require(actor, "agri.manage", node)
        return existing
    return create_task(
        actor=actor,
        name=suggestion.name,
        level=level,
        node=node,
        start=suggestion.start,
        end=suggestion.end,
        kind=TaskKind.PRE_HOLIDAY,
        commodity=commodity,
        target=target or 10,
        holiday=suggestion.period.name,
    )


def assign_duty(
    *, actor, day: dt.date, node, person, leader: bool = False, phone: str = "", note: str = ""
) -> DutyShift:
    """Put a person on duty on one day of a statutory holiday period (the calendar says which days those are)."""
    if node is None:
        raise ValidationError({"node": _("请选择单位")})
    require(actor, "agri.manage", node)
    if day is None:
        raise ValidationError({"day": _("请选择值班日期")})
    period = holiday_period_of(day)
    if period is None:
        raise ValidationError(
            {"day": _("%(day)s不是法定节假日，无需安排节假日值班") % {"day": day.isoformat()}}
        )
    if person is None or not person.is_active or not person.is_staff_member:
        raise ValidationError({"person": _("请选择在岗的工作人员")})
    if not any(
        m.node.path.startswith(node.path) or node.path.startswith(m.node.path)
        for m in person.active_memberships
    ):
        raise ValidationError({"person": _("该人员不属于本单位")})
    if DutyShift.objects.filter(day=day, node=node, person=person).exists():
        raise ValidationError({"person": _("该人员当天已排班")})
    phone = (phone or "").strip() or (person.phone or "")
    return DutyShift.objects.create(
        day=day,
        holiday=period.name,
        node=node,
        person=person,
        leader=leader,
        phone=phone[:20],
        note=(note or "").strip()[:200],
    )


def remove_duty(*, actor, shift: DutyShift) -> None:
    require(actor, "agri.manage", shift.node)
    if shift.day < _today():
        raise ValidationError(_("已过去的值班记录不能删除"))
    shift.delete()


# -- reference data maintained by xlsx (admins) ---------------------------------------------------------------
# Every value carries its source; rows are added, never overwritten: a judgement must stay reproducible from the
# tables as they stood on the sample date (a wrong row is corrected in 系统配置, where the change is audited).


def _source(source: str) -> str:
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": _("请填写来源（标准、公告或文件名称）")})
    return source[:300]


def add_standard(*, actor, code: str, title: str, effective_from, withdrawn_on=None, source: str):
    from .models import StandardDoc

    require(actor, "agri.configure")
    code = (code or "").strip()
    if StandardDoc.objects.filter(code=code).exists():
        raise ValidationError({"code": _("已有标准“%(code)s”") % {"code": code}})
    if withdrawn_on and effective_from and withdrawn_on < effective_from:
        raise ValidationError({"withdrawn_on": _("废止日期不能早于实施日期")})
    doc = StandardDoc(
        code=code,
        title=(title or "").strip(),
        effective_from=effective_from,
        withdrawn_on=withdrawn_on,
        source=_source(source),
    )
    doc.full_clean()
    doc.save()
    return doc


def add_pesticide(*, actor, name: str, chem_class: str, source: str):
    from .choices import ChemClass
    from .models import Pesticide

    require(actor, "agri.configure")
    name = (name or "").strip()
    if Pesticide.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已有农药“%(name)s”") % {"name": name}})
    pesticide = Pesticide(name=name, chem_class=chem_class or ChemClass.UNKNOWN, source=_source(source))
    pesticide.full_clean()
    pesticide.save()
    return pesticide


def add_limit(*, actor, pesticide, commodity, mg_per_kg, standard, source: str, temporary=False, excluded=()):
    from .models import MaximumResidueLimit

    require(actor, "agri.configure")
    source = _source(source)
    if MaximumResidueLimit.objects.filter(
        pesticide=pesticide, commodity=commodity, standard=standard
    ).exists():
        raise ValidationError(
            {
                "mg_per_kg": _("%(standard)s中已有%(pesticide)s在%(commodity)s上的限量")
                % {"standard": standard, "pesticide": pesticide, "commodity": commodity}
            }
        )
    for node in excluded:
        if node.pk == commodity.pk or not node.is_within(commodity):
            raise ValidationError(
                {
                    "excluded": _("除外的品种“%(name)s”须是%(commodity)s的下级")
                    % {"name": node.name, "commodity": commodity.name}
                }
            )
    limit = MaximumResidueLimit(
        pesticide=pesticide,
        commodity=commodity,
        mg_per_kg=mg_per_kg,
        standard=standard,
        source=source,
        temporary=temporary,
    )
    limit.full_clean()
    limit.save()
    limit.excluded.set(excluded)
    return limit


def add_rule(
    *,
    actor,
    pesticide,
    kind: str,
    source: str,
    scopes=(),
    scope_text: str = "",
    effective_from=None,
    effective_to=None,
    announcement: str = "",
):
    from .choices import RuleKind
    from .models import PesticideRule

    require(actor, "agri.configure")
    source = _source(source)
    if kind == RuleKind.SCOPED_BAN and not scopes:
        raise ValidationError({"scopes": _("在部分范围禁用的规定须填写禁用范围")})
    if kind == RuleKind.FULL_BAN and scopes:
        raise ValidationError({"scopes": _("全面禁用的规定不填写禁用范围")})
    if effective_from and effective_to and effective_to <= effective_from:
        raise ValidationError({"effective_to": _("截止日期须晚于起始日期")})
    if PesticideRule.objects.filter(
        pesticide=pesticide,
        kind=kind,
        effective_from=effective_from,
        announcement=(announcement or "").strip(),
    ).exists():
        raise ValidationError({"announcement": _("已有相同的禁限用规定")})
    rule = PesticideRule(
        pesticide=pesticide,
        kind=kind,
        scope_text=(scope_text or "").strip(),
        effective_from=effective_from,
        effective_to=effective_to,
        announcement=(announcement or "").strip(),
        source=source,
    )
    rule.full_clean()
    rule.save()
    rule.scopes.set(scopes)
    return rule


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
