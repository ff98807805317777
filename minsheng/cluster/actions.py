"""The cherry cluster's actions — the ONLY place its rows change. Pages, the API, the xlsx import and the demo call
these.

Every function runs in one transaction and checks `cluster.record` at the row's village (`actor=None` is the
system: the demo, an import already checked). Errors: `ValidationError` with field messages (bad input → HTTP 400),
`PermissionDenied` (→ 403), `IllegalTransition` (the record's state forbids it → 409). The audit log is the event
trail: every row here is audited (who changed what, when). Trainings are events of the activities engine, created
and attended through `minsheng.activities.actions`; this app keeps no registration or check-in of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Sum
from django.utils.translation import gettext as _

from minsheng.activities import actions as events
from minsheng.core import clock
from minsheng.core.errors import IllegalTransition
from minsheng.org.choices import NodeKind

from . import queries
from .choices import (
    ONLINE_CHANNELS,
    AgreementKind,
    Channel,
    Grade,
    OrchardKind,
    OrgKind,
    Package,
    Platform,
    TechniqueKind,
    TrainingKind,
    Variety,
)
from .models import (
    Adoption,
    Agreement,
    Centre,
    Grower,
    Harvest,
    Orchard,
    Organisation,
    Sale,
    StreamSession,
    Technique,
    Training,
)

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.activities.models import Event, Venue
    from minsheng.org.models import Household, Node, Resident

RECORD = "cluster.record"
ZERO = Decimal("0")


def require(actor: User | None, node: Node | None) -> None:
    if actor is None:
        return
    if not actor.has_cap(RECORD, node):
        raise PermissionDenied(_("没有权限执行此操作"))


def _decimal(value: Any, field: str, errors: dict[str, str], *, positive: bool = True) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = _("请填写数字")
        return ZERO
    if not number.is_finite() or (positive and number <= 0) or number < 0:
        errors[field] = _("请填写大于 0 的数")
        return ZERO
    if number >= Decimal("1e10"):
        errors[field] = _("数值过大")
    return number


def _check_village(village: Node | None, errors: dict[str, str], field: str = "village") -> None:
    """An orchard, grower or centre lies in a village of the registry — never a 社区, the street or nowhere."""
    if village is None:
        errors[field] = _("请选择所在村")
    elif village.kind != NodeKind.VILLAGE:
        errors[field] = _("“%(name)s”不是村，果园和种植户必须落在某个村内") % {"name": village.name}


def _check_location(
    village: Node | None, lat: Any, lng: Any, errors: dict[str, str]
) -> tuple[float | None, float | None]:
    """An orchard's point: both coordinates or neither, in range, and inside its village's boundary when the village
    has one (a polygon of the org registry); a village without a boundary keeps the village rule alone."""
    if lat in (None, "") and lng in (None, ""):
        return None, None
    try:
        y, x = float(lat), float(lng)
    except (TypeError, ValueError):
        errors["lat"] = _("经纬度须同时填写，且为数字")
        return None, None
    if not (-90 <= y <= 90 and -180 <= x <= 180):
        errors["lat"] = _("纬度应在 -90 到 90 之间，经度应在 -180 到 180 之间")
        return None, None
    if village is None or village.kind != NodeKind.VILLAGE:
        return y, x
    outside, where = queries.outside_boundary(village, y, x)
    if outside and where is not None:
        errors["lat"] = _("该位置在%(village)s的边界之外（位于%(other)s），请核对位置或所在村") % {
            "village": village.name,
            "other": where.name,
        }
    elif outside:
        errors["lat"] = _("该位置在%(village)s的边界之外，不在任何村的范围内，请核对位置") % {
            "village": village.name
        }
    return y, x


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# -- growers, orchards, organisations ---------------------------------------------------------------------------


def do_register_grower(
    *,
    actor: User | None,
    name: str,
    village: Node | None,
    phone: str = "",
    resident: Resident | None = None,
    household: Household | None = None,
    note: str = "",
) -> Grower:
    """A grower of the resident registry (name and phone taken from the resident) or entered by name."""
    errors: dict[str, str] = {}
    if resident is not None:
        name = name or resident.name
        phone = phone or resident.phone
        household = household or resident.household
    name = (name or "").strip()
    phone = (phone or "").strip()
    if not name:
        errors["name"] = _("请填写户主姓名")
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        errors["phone"] = _("手机号应为 11 位数字")
    _check_village(village, errors)
    _raise(errors)
    assert village is not None  # _check_village refused a missing one
    require(actor, village)
    with transaction.atomic():
        created: Grower = Grower.objects.create(
            name=name[:50],
            phone=phone,
            village=village,
            resident=resident,
            household=household,
            note=note[:200],
        )
        return created


def do_add_orchard(
    grower: Grower,
    *,
    actor: User | None,
    name: str,
    area_mu: Any,
    variety: str,
    planted_year: Any,
    village: Node | None = None,
    kind: str = OrchardKind.OPEN_FIELD,
    iot_greenhouse_id: int | None = None,
    lat: float | None = None,
    lng: float | None = None,
) -> Orchard:
    """An orchard of a grower. A greenhouse of the iot app becomes an orchard by its id (kind 大棚, same village)."""
    village = village or grower.village
    errors: dict[str, str] = {}
    _check_village(village, errors)
    area = _decimal(area_mu, "area_mu", errors)
    if "area_mu" not in errors and area > 5000:
        errors["area_mu"] = _("单个果园面积不应超过 5000 亩")
    if variety not in Variety.values:
        errors["variety"] = _("请选择品种")
    if kind not in OrchardKind.values:
        errors["kind"] = _("请选择类型")
    this_year = clock.today().year
    try:
        year = int(planted_year)
    except (TypeError, ValueError):
        year = 0
    if not 1950 <= year <= this_year:
        errors["planted_year"] = _("栽植年份应在 1950 年到今年之间")
    if iot_greenhouse_id is not None:
        greenhouse = queries.iot_greenhouse(iot_greenhouse_id)
        if greenhouse is None:
            errors["iot_greenhouse_id"] = _("没有这个物联网大棚")
        elif village is not None and greenhouse["village_id"] != village.pk:
            errors["iot_greenhouse_id"] = _("该大棚不在所选的村")
        elif Orchard.objects.filter(iot_greenhouse_id=iot_greenhouse_id).exists():
            errors["iot_greenhouse_id"] = _("该大棚已登记为果园")
        kind = OrchardKind.GREENHOUSE
    lat, lng = _check_location(village, lat, lng, errors)
    name = (name or "").strip() or _("%(grower)s的果园") % {"grower": grower.name}
    _raise(errors)
    assert village is not None  # _check_village refused a missing one
    require(actor, village)
    with transaction.atomic():
        created: Orchard = Orchard.objects.create(
            grower=grower,
            name=name[:100],
            village=village,
            kind=kind,
            area_mu=area,
            variety=variety,
            planted_year=year,
            iot_greenhouse_id=iot_greenhouse_id,
            lat=lat,
            lng=lng,
        )
        return created


def _check_organisation(
    kind: str, name: str, village: Node | None, errors: dict[str, str], *, pk: int | None = None
) -> str:
    name = (name or "").strip()
    if kind not in OrgKind.values:
        errors["kind"] = _("请选择类型")
    if not name:
        errors["name"] = _("请填写名称")
    elif Organisation.objects.filter(name=name[:100]).exclude(pk=pk or 0).exists():
        errors["name"] = _("已有同名的合作社或家庭农场")
    _check_village(village, errors)
    return name


def do_create_organisation(
    *,
    actor: User | None,
    kind: str,
    name: str,
    village: Node | None,
    leader: str = "",
    members: Iterable[Grower] = (),
) -> Organisation:
    """A cooperative or family farm of a village, with its first members (optional)."""
    errors: dict[str, str] = {}
    name = _check_organisation(kind, name, village, errors)
    _raise(errors)
    assert village is not None  # _check_village refused a missing one
    require(actor, village)
    with transaction.atomic():
        created: Organisation = Organisation.objects.create(
            kind=kind, name=name[:100], village=village, leader=(leader or "").strip()[:50]
        )
        members = list(members)
        if members:
            do_add_members(created, members, actor=actor)
        return created


def do_update_organisation(
    organisation: Organisation,
    *,
    actor: User | None,
    kind: str,
    name: str,
    village: Node | None,
    leader: str = "",
) -> Organisation:
    """Correct a cooperative's or family farm's kind, name, leader or village (moving it needs the right at both)."""
    require(actor, organisation.village)
    errors: dict[str, str] = {}
    name = _check_organisation(kind, name, village, errors, pk=organisation.pk)
    _raise(errors)
    assert village is not None
    require(actor, village)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        locked.kind, locked.name, locked.village = kind, name[:100], village
        locked.leader = (leader or "").strip()[:50]
        locked.save(update_fields=["kind", "name", "village", "leader", "updated_at"])
        return locked


def _check_members(organisation: Organisation, growers: list[Grower], actor: User | None) -> None:
    """Whoever changes a membership may keep records both at the organisation's and at each grower's village."""
    require(actor, organisation.village)
    for grower in growers:
        if actor is not None and not actor.has_cap(RECORD, grower.village):
            raise PermissionDenied(
                _("没有权限登记%(village)s的种植户%(name)s")
                % {"village": grower.village.name, "name": grower.name}
            )


def do_add_members(organisation: Organisation, growers: Iterable[Grower], *, actor: User | None) -> int:
    """Growers join a cooperative or family farm; someone already a member is refused (nothing is added)."""
    chosen = list({g.pk: g for g in growers}.values())
    if not chosen:
        raise ValidationError({"members": _("请选择要加入的种植户")})
    _check_members(organisation, chosen, actor)
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        known = set(organisation.members.filter(pk__in=[g.pk for g in chosen]).values_list("pk", flat=True))
        if known:
            names = "、".join(g.name for g in chosen if g.pk in known)
            raise ValidationError(
                {"members": _("%(names)s 已是%(org)s的成员") % {"names": names, "org": organisation.name}}
            )
        organisation.members.add(*chosen)
        return len(chosen)


def do_remove_members(organisation: Organisation, growers: Iterable[Grower], *, actor: User | None) -> int:
    """Growers leave a cooperative or family farm; someone who is not a member is refused (nothing is removed)."""
    chosen = list({g.pk: g for g in growers}.values())
    if not chosen:
        raise ValidationError({"members": _("请选择要移出的种植户")})
    _check_members(organisation, chosen, actor)
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        known = set(organisation.members.filter(pk__in=[g.pk for g in chosen]).values_list("pk", flat=True))
        strangers = [g.name for g in chosen if g.pk not in known]
        if strangers:
            raise ValidationError(
                {
                    "members": _("%(names)s 不是%(org)s的成员")
                    % {"names": "、".join(strangers), "org": organisation.name}
                }
            )
        organisation.members.remove(*chosen)
        return len(chosen)


def do_set_members(
    organisation: Organisation,
    growers: Iterable[Grower],
    *,
    actor: User | None,
    within: Iterable[Grower] = (),
) -> tuple[int, int]:
    """The members form: `growers` become exactly the members among `within` (the growers the form offered, all of
    them when empty); members the form did not offer (another village's, out of the editor's sight) stay.
    Returns (joined, left)."""
    chosen = {g.pk: g for g in growers}
    offered = {g.pk for g in within} | set(chosen)
    with transaction.atomic():
        current = {g.pk: g for g in organisation.members.select_related("village")}
        join = [g for pk, g in chosen.items() if pk not in current]
        leave = [g for pk, g in current.items() if pk not in chosen and (not within or pk in offered)]
        if join:
            do_add_members(organisation, join, actor=actor)
        if leave:
            do_remove_members(organisation, leave, actor=actor)
        if not join and not leave:
            require(actor, organisation.village)
        return len(join), len(leave)


def _agreement_values(
    *,
    enterprise: Model | None,
    kind: str,
    subject: str,
    signed_on: dt.date | None,
    organisation: Organisation | None,
    grower: Grower | None,
    volume_kg: Any,
    amount_yuan: Any,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if enterprise is None or enterprise.pk is None or enterprise._meta.label != queries.ENTERPRISE_MODEL:
        errors["enterprise"] = _("请选择企业名录中的企业")
    elif not queries.is_leading(enterprise):
        errors["enterprise"] = _("“%(name)s”在企业名录中没有“龙头企业”标签，带动协议只登记龙头企业") % {
            "name": getattr(enterprise, "name", enterprise)
        }
    if kind not in AgreementKind.values:
        errors["kind"] = _("请选择协议类型")
    if (organisation is None) == (grower is None):
        errors["organisation"] = _("请选择一个合作社/家庭农场或一个种植户")
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = _("请填写协议内容")
    volume = None if volume_kg in (None, "") else _decimal(volume_kg, "volume_kg", errors)
    if volume is None and kind == AgreementKind.PURCHASE:
        errors["volume_kg"] = _("收购协议请填写约定收购数量（千克）")
    amount = None if amount_yuan in (None, "") else _decimal(amount_yuan, "amount_yuan", errors)
    if signed_on is None:
        errors["signed_on"] = _("请填写签订日期")
    elif signed_on > clock.today():
        errors["signed_on"] = _("签订日期不能晚于今天")
    _raise(errors)
    assert enterprise is not None
    from django.contrib.contenttypes.models import ContentType

    partner = organisation or grower
    assert partner is not None
    return {
        "enterprise_type": ContentType.objects.get_for_model(enterprise),
        "enterprise_id": enterprise.pk,
        "enterprise_name": str(getattr(enterprise, "name", enterprise))[:100],
        "kind": kind,
        "organisation": organisation,
        "grower": grower,
        "village": partner.village,
        "subject": subject[:200],
        "volume_kg": None if volume is None else volume.quantize(Decimal("0.1")),
        "amount_yuan": amount,
        "signed_on": signed_on,
    }


def do_record_agreement(
    *,
    actor: User | None,
    enterprise: Model | None,
    kind: str,
    subject: str,
    signed_on: dt.date | None,
    organisation: Organisation | None = None,
    grower: Grower | None = None,
    volume_kg: Any = None,
    amount_yuan: Any = None,
) -> Agreement:
    """带动: a 龙头企业 of the enterprise registry buys from (volume required) or serves a cooperative or a grower."""
    values = _agreement_values(
        enterprise=enterprise,
        kind=kind,
        subject=subject,
        signed_on=signed_on,
        organisation=organisation,
        grower=grower,
        volume_kg=volume_kg,
        amount_yuan=amount_yuan,
    )
    require(actor, values["village"])
    with transaction.atomic():
        created: Agreement = Agreement.objects.create(**values)
        return created


def do_update_agreement(
    agreement: Agreement,
    *,
    actor: User | None,
    enterprise: Model | None,
    kind: str,
    subject: str,
    signed_on: dt.date | None,
    organisation: Organisation | None = None,
    grower: Grower | None = None,
    volume_kg: Any = None,
    amount_yuan: Any = None,
) -> Agreement:
    """Correct an agreement: every field is checked again as on recording; a new partner needs the right there."""
    require(actor, agreement.village)
    values = _agreement_values(
        enterprise=enterprise,
        kind=kind,
        subject=subject,
        signed_on=signed_on,
        organisation=organisation,
        grower=grower,
        volume_kg=volume_kg,
        amount_yuan=amount_yuan,
    )
    require(actor, values["village"])
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*values, "updated_at"])
        return locked


# -- harvests and sales -----------------------------------------------------------------------------------------


def do_record_harvest(
    orchard: Orchard,
    *,
    actor: User | None,
    harvested_on: dt.date,
    yield_kg: Any,
    grade: str,
    season: int | None = None,
) -> Harvest:
    """One picking of one grade from one orchard; the season is the harvest's year unless given."""
    errors: dict[str, str] = {}
    amount = _decimal(yield_kg, "yield_kg", errors)
    if "yield_kg" not in errors and amount > orchard.area_mu * 5000:
        errors["yield_kg"] = _("产量超过每亩 5000 千克，请核对")
    if grade not in Grade.values:
        errors["grade"] = _("请选择等级")
    today = clock.today()
    if harvested_on is None:
        errors["harvested_on"] = _("请填写采收日期")
    elif harvested_on > today:
        errors["harvested_on"] = _("采收日期不能晚于今天")
    elif harvested_on.year < orchard.planted_year:
        errors["harvested_on"] = _("采收早于果园栽植年份")
    _raise(errors)
    require(actor, orchard.village)
    with transaction.atomic():
        created: Harvest = Harvest.objects.create(
            orchard=orchard,
            season=season or harvested_on.year,
            harvested_on=harvested_on,
            yield_kg=amount,
            grade=grade,
            recorded_by=actor,
        )
        return created


