"""State changes of the agri ledger: registries, samples, rapid tests and their repeats, lab confirmation.

Who may record: village supervisors are the accounts' memberships with role 村级监管员 at a village node (one
membership per village, so a supervisor with three villages has three) — no second supervisor table to keep in
step. Street staff of the agri office (街道管理员, 街道干部) record anywhere under their node.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import clock
from minsheng.core.context import site_language
from minsheng.org.choices import TERRITORIAL_KINDS
from minsheng.org.validators import validate_credit_code

from .. import reference
from ..choices import (
    EXCLUDED_STATES,
    LabVerdict,
    ProducerKind,
    RapidMethod,
    RapidResult,
    SampleLevel,
    SampleStatus,
)
from ..judge import judge
from ..models import AgriInputStore, Commodity, LabResult, Pesticide, Producer, RapidTest, Sample

S = SampleStatus

#: Juices that inhibit the enzyme themselves (GB/T 5009.199 practice): a positive on these needs care.
FALSE_POSITIVE_PRONE = frozenset({"韭菜", "芹菜", "葱", "蒜", "萝卜", "香菜", "茭白", "蘑菇", "番茄"})

#: A positive or suspect first reading gets this many repeats; one positive repeat confirms it.
REPEATS = 2


def can_record(user, node) -> bool:
    """`agri.record` at the node: a 村级监管员 in his own villages, the 街道's agri staff anywhere under the 街道."""
    if user is None or not user.is_authenticated:
        return False
    return user.has_cap("agri.record", node)


def require_recorder(user, node) -> None:
    if not can_record(user, node):
        raise PermissionDenied(_("您不负责该村，不能在此登记"))


def _check_village(node) -> None:
    if node is None or node.kind not in TERRITORIAL_KINDS:
        raise ValidationError({"village": _("请选择所在村（社区）")})


# -- registries -----------------------------------------------------------------------------------------------


def create_producer(
    *,
    actor,
    name: str,
    kind: str,
    village,
    credit_code: str = "",
    subject_code: str = "",
    crops=(),
    area_mu=None,
    contact_name: str = "",
    phone: str = "",
) -> Producer:
    _check_village(village)
    require_recorder(actor, village)
    if kind not in ProducerKind.values:
        raise ValidationError({"kind": _("未知的主体类型")})
    if credit_code.strip():
        try:
            validate_credit_code(credit_code)
        except ValidationError as exc:
            raise ValidationError({"credit_code": exc.messages}) from exc
    producer = Producer(
        name=(name or "").strip(),
        kind=kind,
        village=village,
        credit_code=credit_code.strip().upper(),
        subject_code=subject_code.strip(),
        area_mu=area_mu,
        contact_name=contact_name.strip(),
        phone=phone.strip(),
    )
    producer.full_clean(exclude=["village"])
    producer.save()
    producer.crops.set(crops)
    return producer


def create_store(
    *, actor, name: str, village, licence_no: str = "", designated_outlet: bool = False, address: str = ""
) -> AgriInputStore:
    _check_village(village)
    require_recorder(actor, village)
    store = AgriInputStore(
        name=(name or "").strip(),
        village=village,
        licence_no=licence_no.strip(),
        designated_outlet=designated_outlet,
        address=address.strip(),
    )
    store.full_clean(exclude=["village"])
    store.save()
    return store


PRODUCER_FIELDS = (
    "name",
    "kind",
    "credit_code",
    "subject_code",
    "area_mu",
    "contact_name",
    "phone",
    "village",
)
STORE_FIELDS = ("name", "licence_no", "designated_outlet", "address", "village")


