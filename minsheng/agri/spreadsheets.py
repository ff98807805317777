"""The agri registries, ledgers and reference tables as spreadsheets, on the org registries' xlsx framework
(core/spreadsheet.py, docs/import-export.md): one `Resource` per table, all-or-nothing imports with a row-by-row
report, exports that import again.

Registries (producers, stores, village supervisors) and ledgers are read and written within the user's scope;
the reference tables (standards, pesticides, limits, bans) are the whole street's and only `agri.configure`
imports them. Every reference row must name its source.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.accounts.models import Membership
from minsheng.core.spreadsheet import CellError, Column, read_text
from minsheng.org.spreadsheets import OrgResource

from . import actions
from .choices import ChemClass, LetterLevel, ProducerKind, RuleKind
from .models import (
    AgriInputStore,
    Commodity,
    MaximumResidueLimit,
    Pesticide,
    PesticideRule,
    Producer,
    PublicityRecord,
    ResponsibilityLetter,
    StandardDoc,
    WasteRecovery,
)


class AgriResource(OrgResource):
    """Scoped like the org registries; read with `agri.view`, written with the capability each table names."""

    export_capability = "agri.view"
    import_capability = "agri.record"
    pii_capability = "org.view_pii"
    #: Shown as a group on the import/export page.
    group = N_("登记台账")

    def __init__(self, user) -> None:
        super().__init__(user)
        self._commodities: dict[str, Commodity] = {}
        self._pesticides: dict[str, Pesticide] = {}

    def nodes_in_scope(self):
        from minsheng.org.models import Node

        return Node.objects.visible_to(self.user, self.import_capability)

    def parse_decimal(self, value, column) -> Decimal:
        text = read_text(value).replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("应填写数字")) from None
        if not number.is_finite():
            raise CellError(_("应填写数字"))
        if number < 0:
            raise CellError(_("不能为负数"))
        return number

    def parse_int(self, value, column) -> int:
        number = self.parse_decimal(value, column)
        if number != number.to_integral_value():
            raise CellError(_("应填写整数"))
        return int(number)

    def parse_commodity(self, value, column) -> Commodity:
        text = read_text(value)
        if text not in self._commodities:
            found = Commodity.objects.resolve(text)
            if found is None:
                raise CellError(_("找不到食品类别“%(name)s”（请填写名称或别名）") % {"name": text})
            self._commodities[text] = found
        return self._commodities[text]

    def parse_commodities(self, value, column) -> list[Commodity]:
        return self._each(value, column, self.parse_commodity)

    def parse_pesticide(self, value, column) -> Pesticide:
        text = read_text(value)
        if text not in self._pesticides:
            found = Pesticide.objects.filter(name=text).first()
            if found is None:
                raise CellError(_("未登记的农药“%(name)s”，请先导入农药表") % {"name": text})
            self._pesticides[text] = found
        return self._pesticides[text]

    def parse_producer(self, value, column) -> Producer:
        text = read_text(value)
        found = list(Producer.objects.visible_to(self.user, "agri.view").filter(name=text)[:2])
        if not found:
            raise CellError(_("找不到生产经营主体“%(name)s”（或不在您的管辖范围内）") % {"name": text})
        if len(found) > 1:
            raise CellError(_("有多个生产经营主体名为“%(name)s”，请在系统中登记") % {"name": text})
        return found[0]

    def parse_store(self, value, column) -> AgriInputStore:
        text = read_text(value)
        found = list(AgriInputStore.objects.visible_to(self.user, "agri.view").filter(name=text)[:2])
        if not found:
            raise CellError(_("找不到农资门店“%(name)s”（或不在您的管辖范围内）") % {"name": text})
        if len(found) > 1:
            raise CellError(_("有多个农资门店名为“%(name)s”") % {"name": text})
        return found[0]

    @staticmethod
    def node_name(node) -> str:
        return node.full_name if node is not None else ""


# -- registries -------------------------------------------------------------------------------------------------


class ProducerResource(AgriResource):
    slug = "agri-producers"
    title = N_("生产经营主体")
    model = Producer
    columns = (
        Column(N_("名称"), "name", required=True, width=24),
        Column(N_("类型"), "kind", kind="choice", choices=ProducerKind, required=True, width=12),
        Column(N_("所在村"), "village", kind="node", required=True, width=26, help=N_("村的全称或简称")),
        Column(N_("统一社会信用代码"), "credit_code", kind="code", width=22),
        Column(N_("主体码"), "subject_code", kind="code", width=18),
        Column(
            N_("种植品种"),
            "crops",
            kind="commodities",
            blank=[],
            width=20,
            help=N_("名称或别名，多个用“、”分隔"),
        ),
        Column(N_("面积(亩)"), "area_mu", kind="decimal", width=10, blank=None),
        Column(N_("联系人"), "contact_name", width=10),
        Column(N_("联系电话"), "phone", kind="phone", pii="phone", width=14),
    )
    unique_together = (("village", "name"),)
    example = {
        "name": "东关村蔬菜合作社",
        "kind": ProducerKind.COOPERATIVE,
        "village": "东关村",
        "crops": ["豇豆"],
    }

    def queryset(self):
        return super().queryset().select_related("village").prefetch_related("crops")

    def values(self, obj) -> dict[str, Any]:
        return {
            "name": obj.name,
            "kind": obj.kind,
            "village": self.node_name(obj.village),
            "credit_code": obj.credit_code,
            "subject_code": obj.subject_code,
            "crops": [c.name for c in obj.crops.all()],
            "area_mu": obj.area_mu,
            "contact_name": obj.contact_name,
            "phone": obj.phone,
        }

    def save(self, row) -> None:
        if Producer.objects.filter(village=row["village"], name=row["name"]).exists():
            raise ValidationError({"name": _("该村已有“%(name)s”") % {"name": row["name"]}})
        actions.create_producer(actor=self.user, **row)


class StoreResource(AgriResource):
    slug = "agri-stores"
    title = N_("农资门店")
    model = AgriInputStore
    columns = (
        Column(N_("名称"), "name", required=True, width=24),
        Column(N_("所在村"), "village", kind="node", required=True, width=26),
        Column(N_("农药经营许可证号"), "licence_no", kind="code", width=22),
        Column(N_("限用农药定点经营"), "designated_outlet", kind="bool", width=10),
        Column(N_("地址"), "address", width=30),
    )
    unique_together = (("village", "name"),)
    example = {"name": "东关农资店", "village": "东关村", "designated_outlet": False}

    def queryset(self):
        return super().queryset().select_related("village")

    def values(self, obj) -> dict[str, Any]:
        return {
            "name": obj.name,
            "village": self.node_name(obj.village),
            "licence_no": obj.licence_no,
            "designated_outlet": obj.designated_outlet,
            "address": obj.address,
        }

    def save(self, row) -> None:
        if AgriInputStore.objects.filter(village=row["village"], name=row["name"]).exists():
            raise ValidationError({"name": _("该村已有“%(name)s”") % {"name": row["name"]}})
        actions.create_store(actor=self.user, **row)


class SupervisorResource(AgriResource):
    """Village–supervisor links: a 村级监管员 membership per village (the membership table is the link)."""

    slug = "agri-supervisors"
    title = N_("村级监管员")
    model = Membership
    import_capability = "accounts.manage"
    columns = (
        Column(N_("监管员账号"), "user", kind="user", required=True, width=16, help=N_("用户名或手机号")),
        Column(N_("姓名"), "display_name", width=10, help=N_("导出时填写，导入时忽略")),
        Column(N_("负责村"), "node", kind="node", required=True, width=26),
        Column(N_("起始日期"), "valid_from", kind="date", width=12, blank=None),
    )
    unique_together = (("user", "node"),)
    example = {"user": "13800000001", "node": "东关村"}

    def queryset(self):
        today = timezone.localdate()
        return (
            Membership.objects.visible_to(self.user, self.export_capability)
            .filter(role=Role.VILLAGE_SUPERVISOR)
            .exclude(valid_to__lt=today)
            .select_related("user", "node")
            .order_by("node__path", "user__username")
        )

    def values(self, obj) -> dict[str, Any]:
        return {
            "user": obj.user.username,
            "display_name": obj.user.display_name,
            "node": self.node_name(obj.node),
            "valid_from": obj.valid_from,
        }

    def save(self, row) -> None:
        node = row["node"]
        if node.kind not in ("village", "community"):
            raise ValidationError({"node": _("监管员只能负责村（社区）")})
        if Membership.objects.filter(user=row["user"], role=Role.VILLAGE_SUPERVISOR, node=node).exists():
            raise ValidationError({"node": _("该账号已是该村的监管员")})
        account_actions.grant_membership(
            user=row["user"],
            role=Role.VILLAGE_SUPERVISOR,
            node=node,
            valid_from=row["valid_from"],
            actor=self.user,
        )


# -- ledgers ----------------------------------------------------------------------------------------------------


class LetterResource(AgriResource):
    slug = "agri-letters"
    title = N_("责任书")
    model = ResponsibilityLetter
    group = N_("工作台账")
    columns = (
        Column(N_("层级"), "level", kind="choice", choices=LetterLevel, required=True, width=12),
        Column(N_("年度"), "year", kind="int", required=True, width=8),
        Column(N_("签订日期"), "signed_on", kind="date", required=True, width=12, blank=None),
        Column(N_("村"), "village", kind="node", width=24, help=N_("村级责任书必填；主体的村按主体登记")),
        Column(N_("监管员"), "supervisor", kind="user", width=14, help=N_("监管员级必填：用户名或手机号")),
        Column(N_("生产经营主体"), "producer", kind="producer", width=22, help=N_("主体级必填：主体名称")),
        Column(N_("甲方签字人"), "party_a", required=True, width=12),
        Column(N_("乙方签字人"), "party_b", required=True, width=12),
        Column(N_("备注"), "note", width=20),
    )
    example = {
        "level": LetterLevel.PRODUCER,
        "year": 2026,
        "producer": "东关村蔬菜合作社",
        "party_a": "王主任",
    }

    def queryset(self):
        return super().queryset().select_related("village", "supervisor", "producer").order_by("-year", "pk")

    def values(self, obj) -> dict[str, Any]:
        return {
            "level": obj.level,
            "year": obj.year,
            "signed_on": obj.signed_on,
            "village": self.node_name(obj.village),
            "supervisor": obj.supervisor.username if obj.supervisor else "",
            "producer": obj.producer.name if obj.producer else "",
            "party_a": obj.party_a,
            "party_b": obj.party_b,
            "note": obj.note,
        }

    def save(self, row) -> None:
        actions.record_letter(actor=self.user, **row)


class PublicityResource(AgriResource):
    slug = "agri-publicity"
    title = N_("宣传资料发放")
    model = PublicityRecord
    group = N_("工作台账")
    columns = (
        Column(N_("发放日期"), "given_on", kind="date", required=True, width=12, blank=None),
        Column(N_("村"), "village", kind="node", required=True, width=24),
        Column(N_("发放地点"), "place", width=16),
        Column(N_("宣传资料"), "material", required=True, width=24),
        Column(N_("数量(份)"), "quantity", kind="int", required=True, width=10),
        Column(N_("发放对象"), "recipients", width=20),
    )
    example = {
        "given_on": "2026-05-10",
        "village": "东关村",
        "material": "农药安全使用明白纸",
        "quantity": 200,
    }

    def queryset(self):
        return super().queryset().select_related("village")

    def values(self, obj) -> dict[str, Any]:
        return {
            "given_on": obj.given_on,
            "village": self.node_name(obj.village),
            "place": obj.place,
            "material": obj.material,
            "quantity": obj.quantity,
            "recipients": obj.recipients,
        }

    def save(self, row) -> None:
        actions.record_publicity(actor=self.user, **row)


class WasteResource(AgriResource):
    slug = "agri-waste"
    title = N_("包装废弃物回收")
    model = WasteRecovery
    group = N_("工作台账")
    columns = (
        Column(N_("回收日期"), "recovered_on", kind="date", required=True, width=12, blank=None),
        Column(N_("村"), "village", kind="node", width=24, help=N_("填写回收门店时可留空")),
        Column(N_("回收门店"), "store", kind="store", width=22),
        Column(N_("重量(kg)"), "kg", kind="decimal", required=True, width=10, blank=None),
        Column(N_("备注"), "note", width=20),
    )
    example = {"recovered_on": "2026-05-10", "store": "东关农资店", "kg": 35.5}

    def queryset(self):
        return super().queryset().select_related("village", "store")

    def values(self, obj) -> dict[str, Any]:
        return {
            "recovered_on": obj.recovered_on,
            "village": self.node_name(obj.village),
            "store": obj.store.name if obj.store else "",
            "kg": obj.kg,
            "note": obj.note,
        }

    def save(self, row) -> None:
        actions.record_waste(actor=self.user, **row)


# -- reference data ---------------------------------------------------------------------------------------------

SOURCE_HELP = N_("必填：值出自的标准、公告或文件（如“GB 2763-2021”“农业农村部公告第736号”）")


class ReferenceResource(AgriResource):
    """The street-wide reference tables: everyone with agri.view exports them, agri.configure imports."""

    import_capability = "agri.configure"
    group = N_("标准与禁限用（管理员）")

    def queryset(self):
        return self.model.objects.all()

    def scope_of(self, obj) -> str:
        return ""

    def nodes_in_scope(self):  # pragma: no cover - reference rows name no node
        from minsheng.org.models import Node

        return Node.objects.none()


class StandardResource(ReferenceResource):
    slug = "agri-standards"
    title = N_("限量标准")
    model = StandardDoc
    columns = (
        Column(N_("标准号"), "code", required=True, width=18),
        Column(N_("名称"), "title", required=True, width=40),
        Column(N_("实施日期"), "effective_from", kind="date", required=True, width=12, blank=None),
        Column(N_("废止日期"), "withdrawn_on", kind="date", width=12, blank=None),
        Column(N_("来源"), "source", required=True, width=40, help=SOURCE_HELP),
    )
    unique_together = (("code",),)
    example = {"code": "GB 2763-2026", "title": "食品安全国家标准 食品中农药最大残留限量"}

    def save(self, row) -> None:
        actions.add_standard(actor=self.user, **row)


class PesticideResource(ReferenceResource):
    slug = "agri-pesticides"
    title = N_("农药")
    model = Pesticide
    columns = (
        Column(N_("农药名称"), "name", required=True, width=16),
        Column(N_("类别"), "chem_class", kind="choice", choices=ChemClass, width=14, blank=ChemClass.UNKNOWN),
        Column(N_("来源"), "source", required=True, width=40, help=SOURCE_HELP),
    )
    unique_together = (("name",),)
    example = {"name": "灭蝇胺", "chem_class": ChemClass.OTHER}

    def save(self, row) -> None:
        actions.add_pesticide(actor=self.user, **row)


class LimitResource(ReferenceResource):
    slug = "agri-limits"
    title = N_("最大残留限量")
    model = MaximumResidueLimit
    columns = (
        Column(N_("农药"), "pesticide", kind="pesticide", required=True, width=14),
        Column(N_("食品类别"), "commodity", kind="commodity", required=True, width=16),
        Column(
            N_("除外"),
            "excluded",
            kind="commodities",
            blank=[],
            width=14,
            help=N_("该类别下不适用此限量的品种"),
        ),
        Column(N_("最大残留限量(mg/kg)"), "mg_per_kg", kind="decimal", required=True, width=12, blank=None),
        Column(N_("临时限量"), "temporary", kind="bool", width=8),
        Column(
            N_("标准"), "standard", kind="standard", required=True, width=16, help=N_("标准号，须先导入标准")
        ),
        Column(N_("来源"), "source", required=True, width=40, help=SOURCE_HELP),
    )
    unique_together = (("pesticide", "commodity", "standard"),)
    example = {
        "pesticide": "腐霉利",
        "commodity": "韭菜",
        "mg_per_kg": Decimal("5"),
        "standard": "GB 2763.1-2022",
    }

    def queryset(self):
        return (
            MaximumResidueLimit.objects.select_related("pesticide", "commodity", "standard")
            .prefetch_related("excluded")
            .order_by("pesticide__name", "commodity_id", "standard__effective_from")
        )

    def parse_standard(self, value, column) -> StandardDoc:
        text = read_text(value)
        found = StandardDoc.objects.filter(code=text).first()
        if found is None:
            raise CellError(_("未登记的标准“%(code)s”，请先导入标准") % {"code": text})
        return found

    def values(self, obj) -> dict[str, Any]:
        return {
            "pesticide": obj.pesticide.name,
            "commodity": obj.commodity.name,
            "excluded": [c.name for c in obj.excluded.all()],
            "mg_per_kg": obj.mg_per_kg.normalize(),
            "temporary": obj.temporary,
            "standard": obj.standard.code,
            "source": obj.source,
        }

    def save(self, row) -> None:
        actions.add_limit(actor=self.user, **row)


class RuleResource(ReferenceResource):
    slug = "agri-rules"
    title = N_("禁限用规定")
    model = PesticideRule
    columns = (
        Column(N_("农药"), "pesticide", kind="pesticide", required=True, width=14),
        Column(N_("类型"), "kind", kind="choice", choices=RuleKind, required=True, width=14),
        Column(
            N_("禁用范围"),
            "scopes",
            kind="commodities",
            blank=[],
            width=20,
            help=N_("部分范围禁用时必填：食品类别"),
        ),
        Column(N_("范围原文"), "scope_text", width=24, help=N_("公告中的原文，如“蔬菜、瓜果、茶叶”")),
        Column(
            N_("起始日期"), "effective_from", kind="date", width=12, blank=None, help=N_("留空表示早已生效")
        ),
        Column(N_("截止日期"), "effective_to", kind="date", width=12, blank=None),
        Column(N_("公告"), "announcement", width=18),
        Column(N_("来源"), "source", required=True, width=40, help=SOURCE_HELP),
    )
    example = {"pesticide": "氧乐果", "kind": RuleKind.FULL_BAN, "effective_from": "2026-06-01"}

    def queryset(self):
        return (
            PesticideRule.objects.select_related("pesticide")
            .prefetch_related("scopes")
            .order_by("pesticide__name", "effective_from")
        )

    def values(self, obj) -> dict[str, Any]:
        return {
            "pesticide": obj.pesticide.name,
            "kind": obj.kind,
            "scopes": [c.name for c in obj.scopes.all()],
            "scope_text": obj.scope_text,
            "effective_from": obj.effective_from,
            "effective_to": obj.effective_to,
            "announcement": obj.announcement,
            "source": obj.source,
        }

    def save(self, row) -> None:
        actions.add_rule(actor=self.user, **row)


#: Every agri table, in the order they are filled (later ones refer to earlier ones).
AGRI_TABLES: dict[str, type[AgriResource]] = {
    r.slug: r
    for r in (
        ProducerResource,
        StoreResource,
        SupervisorResource,
        LetterResource,
        PublicityResource,
        WasteResource,
        StandardResource,
        PesticideResource,
        LimitResource,
        RuleResource,
    )
}