def do_record_sale(
    harvest: Harvest,
    *,
    actor: User | None,
    channel: str,
    volume_kg: Any,
    price: Any,
    sold_on: dt.date,
    platform: str = "",
    seller: Grower | None = None,
    buyer: str = "",
) -> Sale:
    """A sale out of one harvest. All sales of a harvest together never exceed its yield (checked under a lock)."""
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = _("请选择销售渠道")
    volume = _decimal(volume_kg, "volume_kg", errors)
    unit_price = _decimal(price, "price", errors)
    if "price" not in errors and unit_price > 2000:
        errors["price"] = _("单价超过每千克 2000 元，请核对")
    if channel in ONLINE_CHANNELS:
        if platform not in Platform.values:
            errors["platform"] = _("电商平台和直播销售请选择平台")
    else:
        platform = ""
    if seller is not None and not queries.is_seller(seller):
        errors["seller"] = _("该种植户还没有直播记录，不是带货达人")
    if sold_on is None:
        errors["sold_on"] = _("请填写销售日期")
    elif sold_on > clock.today():
        errors["sold_on"] = _("销售日期不能晚于今天")
    elif sold_on < harvest.harvested_on:
        errors["sold_on"] = _("销售日期不能早于采收日期")
    _raise(errors)
    require(actor, harvest.orchard.village)
    with transaction.atomic():
        locked = Harvest.objects.select_for_update().get(pk=harvest.pk)
        sold = locked.sales.aggregate(s=Sum("volume_kg"))["s"] or ZERO
        if sold + volume > locked.yield_kg:
            raise ValidationError(
                {
                    "volume_kg": _("销量超过该批采收的剩余数量（产量 %(y)s 千克，已售 %(s)s 千克）")
                    % {"y": locked.yield_kg, "s": sold}
                }
            )
        created: Sale = Sale.objects.create(
            harvest=locked,
            channel=channel,
            platform=platform,
            volume_kg=volume,
            price=unit_price,
            amount=(volume * unit_price).quantize(Decimal("0.01")),
            sold_on=sold_on,
            seller=seller,
            buyer=buyer[:100],
        )
        return created