@transaction.atomic
def update_producer(*, actor, producer: Producer, crops=None, **changes) -> Producer:
    """Edit a producer; moving it to another village needs the right to record in both."""
    producer = Producer.objects.select_for_update(of=("self",)).get(pk=producer.pk)
    require_recorder(actor, producer.village)
    unknown = set(changes) - set(PRODUCER_FIELDS)
    if unknown:
        raise ValueError(f"unknown producer fields: {sorted(unknown)}")
    if "village" in changes:
        _check_village(changes["village"])
        require_recorder(actor, changes["village"])
    if "kind" in changes and changes["kind"] not in ProducerKind.values:
        raise ValidationError({"kind": _("未知的主体类型")})
    if (changes.get("credit_code") or "").strip():
        try:
            validate_credit_code(changes["credit_code"])
        except ValidationError as exc:
            raise ValidationError({"credit_code": exc.messages}) from exc
        changes["credit_code"] = changes["credit_code"].strip().upper()
    for field, value in changes.items():
        setattr(producer, field, value.strip() if isinstance(value, str) else value)
    producer.full_clean(exclude=["village"])
    producer.save(update_fields=[*changes, "updated_at"])
    if crops is not None:
        producer.crops.set(crops)
    return producer


@transaction.atomic
def update_store(*, actor, store: AgriInputStore, **changes) -> AgriInputStore:
    store = AgriInputStore.objects.select_for_update(of=("self",)).get(pk=store.pk)
    require_recorder(actor, store.village)
    unknown = set(changes) - set(STORE_FIELDS)
    if unknown:
        raise ValueError(f"unknown store fields: {sorted(unknown)}")
    if "village" in changes:
        _check_village(changes["village"])
        require_recorder(actor, changes["village"])
    for field, value in changes.items():
        setattr(store, field, value.strip() if isinstance(value, str) else value)
    store.full_clean(exclude=["village"])
    store.save(update_fields=[*changes, "updated_at"])
    return store


# -- samples and rapid tests ----------------------------------------------------------------------------------


def record_sample(
    *,
    actor,
    commodity: Commodity,
    village,
    level: str,
    producer: Producer | None = None,
    stall: str = "",
    certificate_shown: bool = False,
    sampled_at=None,
    follow_up_of: Sample | None = None,
) -> Sample:
    """抽样: the sampler is the actor; a sample comes from a registered producer or a named market stall.

    `follow_up_of` makes it the 跟踪复抽 of a failed sample: same producer (or stall) and village."""
    _check_village(village)
    require_recorder(actor, village)
    errors = {}
    if follow_up_of is not None:
        if follow_up_of.status != S.FAILED:
            errors["follow_up_of"] = _("只有不合格样品需要跟踪复抽")
        elif (
            follow_up_of.village_id != village.pk
            or follow_up_of.producer_id != (producer.pk if producer else None)
            or not producer
            and follow_up_of.stall.strip() != stall.strip()
        ):
            errors["follow_up_of"] = _("复抽须针对原不合格样品的同一主体")
    if commodity is None:
        errors["commodity"] = _("请选择抽检品种")
    if level not in SampleLevel.values:
        errors["level"] = _("未知的抽检级别")
    if producer is None and not stall.strip():
        errors["producer"] = _("请选择生产经营主体或填写市场摊位")
    if producer is not None and producer.village_id != village.pk:
        errors["producer"] = _("该主体不在所选村")
    if sampled_at is not None and sampled_at > clock.now():
        errors["sampled_at"] = _("抽样时间不能晚于当前时间")
    if errors:
        raise ValidationError(errors)
    return Sample.objects.create(
        commodity=commodity,
        village=village,
        level=level,
        producer=producer,
        stall=stall.strip()[:100],
        certificate_shown=certificate_shown,
        sampler=actor,
        sampled_at=sampled_at or clock.now(),
        follow_up_of=follow_up_of,
    )


def awaiting_follow_up(samples):
    """Failed samples not yet followed up: the 跟踪复抽 tasks. A follow-up that was cancelled or voided does not
    count — the task stays open until a real follow-up sample exists."""
    done = Sample.objects.filter(follow_up_of=models.OuterRef("pk")).exclude(status__in=EXCLUDED_STATES)
    return samples.filter(status=S.FAILED).exclude(models.Exists(done))


