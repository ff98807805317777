"""The cluster's 台账 as spreadsheets on the core xlsx machinery (docs/import-export.md): growers with their
orchards, and harvests with a sale each. Rows are saved through the actions, so an import refuses what a page
refuses (an area outside any village, a sale larger than its harvest), row by row, all or nothing."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from minsheng.core.spreadsheet import CellError, Column, read_text, register
from minsheng.org.choices import NodeKind
from minsheng.org.spreadsheets import OrgResource

from . import actions
from .choices import Channel, Grade, OrchardKind, Platform, Variety
from .models import Grower, Harvest, Orchard


class ClusterResource(OrgResource):
    app_label = "cluster"
    export_capability = "cluster.view"
    import_capability = "cluster.record"
    pii_capability = "org.view_pii"

    def nodes_in_scope(self):
        from minsheng.org.models import Node

        return Node.objects.visible_to(self.user, self.import_capability).filter(kind=NodeKind.VILLAGE)

    def parse_decimal(self, value: Any, column: Column) -> Decimal:
        text = read_text(value).replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("应填写数字")) from None
        if not number.is_finite() or number <= 0:
            raise CellError(_("应填写大于 0 的数"))
        return number

    def parse_coordinate(self, value: Any, column: Column) -> float:
        """A latitude or longitude in decimal degrees (its range and the village's boundary are the action's)."""
        try:
            return float(read_text(value).replace(",", ""))
        except ValueError:
            raise CellError(_("应填写以度为单位的数字，如 36.5123")) from None

    def parse_int(self, value: Any, column: Column) -> int:
        number = self.parse_decimal(value, column)
        if number != number.to_integral_value():
            raise CellError(_("应填写整数"))
        return int(number)


class OrchardResource(ClusterResource):
    """One row per orchard; the grower (户主 + 手机号 in the village) is found or registered on the way."""

    slug = "cluster-orchards"
    title = N_("樱桃果园")
    model = Orchard
    columns = (
        Column(N_("户主"), "grower_name", required=True, width=10),
        Column(N_("手机号"), "phone", kind="phone", pii="phone", width=14),
        Column(N_("所在村"), "village", kind="node", required=True, width=20),
        Column(N_("果园名称"), "name", width=20),
        Column(N_("面积（亩）"), "area_mu", kind="decimal", required=True, width=10),
        Column(N_("主栽品种"), "variety", kind="choice", choices=Variety, required=True, width=10),
        Column(N_("栽植年份"), "planted_year", kind="int", required=True, width=10),
        Column(N_("类型"), "kind", kind="choice", choices=OrchardKind, blank=OrchardKind.OPEN_FIELD, width=8),
        Column(N_("纬度"), "lat", kind="coordinate", width=10, help=N_("可选；村有边界时须在村界之内")),
        Column(N_("经度"), "lng", kind="coordinate", width=10),
    )
    example = {
        "grower_name": "王建国",
        "phone": "13800000000",
        "village": "月庄村",
        "name": "王家东坡果园",
        "area_mu": "12.5",
        "variety": "美早",
        "planted_year": 2015,
        "kind": "露地",
    }

    def queryset(self):
        return super().queryset().select_related("grower", "village")

    def values(self, obj: Orchard) -> dict[str, Any]:
        return {
            "grower_name": obj.grower.name,
            "phone": obj.grower.phone,
            "village": obj.village.full_name or obj.village.name,
            "name": obj.name,
            "area_mu": obj.area_mu,
            "variety": obj.get_variety_display(),
            "planted_year": obj.planted_year,
            "kind": obj.get_kind_display(),
            "lat": obj.lat,
            "lng": obj.lng,
        }

    def save(self, row: dict[str, Any]) -> None:
        village = row["village"]
        grower = (
            Grower.objects.filter(village=village, name=row["grower_name"])
            .filter(Q(phone=row["phone"]) | Q(phone=""))
            .order_by("pk")
            .first()
            if row["phone"]
            else Grower.objects.filter(village=village, name=row["grower_name"]).order_by("pk").first()
        )
        if grower is None:
            grower = actions.do_register_grower(
                actor=self.user, name=row["grower_name"], phone=row["phone"], village=village
            )
        actions.do_add_orchard(
            grower,
            actor=self.user,
            name=row["name"],
            area_mu=row["area_mu"],
            variety=row["variety"],
            planted_year=row["planted_year"],
            village=village,
            kind=row["kind"] or OrchardKind.OPEN_FIELD,
            lat=row.get("lat"),
            lng=row.get("lng"),
        )


class HarvestResource(ClusterResource):
    """One row per harvest with (optionally) one sale out of it; a second sale of the same harvest is another
    file's row naming the same orchard, date and grade."""

    slug = "cluster-harvests"
    title = N_("樱桃采收销售")
    model = Harvest
    columns = (
        Column(N_("所在村"), "village", kind="node", required=True, width=16),
        Column(N_("户主"), "grower_name", required=True, width=10),
        Column(N_("果园名称"), "orchard_name", required=True, width=20),
        Column(N_("采收日期"), "harvested_on", kind="date", required=True, width=12),
        Column(N_("等级"), "grade", kind="choice", choices=Grade, required=True, width=8),
        Column(
            N_("产量（千克）"), "yield_kg", kind="decimal", required=True, width=12, also_answers=("orchard",)
        ),
        Column(N_("销售渠道"), "channel", kind="choice", choices=Channel, blank="", width=10),
        Column(N_("平台"), "platform", kind="choice", choices=Platform, blank="", width=10),
        Column(N_("销量（千克）"), "volume_kg", kind="decimal", blank=None, width=12),
        Column(N_("单价（元/千克）"), "price", kind="decimal", blank=None, width=12),
        Column(N_("销售日期"), "sold_on", kind="date", blank=None, width=12),
    )
    example = {
        "village": "月庄村",
        "grower_name": "王建国",
        "orchard_name": "王家东坡果园",
        "harvested_on": "2026-05-28",
        "grade": "一级",
        "yield_kg": "6000",
        "channel": "电商平台",
        "platform": "京东",
        "volume_kg": "5800",
        "price": "38",
        "sold_on": "2026-05-29",
    }

    def queryset(self):
        return (
            super().queryset().select_related("orchard__grower", "orchard__village").prefetch_related("sales")
        )

    def values(self, obj: Harvest) -> dict[str, Any]:
        sale = next(iter(obj.sales.all()), None)
        return {
            "village": obj.orchard.village.full_name or obj.orchard.village.name,
            "grower_name": obj.orchard.grower.name,
            "orchard_name": obj.orchard.name,
            "harvested_on": obj.harvested_on,
            "grade": obj.get_grade_display(),
            "yield_kg": obj.yield_kg,
            "channel": sale.get_channel_display() if sale else "",
            "platform": sale.get_platform_display() if sale and sale.platform else "",
            "volume_kg": sale.volume_kg if sale else None,
            "price": sale.price if sale else None,
            "sold_on": sale.sold_on if sale else None,
        }

    def save(self, row: dict[str, Any]) -> None:
        from django.core.exceptions import ValidationError

        orchards = list(
            Orchard.objects.visible_to(self.user, self.import_capability).filter(
                village=row["village"], grower__name=row["grower_name"], name=row["orchard_name"]
            )[:2]
        )
        if len(orchards) != 1:
            raise ValidationError({"orchard_name": _("在该村找不到这位户主的这个果园（或有重名）")})
        harvest = actions.do_record_harvest(
            orchards[0],
            actor=self.user,
            harvested_on=row["harvested_on"],
            yield_kg=row["yield_kg"],
            grade=row["grade"],
        )
        if row["channel"] or row["volume_kg"] is not None:
            missing = {
                name: _("登记销售时必填")
                for name in ("channel", "volume_kg", "price", "sold_on")
                if row[name] in (None, "")
            }
            if missing:
                raise ValidationError(missing)
            actions.do_record_sale(
                harvest,
                actor=self.user,
                channel=row["channel"],
                platform=row["platform"],
                volume_kg=row["volume_kg"],
                price=row["price"],
                sold_on=row["sold_on"],
            )


#: The cluster's importable 台账, in the order they are filled.
TABLES: dict[str, type[ClusterResource]] = {r.slug: r for r in (OrchardResource, HarvestResource)}
register(*TABLES.values())