# -- techniques and trainings -----------------------------------------------------------------------------------


def do_add_technique(
    *,
    actor: User | None,
    code: str,
    name: str,
    institution: str,
    introduced_year: int,
    kind: str = TechniqueKind.TECHNIQUE,
    description: str = "",
    by_data: bool = False,
) -> Technique:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    institution = (institution or "").strip()
    if not name:
        errors["name"] = _("请填写技术名称")
    elif Technique.objects.filter(name=name).exists():
        errors["name"] = _("技术目录里已有这项技术")
    if not code or Technique.objects.filter(code=code).exists():
        errors["code"] = _("代码为空或已被使用")
    if not institution:
        errors["institution"] = _("请填写引进单位（如 中国农科院、山东农业大学）")
    if kind not in TechniqueKind.values:
        errors["kind"] = _("请选择类型")
    if not 1980 <= int(introduced_year or 0) <= clock.today().year:
        errors["introduced_year"] = _("引进年份无效")
    _raise(errors)
    require(actor, None)
    with transaction.atomic():
        created: Technique = Technique.objects.create(
            code=code[:32],
            name=name[:60],
            institution=institution[:60],
            introduced_year=introduced_year,
            kind=kind,
            description=description,
            by_data=by_data,
        )
        return created


def do_adopt(technique: Technique, orchard: Orchard, *, actor: User | None, adopted_on: dt.date) -> Adoption:
    """An orchard adopts a technique on a date; a second adoption of the same technique is refused."""
    if adopted_on is None or adopted_on > clock.today():
        raise ValidationError({"adopted_on": _("采用日期不能为空或晚于今天")})
    require(actor, orchard.village)
    with transaction.atomic():
        if Adoption.objects.filter(technique=technique, orchard=orchard).exists():
            raise IllegalTransition(_("该果园已采用这项技术"))
        created: Adoption = Adoption.objects.create(
            technique=technique, orchard=orchard, adopted_on=adopted_on
        )
        return created