def inhibition_rate(delta_a0, delta_at) -> Decimal:
    """GB/T 5009.199: inhibition (%) = (ΔA0 − ΔAt) / ΔA0 × 100, to two decimals."""
    try:
        a0, at = Decimal(str(delta_a0)), Decimal(str(delta_at))
    except (InvalidOperation, TypeError) as exc:
        raise ValidationError({"delta_a0": _("吸光度变化值必须是数字")}) from exc
    if a0 <= 0:
        raise ValidationError({"delta_a0": _("对照组ΔA0必须大于0")})
    if at < 0:
        raise ValidationError({"delta_at": _("样品ΔAt不能为负数")})
    return ((a0 - at) / a0 * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def classify_inhibition(inhibition: Decimal) -> str:
    """Positive from 50 %; a configurable suspect band below it (default 40–50 %) gets the repeats too, since
    readings in that band hide a large share of false negatives."""
    positive_from = Decimal(str(getattr(settings, "AGRI_ENZYME_POSITIVE_FROM", 50)))
    suspect_from = Decimal(str(getattr(settings, "AGRI_ENZYME_SUSPECT_FROM", 40)))
    if inhibition >= positive_from:
        return RapidResult.POSITIVE
    if inhibition >= suspect_from:
        return RapidResult.SUSPECT
    return RapidResult.NEGATIVE


def false_positive_prone(commodity: Commodity) -> bool:
    return any(node.name in FALSE_POSITIVE_PRONE for node in commodity.lineage())


@transaction.atomic
def record_rapid_test(
    *,
    actor,
    sample: Sample,
    method: str,
    delta_a0=None,
    delta_at=None,
    pesticide: Pesticide | None = None,
    positive: bool | None = None,
    card_invalid: bool = False,
) -> RapidTest:
    """One reading: the first, or a repeat of a positive/suspect first reading.

    First reading negative → 合格. Positive or suspect → two repeats; a positive repeat makes the sample a
    confirmed rapid-test positive awaiting a lab result; two repeats without a positive → 合格.
    """
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    require_recorder(actor, sample.village)
    if sample.status not in (S.SAMPLED, S.REPEATING):
        raise ValidationError(_("该样品已有检测结论，不能再录入速测结果"))
    previous = list(sample.rapid_tests.order_by("repeat_index"))
    if previous and previous[0].method != method:
        raise ValidationError({"method": _("复测须使用与初测相同的方法")})
    test = RapidTest(
        sample=sample, method=method, repeat_index=len(previous), tester=actor, tested_at=clock.now()
    )
    if method == RapidMethod.ENZYME:
        if delta_a0 is None or delta_at is None:
            raise ValidationError({"delta_a0": _("请填写对照组ΔA0和样品ΔAt")})
        test.inhibition = inhibition_rate(delta_a0, delta_at)
        test.delta_a0, test.delta_at = Decimal(str(delta_a0)), Decimal(str(delta_at))
        test.result = classify_inhibition(test.inhibition)
        test.false_positive_warning = false_positive_prone(sample.commodity)
    elif method == RapidMethod.GOLD:
        if card_invalid:
            # No control line: the card says nothing about the sample. It is not a reading, so it must not use up
            # one of the two repeats either.
            raise ValidationError(
                {"positive": _("试纸卡无效（质控线C线不显色），本次不计结果，请换一张卡重测")}
            )
        if pesticide is None or positive is None:
            raise ValidationError({"pesticide": _("胶体金检测须选择检测项目并判读结果")})
        if previous and previous[0].pesticide_id != pesticide.pk:
            raise ValidationError({"pesticide": _("复测须检测同一农药")})
        test.pesticide = pesticide
        test.result = RapidResult.POSITIVE if positive else RapidResult.NEGATIVE
    else:
        raise ValidationError({"method": _("未知的速测方法")})
    test.save()

    if test.repeat_index == 0:
        sample.status = S.PASSED if test.result == RapidResult.NEGATIVE else S.REPEATING
    elif test.result == RapidResult.POSITIVE:
        sample.status = S.CONFIRMING
    elif test.repeat_index >= REPEATS:
        sample.status = S.PASSED
    sample.save(update_fields=["status", "updated_at"])
    return test


@transaction.atomic
def record_lab_results(*, actor, sample: Sample, results) -> list[LabResult]:
    """定量确证: `results` is [(pesticide, mg/kg), …] for what the lab looked for (0 = not detected).

    Each is judged on the sample date; one failure fails the sample and opens a rectification case. A detection
    with no limit on record for that date is refused rather than passed: the limit has to be entered first.
    """
    sample = Sample.objects.select_for_update().select_related("commodity", "village").get(pk=sample.pk)
    require_recorder(actor, sample.village)
    if sample.status != S.CONFIRMING:
        raise ValidationError(_("只有速测阳性（复测确认）的样品可以录入定量结果"))
    if not results:
        raise ValidationError({"results": _("请至少录入一项检测结果")})
    on_date = timezone.localdate(sample.sampled_at)
    judged = []
    for pesticide, value in results:
        try:
            value = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationError({"results": _("检出值必须是数字")}) from exc
        if value < 0:
            raise ValidationError({"results": _("检出值不能为负数")})
        judged.append((pesticide, value, judge(pesticide, sample.commodity, value, on_date)))
    failed = any(j.failed for _p, _v, j in judged)
    unjudged = [p.name for p, _v, j in judged if j.verdict == LabVerdict.NO_LIMIT]
    if unjudged and not failed:
        raise ValidationError(
            {
                "results": _("%(names)s在%(commodity)s上没有抽样日适用的限量数据，请先补录限量标准")
                % {"names": "、".join(unjudged), "commodity": sample.commodity.name}
            }
        )
    rows = [
        LabResult.objects.create(
            sample=sample,
            pesticide=pesticide,
            mg_per_kg=value,
            limit=j.limit,
            limit_value=j.limit.mg_per_kg if j.limit else None,
            rule=j.rule,
            verdict=j.verdict,
            recorded_by=actor,
        )
        for pesticide, value, j in judged
    ]
    sample.status = S.FAILED if failed else S.PASSED
    sample.save(update_fields=["status", "updated_at"])
    if failed:
        _open_rectification(sample, rows)
    return rows


@site_language()
def _open_rectification(sample: Sample, rows: list[LabResult]) -> None:
    from minsheng.cases import actions as case_actions
    from minsheng.cases.models import Category

    findings = "；".join(
        f"{row.pesticide.name} {row.mg_per_kg} mg/kg（{row.get_verdict_display()}）"
        for row in rows
        if row.verdict in (LabVerdict.OVER_LIMIT, LabVerdict.BANNED)
    )
    who = sample.producer.name if sample.producer else sample.stall
    description = _(
        "%(who)s的%(commodity)s（%(date)s抽样）检测不合格：%(findings)s。请通知生产经营主体整改并跟踪复抽。"
    ) % {
        "who": who,
        "commodity": sample.commodity.name,
        "date": f"{timezone.localdate(sample.sampled_at):%Y-%m-%d}",
        "findings": findings,
    }
    case = case_actions.do_register(
        actor=None,
        kind="rectification",
        channel="system",
        category=Category.objects.get(code=reference.RECTIFICATION_CATEGORY),
        title=_("农残不合格整改：%(commodity)s") % {"commodity": sample.commodity.name},
        description=description,
        node=sample.village,
        source=sample,
        # The producer is whom the handler tells, and whom the 回访 asks whether the rectification was done.
        reporter_name=(sample.producer.contact_name or sample.producer.name) if sample.producer else "",
        reporter_phone=sample.producer.phone if sample.producer else "",
    )
    sample.case = case
    sample.save(update_fields=["case", "updated_at"])


def void_sample(*, actor, sample: Sample, invalid: bool = False) -> Sample:
    """取消 (never tested) or 作废 (invalid, e.g. a spoiled extract): either way it leaves pass rates and quotas."""
    require_recorder(actor, sample.village)
    if sample.status in EXCLUDED_STATES or sample.status == S.FAILED:
        raise ValidationError(_("该样品当前状态不能取消或作废"))
    if not invalid and sample.status != S.SAMPLED:
        raise ValidationError(_("已开始检测的样品只能作废，不能取消"))
    sample.status = S.INVALID if invalid else S.CANCELLED
    sample.save(update_fields=["status", "updated_at"])
    return sample
