"""State changes of the agri office's ledgers: responsibility letters, publicity material, packaging-waste recovery,
campaigns, sampling tasks (and which samples count towards them), holiday duty and the pre-holiday sampling.

Who may do what (capabilities of accounts/roles.py, checked at the row's node):
- letters, publicity, waste recovery, putting a sample under a task: `agri.record` at the village (a 村级监管员 in his
  villages, the 街道's agri staff anywhere);
- campaigns, sampling tasks, holiday duty: `agri.manage` (街道管理员, 街道干部).
"""

import datetime as dt
import os
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import clock
from minsheng.core.calendar import holiday_period_of
from minsheng.org.choices import NodeKind

from ..choices import EXCLUDED_STATES, LetterLevel, SampleLevel, TaskKind
from ..models import (
    Campaign,
    CampaignProduct,
    DutyShift,
    Producer,
    PublicityRecord,
    ResponsibilityLetter,
    Sample,
    SamplingTask,
    WasteRecovery,
)
from ..queries import PreHolidaySuggestion, matching_samples, supervised_villages

#: Scans of signed letters: PDF or a photo, at most this size.
SCAN_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}
SCAN_MAX_BYTES = 10 * 1024 * 1024


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
        villages = supervised_villages(supervisor)
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