def _centre_values(
    name: str,
    village: Node | None,
    venue: Venue | None,
    packages: Iterable[str],
    errors: dict[str, str],
    *,
    pk: int | None = None,
) -> tuple[str, list[str]]:
    name = (name or "").strip()
    wanted = set(packages or ())
    chosen = [p for p in Package.values if p in wanted]
    if not name:
        errors["name"] = _("请填写名称")
    elif Centre.objects.filter(name=name[:100]).exclude(pk=pk or 0).exists():
        errors["name"] = _("已有同名的孵化中心")
    if wanted - set(Package.values):
        errors["packages"] = _("套餐只能是仓播、村播、云播")
    elif not chosen:
        errors["packages"] = _("请至少选择一种套餐（仓播、村播、云播）")
    _check_village(village, errors)
    if venue is not None and village is not None and "village" not in errors:
        if not venue.is_active:
            errors["venue"] = _("该场地已停用")
        elif not (venue.node.path.startswith(village.path) or village.path.startswith(venue.node.path)):
            errors["venue"] = _("场地“%(venue)s”不在%(village)s") % {
                "venue": venue.name,
                "village": village.name,
            }
    return name, chosen


def do_create_centre(
    *,
    actor: User | None,
    name: str,
    village: Node | None,
    venue: Venue | None = None,
    packages: Iterable[str],
    address: str = "",
) -> Centre:
    """An incubation centre at a venue of the activities app; without one, its own venue is created in the village
    (the centre is a venue: trainings held there are the engine's events at it, decision 0054)."""
    errors: dict[str, str] = {}
    name, chosen = _centre_values(name, village, venue, packages, errors)
    _raise(errors)
    assert village is not None  # _check_village refused a missing one
    require(actor, village)
    with transaction.atomic():
        if venue is None:
            from minsheng.activities.choices import VenueKind

            venue = events.do_create_venue(
                actor=None, node=village, name=name[:100], kind=VenueKind.OTHER, address=address
            )
        created: Centre = Centre.objects.create(
            name=name[:100], village=village, venue=venue, packages=chosen
        )
        return created


