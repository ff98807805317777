"""The cherry cluster's figures, registered in the one metric registry (docs/metrics.md, 樱桃产业).

Stock figures (area, techniques, 达人, agreements) count what exists at the end of the period; flow figures (output
value, sales, trainings, check-ins, live-stream sales) count what happened inside it, by the day of the sale, the
training's start or the session. Amounts are in 万元, rates are Fractions (None when nothing to divide).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from minsheng.activities.choices import EventStatus
from minsheng.core import metrics as registry

from . import queries
from .choices import ONLINE_CHANNELS, Channel
from .models import Agreement, Centre, Grower, Orchard, Organisation, Sale, StreamSession, Technique, Training

U = registry.Unit
VIEW = "cluster.view"
ZERO = Decimal("0")
WAN = Decimal("10000")


def _in_node(qs: QuerySet, node: Any, path: str) -> QuerySet:
    return qs.filter(**{f"{path}__startswith": node.path}) if node is not None else qs


def growers(scope: registry.Scope) -> QuerySet:
    return _in_node(Grower.objects.visible_to(scope.viewer, VIEW), scope.node, "village__path")


def orchards(scope: registry.Scope) -> QuerySet:
    qs = Orchard.objects.visible_to(scope.viewer, VIEW).filter(created_at__date__lte=scope.end)
    return _in_node(qs, scope.node, "village__path")


def sales(scope: registry.Scope) -> QuerySet:
    qs = Sale.objects.visible_to(scope.viewer, VIEW).filter(sold_on__range=(scope.start, scope.end))
    return _in_node(qs, scope.node, "harvest__orchard__village__path")


def trainings(scope: registry.Scope) -> QuerySet:
    qs = (
        Training.objects.visible_to(scope.viewer, VIEW)
        .filter(event__start__date__range=(scope.start, scope.end))
        .exclude(event__status=EventStatus.CANCELLED)
    )
    return _in_node(qs, scope.node, "village__path")


def sessions(scope: registry.Scope) -> QuerySet:
    qs = StreamSession.objects.visible_to(scope.viewer, VIEW).filter(held_on__range=(scope.start, scope.end))
    return _in_node(qs, scope.node, "seller__village__path")


def agreements(scope: registry.Scope) -> QuerySet:
    qs = Agreement.objects.visible_to(scope.viewer, VIEW).filter(signed_on__lte=scope.end)
    return _in_node(qs, scope.node, "village__path")


def organisations(scope: registry.Scope) -> QuerySet:
    qs = Organisation.objects.visible_to(scope.viewer, VIEW).filter(created_at__date__lte=scope.end)
    return _in_node(qs, scope.node, "village__path")


def centres(scope: registry.Scope) -> QuerySet:
    qs = Centre.objects.visible_to(scope.viewer, VIEW).filter(created_at__date__lte=scope.end)
    return _in_node(qs, scope.node, "village__path")


def _wan(value: Decimal | None) -> Decimal:
    return ((value or ZERO) / WAN).quantize(Decimal("0.01"))


def _share(part: Decimal | None, whole: Decimal | None) -> Fraction | None:
    if not whole:
        return None
    return Fraction(Decimal(part or 0)) / Fraction(Decimal(whole))


def area(scope: registry.Scope) -> Decimal:
    return orchards(scope).aggregate(s=Sum("area_mu"))["s"] or ZERO


def grower_count(scope: registry.Scope) -> int:
    return growers(scope).filter(created_at__date__lte=scope.end).count()


def output_value(scope: registry.Scope) -> Decimal:
    return _wan(sales(scope).aggregate(s=Sum("amount"))["s"])


def sales_volume(scope: registry.Scope) -> Decimal:
    return sales(scope).aggregate(s=Sum("volume_kg"))["s"] or ZERO


def _channel_share(channels: tuple[str, ...]) -> Any:
    def compute(scope: registry.Scope) -> Fraction | None:
        qs = sales(scope)
        total = qs.aggregate(s=Sum("amount"))["s"]
        part = qs.filter(channel__in=channels).aggregate(s=Sum("amount"))["s"]
        return _share(part, total)

    return compute


def online_sales(scope: registry.Scope) -> QuerySet:
    return sales(scope).filter(channel__in=ONLINE_CHANNELS)


def enterprise_sales(scope: registry.Scope) -> QuerySet:
    return sales(scope).filter(channel=Channel.ENTERPRISE)


def techniques(scope: registry.Scope) -> QuerySet:
    return Technique.objects.visible_to(scope.viewer, VIEW).filter(introduced_year__lte=scope.end.year)


def technique_count(scope: registry.Scope) -> int:
    return techniques(scope).count()


def adopting_orchards(scope: registry.Scope) -> QuerySet:
    adopted = Q(adoptions__adopted_on__lte=scope.end)
    if Technique.objects.filter(by_data=True).exists():
        adopted |= Q(iot_greenhouse_id__in=queries.sensed_greenhouse_ids())
    return orchards(scope).filter(adopted).distinct()


def adoption_rate(scope: registry.Scope) -> Fraction | None:
    total = orchards(scope).count()
    return Fraction(adopting_orchards(scope).count(), total) if total else None


def training_count(scope: registry.Scope) -> int:
    return trainings(scope).count()


def attendance(scope: registry.Scope) -> int:
    from minsheng.activities.models import CheckIn

    return CheckIn.objects.filter(event__cherry_training__in=trainings(scope)).count()


def trained(scope: registry.Scope) -> QuerySet:
    return queries.trained_growers(growers(scope))


def trained_count(scope: registry.Scope) -> int:
    return trained(scope).count()


def seller_rows(scope: registry.Scope) -> QuerySet:
    return growers(scope).filter(sessions__held_on__lte=scope.end).distinct()


def seller_count(scope: registry.Scope) -> int:
    return seller_rows(scope).count()


def stream_sales(scope: registry.Scope) -> Decimal:
    return _wan(sessions(scope).aggregate(s=Sum("sales_yuan"))["s"])


def agreement_count(scope: registry.Scope) -> int:
    return agreements(scope).count()


def driven(scope: registry.Scope) -> QuerySet:
    """Growers an enterprise drives: a party to an agreement, or a member of a cooperative that is."""
    signed = agreements(scope)
    return (
        growers(scope).filter(Q(agreements__in=signed) | Q(organisations__agreements__in=signed)).distinct()
    )


def driven_count(scope: registry.Scope) -> int:
    return driven(scope).count()


METRICS = [
    registry.Metric(
        code="cluster.area",
        name=_("樱桃种植面积"),
        definition=_("在册果园（含登记为果园的大棚）面积之和，按期末在册计，单位亩"),
        unit=U.MU,
        domain="cluster",
        compute=area,
        rows=orchards,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.growers",
        name=_("种植户"),
        definition=_("期末在册的樱桃种植户（户）数"),
        unit=U.HOUSEHOLDS,
        domain="cluster",
        compute=grower_count,
        rows=growers,
    ),
    registry.Metric(
        code="cluster.output_value",
        name=_("樱桃产值"),
        definition=_("期内销售日期落在统计期的全部销售记录金额（销量 × 单价）之和，单位万元"),
        unit=U.WAN_YUAN,
        domain="cluster",
        compute=output_value,
        rows=sales,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.sales_volume",
        name=_("销量"),
        definition=_("期内全部销售记录的销量之和，单位千克"),
        unit=U.KG,
        domain="cluster",
        compute=sales_volume,
        rows=sales,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.online_share",
        name=_("电商与直播销售占比"),
        definition=_("期内经电商平台和直播渠道的销售金额 ÷ 期内全部销售金额"),
        unit=U.PERCENT,
        domain="cluster",
        compute=_channel_share(tuple(ONLINE_CHANNELS)),
        rows=online_sales,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.enterprise_share",
        name=_("龙头企业收购占比"),
        definition=_("期内经龙头企业渠道的销售金额 ÷ 期内全部销售金额"),
        unit=U.PERCENT,
        domain="cluster",
        compute=_channel_share((Channel.ENTERPRISE,)),
        rows=enterprise_sales,
    ),
    registry.Metric(
        code="cluster.techniques",
        name=_("推广技术"),
        definition=_("技术目录中引进年份不晚于期末年份的技术和设施项数"),
        unit=U.ITEMS,
        domain="cluster",
        compute=technique_count,
        rows=techniques,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.adoption_rate",
        name=_("技术采用率"),
        definition=_(
            "期末在册果园中至少采用一项技术的果园 ÷ 期末在册果园；采用指期末前登记了采用日期，"
            "或（智能温控）该大棚有经网关上报数据的传感器"
        ),
        unit=U.PERCENT,
        domain="cluster",
        compute=adoption_rate,
        rows=adopting_orchards,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.trainings",
        name=_("培训场次"),
        definition=_("期内开始、未取消的专家技术培训和电商直播培训场次（活动引擎中的活动）"),
        unit=U.TIMES,
        domain="cluster",
        compute=training_count,
        rows=trainings,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.attendance",
        name=_("培训签到人次"),
        definition=_("期内培训场次的签到人次（活动引擎的签到记录，每人每场至多一次）"),
        unit=U.PERSON_TIMES,
        domain="cluster",
        compute=attendance,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.trained_growers",
        name=_("参训种植户"),
        definition=_("至少在一场产业培训签到过的种植户（按居民档案或手机号对应）"),
        unit=U.PEOPLE,
        domain="cluster",
        compute=trained_count,
        rows=trained,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.sellers",
        name=_("带货达人"),
        definition=_("期末前至少有一场直播记录的人数（只参加培训、未开播的不计）"),
        unit=U.PEOPLE,
        domain="cluster",
        compute=seller_count,
        rows=seller_rows,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.stream_sales",
        name=_("直播带货销售额"),
        definition=_("期内直播场次记录的销售额之和，单位万元"),
        unit=U.WAN_YUAN,
        domain="cluster",
        compute=stream_sales,
        rows=sessions,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.agreements",
        name=_("龙头企业带动协议"),
        definition=_("期末前签订的龙头企业与合作社、家庭农场或种植户的收购、服务协议份数"),
        unit=U.COPIES,
        domain="cluster",
        compute=agreement_count,
        rows=agreements,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.driven_growers",
        name=_("带动种植户"),
        definition=_("直接签订带动协议、或所在合作社/家庭农场签订了带动协议的种植户数"),
        unit=U.HOUSEHOLDS,
        domain="cluster",
        compute=driven_count,
        rows=driven,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.organisations",
        name=_("合作社与家庭农场"),
        definition=_("期末在册的樱桃专业合作社和家庭农场个数"),
        unit=U.ITEMS,
        domain="cluster",
        compute=lambda scope: organisations(scope).count(),
        rows=organisations,
        higher_is_better=True,
    ),
    registry.Metric(
        code="cluster.centres",
        name=_("带货达人孵化中心"),
        definition=_("期末在册的电商直播孵化中心个数（各有其场地和仓播、村播、云播套餐）"),
        unit=U.ITEMS,
        domain="cluster",
        compute=lambda scope: centres(scope).count(),
        rows=centres,
        higher_is_better=True,
    ),
]


def register_all() -> None:
    for metric in METRICS:
        registry.register(metric)