def do_update_centre(
    centre: Centre,
    *,
    actor: User | None,
    name: str,
    packages: Iterable[str],
    venue: Venue | None = None,
) -> Centre:
    """Rename a centre, change its packages or move it to another venue of its village (the village stays)."""
    require(actor, centre.village)
    errors: dict[str, str] = {}
    name, chosen = _centre_values(name, centre.village, venue, packages, errors, pk=centre.pk)
    _raise(errors)
    with transaction.atomic():
        locked = Centre.objects.select_for_update().get(pk=centre.pk)
        locked.name, locked.packages = name[:100], chosen
        if venue is not None:
            locked.venue = venue
        locked.save(update_fields=["name", "packages", "venue", "updated_at"])
        return locked


def do_schedule_training(
    *,
    actor: User | None,
    kind: str,
    title: str,
    village: Node | None,
    start: dt.datetime,
    end: dt.datetime,
    technique: Technique | None = None,
    institution: str = "",
    expert: str = "",
    centre: Centre | None = None,
    package: str = "",
    capacity: int | None = None,
    place: str = "",
) -> Training:
    """A training and its activities event (hosted by the training: registration and check-in are the engine's)."""
    errors: dict[str, str] = {}
    if kind not in TrainingKind.values:
        errors["kind"] = _("请选择培训类型")
    if kind == TrainingKind.EXPERT and not institution.strip():
        errors["institution"] = _("专家培训请填写专家所在单位")
    if kind == TrainingKind.ECOMMERCE and centre is None:
        errors["centre"] = _("电商培训请选择孵化中心")
    if package and package not in Package.values:
        errors["package"] = _("套餐无效")
    _check_village(village, errors)
    _raise(errors)
    assert village is not None
    require(actor, village)
    with transaction.atomic():
        training: Training = Training.objects.create(
            kind=kind,
            title=(title or "").strip()[:120],
            village=village,
            technique=technique,
            institution=institution[:60],
            expert=expert[:50],
            centre=centre,
            package=package,
        )
        event = events.do_create_event(
            actor=actor,
            kind="expert_training" if kind == TrainingKind.EXPERT else "training",
            title=title,
            node=village,
            start=start,
            end=end,
            capacity=capacity,
            venue=centre.venue if centre is not None else None,
            place=place,
            host=training,
            organiser_name=institution or (centre.name if centre else ""),
            audience=_("樱桃种植户"),
            public=False,
        )
        training.event = event
        training.save(update_fields=["event", "updated_at"])
        return training


def _person(grower: Grower) -> dict[str, Any]:
    if grower.resident is not None:
        return {"person": grower.resident}
    return {"name": grower.name, "phone": grower.phone}


def do_enrol(training: Training, grower: Grower, *, actor: User | None) -> Any:
    """Register a grower for a training (the engine's registration; registering twice returns the same one)."""
    require(actor, training.village)
    assert training.event is not None
    return events.do_register(training.event, actor=actor, **_person(grower))


def do_record_attendance(training: Training, growers: Iterable[Grower], *, actor: User | None) -> int:
    """The sign-in sheet of a training: each grower checked in once (the engine's check-ins). Returns new ones."""
    require(actor, training.village)
    assert training.event is not None
    people: list[Any] = []
    for grower in growers:
        if grower.resident is not None:
            people.append(grower.resident)
        else:
            people.append({"name": grower.name, "phone": grower.phone})
    return events.do_record_attendance(training.event, actor=actor, people=people)


def do_close_training(training: Training, *, actor: User | None, summary: str) -> Event:
    require(actor, training.village)
    assert training.event is not None
    return events.do_close_event(training.event, actor=actor, summary=summary)


# -- live-stream sellers ----------------------------------------------------------------------------------------


def do_record_session(
    seller: Grower,
    *,
    actor: User | None,
    platform: str,
    held_on: dt.date,
    products: str,
    orders: int,
    sales_yuan: Any,
    centre: Centre | None = None,
    package: str = "",
) -> StreamSession:
    """A live-stream session. Only someone who attended a live-selling training may be recorded going live."""
    errors: dict[str, str] = {}
    if platform not in Platform.values:
        errors["platform"] = _("请选择直播平台")
    if held_on is None or held_on > clock.today():
        errors["held_on"] = _("直播日期不能为空或晚于今天")
    products = (products or "").strip()
    if not products:
        errors["products"] = _("请填写带货商品")
    try:
        order_count = int(orders)
    except (TypeError, ValueError):
        order_count = -1
    if order_count < 0:
        errors["orders"] = _("订单数不能为负")
    amount = _decimal(sales_yuan, "sales_yuan", errors, positive=False)
    if package and package not in Package.values:
        errors["package"] = _("套餐无效")
    _raise(errors)
    if not queries.trained_for_live(seller):
        raise ValidationError(
            {"seller": _("%(name)s 没有参加过电商直播培训的签到记录，不能登记直播") % {"name": seller.name}}
        )
    require(actor, seller.village)
    with transaction.atomic():
        created: StreamSession = StreamSession.objects.create(
            seller=seller,
            platform=platform,
            held_on=held_on,
            products=products[:200],
            orders=order_count,
            sales_yuan=amount,
            centre=centre,
            package=package,
        )
        return created
