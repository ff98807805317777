"""The organisation registries as spreadsheets (台账): one Resource per registry, saved through org.actions.

References between registries are written the way staff write them: a node by its full name
("城关街道 颐和社区 颐和家园 1号楼"), its 12-digit division code, or its short name when that is unambiguous; a
person by username or phone; a party organisation or property company by name. References resolve only inside the
importing user's scope, so a row naming another community's node reads "找不到节点" — the same answer as for a node
that does not exist.
"""

import re
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from minsheng.accounts.choices import Cap
from minsheng.accounts.models import User
from minsheng.core.spreadsheet import CellError, Column, Resource, read_code, read_list, read_text, register

from . import actions
from .choices import AssignmentKind, Gender, NodeKind, PartyOrgKind, PartyPost, PropertyStatus
from .models import (
    Assignment,
    EstateProperty,
    Grid,
    Household,
    Node,
    PartyMember,
    PartyOrg,
    PropertyCompany,
    Resident,
    ResidentTag,
)

#: Relations that make a resident the head of the household created for them.
HEAD_RELATIONS = {"户主", "本人"}


class OrgResource(Resource):
    app_label = "org"
    export_capability = Cap.ORG_EXPORT
    import_capability = Cap.ORG_IMPORT
    pii_capability = Cap.ORG_VIEW_PII

    def __init__(self, user) -> None:
        super().__init__(user)
        self._nodes: dict[str, Node] = {}
        self._users: dict[str, Any] = {}
        self._party_orgs: dict[str, PartyOrg] = {}

    def audit_target(self, capability: str):
        paths = [] if self.user.is_superuser else self.user.scope_paths(capability)
        top = Node.objects.filter(path__in=paths).first() if paths else Node.objects.get_first_root_node()
        return top or self.user

    # -- lookups (cells naming other rows) -----------------------------------------------------
    def nodes_in_scope(self):
        return Node.objects.visible_to(self.user, self.import_capability)

    def parse_node(self, value, column) -> Node:
        text = " ".join(read_text(value).split())
        if text not in self._nodes:
            self._nodes[text] = self._find_node(text)
        return self._nodes[text]

    def _find_node(self, text: str) -> Node:
        nodes = self.nodes_in_scope()
        if re.fullmatch(r"\d{12}", text):
            found = list(nodes.filter(code=text)[:2])
        else:
            found = (
                list(nodes.filter(full_name=text)[:2])
                or list(
                    nodes.annotate(compact=Replace(F("full_name"), Value(" "), Value(""))).filter(
                        compact=text.replace(" ", "")
                    )[:2]
                )
                or list(nodes.filter(name=text)[:2])
            )
        if len(found) == 1:
            return found[0]
        if not found:
            raise CellError(_("找不到节点“%(name)s”（或不在您的管辖范围内）") % {"name": text})
        raise CellError(
            _("“%(name)s”对应多个节点，请填写全称，例如“%(example)s”")
            % {"name": text, "example": found[0].full_name}
        )

    def parse_nodes(self, value, column) -> list[Node]:
        return self._each(value, column, self.parse_node)

    def parse_user(self, value, column):
        text = read_code(value) if isinstance(value, int | float) else read_text(value)
        if text not in self._users:
            user = User.objects.filter(Q(username=text) | Q(phone=text), is_active=True).first()
            if user is None:
                raise CellError(_("找不到账号“%(name)s”（请填写用户名或手机号）") % {"name": text})
            self._users[text] = user
        return self._users[text]

    def parse_users(self, value, column) -> list:
        return self._each(value, column, self.parse_user)

    @staticmethod
    def _each(value, column, parse) -> list:
        """A list cell: every item looked up, every missing one reported together."""
        errors, found = [], []
        for item in read_list(value):
            try:
                found.append(parse(item, column))
            except CellError as exc:
                errors.append(str(exc))
        if errors:
            raise CellError("；".join(errors))
        return found

    def parse_party_org(self, value, column) -> PartyOrg:
        text = read_text(value)
        if text not in self._party_orgs:
            found = list(PartyOrg.objects.visible_to(self.user, self.import_capability).filter(name=text)[:2])
            if not found:
                raise CellError(_("找不到党组织“%(name)s”（或不在您的管辖范围内）") % {"name": text})
            if len(found) > 1:
                raise CellError(_("有多个党组织名为“%(name)s”，请先在系统中区分名称") % {"name": text})
            self._party_orgs[text] = found[0]
        return self._party_orgs[text]

    def parse_company(self, value, column) -> PropertyCompany:
        text = read_text(value)
        company = (
            PropertyCompany.objects.visible_to(self.user, self.import_capability)
            .filter(Q(name=text) | Q(credit_code=text.upper()))
            .first()
        )
        if company is None:
            raise CellError(_("找不到物业企业“%(name)s”，请先导入物业企业") % {"name": text})
        return company


# -- administrative tree ---------------------------------------------------------------------------


class NodeResource(OrgResource):
    slug = "nodes"
    title = N_("组织节点")
    model = Node
    columns = (
        Column(
            N_("上级节点"),
            "parent",
            kind="node",
            width=36,
            help=N_(
                "上级节点的全称（如“城关街道 颐和社区”）或12位区划代码；顶层的街道/乡镇留空。上级须在本文件前面的行或系统中已有"
            ),
        ),
        Column(N_("类型"), "kind", kind="choice", choices=NodeKind, required=True, width=10),
        Column(N_("名称"), "name", required=True, width=18),
        Column(N_("统计用区划代码"), "code", kind="code", width=16, help=N_("12位数字，没有可留空")),
        Column(
            N_("几何（GeoJSON）"),
            "geometry",
            kind="geojson",
            width=30,
            help=N_("可空。GeoJSON 的 Point、Polygon 或 MultiPolygon，经纬度（WGS84）"),
        ),
    )
    unique_together = (("parent", "name"), ("code",))
    example = {"parent": "城关街道 颐和社区", "kind": NodeKind.ESTATE, "name": "幸福家园"}

    def values(self, node: Node) -> dict[str, Any]:
        parent = node.full_name[: -len(node.name)].strip() if node.depth > 1 else ""
        return {
            "parent": parent,
            "kind": node.kind,
            "name": node.name,
            "code": node.code,
            "geometry": node.geometry,
        }

    def save(self, row) -> None:
        parent, name = row["parent"], row["name"]
        if parent is None and not self.user.is_superuser:
            raise ValidationError({"parent": _("只有系统管理员可以新建顶层节点，请填写上级节点")})
        siblings = (
            Node.objects.filter(depth=parent.depth + 1, path__startswith=parent.path)
            if parent
            else Node.objects.get_root_nodes()
        )
        if siblings.filter(name=name).exists():
            raise ValidationError(
                {
                    "name": _("“%(parent)s”下已有“%(name)s”")
                    % {"parent": parent.full_name if parent else _("顶层"), "name": name}
                }
            )
        actions.create_node(
            parent=parent,
            kind=row["kind"],
            name=name,
            code=row["code"],
            geometry=row["geometry"],
            actor=self.user,
        )
        self._nodes.clear()  # a new node may make a short name ambiguous


# -- grids -----------------------------------------------------------------------------------------


class GridResource(OrgResource):
    slug = "grids"
    title = N_("网格")
    model = Grid
    columns = (
        Column(
            N_("网格编码"),
            "code",
            kind="code",
            width=18,
            help=N_("可空：留空时按所属社区的区划代码自动编号（CJ/T 349-2010）"),
        ),
        Column(N_("所属社区/村"), "community", kind="node", required=True, width=26),
        Column(N_("网格名称"), "name", required=True, width=16),
        Column(
            N_("网格员"),
            "worker",
            kind="user",
            width=14,
            help=N_("网格员账号的用户名或手机号；可空（属地兜底）"),
        ),
        Column(
            N_("协管员"),
            "deputies",
            kind="users",
            blank=(),
            width=18,
            help=N_("用户名或手机号，多个用“、”分隔"),
        ),
        Column(
            N_("覆盖节点"),
            "nodes",
            kind="nodes",
            blank=(),
            width=30,
            help=N_("网格覆盖的小区/楼栋全称，多个用“、”分隔"),
        ),
        Column(
            N_("边界（GeoJSON）"),
            "boundary",
            kind="geojson",
            width=30,
            help=N_("Polygon 或 MultiPolygon，经纬度（WGS84）"),
        ),
    )
    unique_together = (("code",), ("community", "name"))
    example = {"community": "城关街道 颐和社区", "name": "第一网格", "worker": "13800000003"}

    def queryset(self):
        return super().queryset().select_related("community", "worker").prefetch_related("deputies", "nodes")

    def values(self, grid: Grid) -> dict[str, Any]:
        return {
            "code": grid.code,
            "community": grid.community.full_name,
            "name": grid.name,
            "worker": grid.worker.username if grid.worker else "",
            "deputies": [u.username for u in grid.deputies.all()],
            "nodes": [n.full_name for n in grid.nodes.all()],
            "boundary": grid.boundary,
        }

    def save(self, row) -> None:
        if Grid.objects.filter(community=row["community"], name=row["name"]).exists():
            raise ValidationError(
                {
                    "name": _("“%(community)s”已有网格“%(name)s”")
                    % {"community": row["community"], "name": row["name"]}
                }
            )
        actions.create_grid(
            community=row["community"],
            name=row["name"],
            code=row["code"] or None,
            worker=row["worker"],
            deputies=row["deputies"],
            nodes=row["nodes"],
            boundary=row["boundary"],
            actor=self.user,
        )


# -- party organisations -----------------------------------------------------------------------------


class PartyOrgResource(OrgResource):
    slug = "party-orgs"
    title = N_("党组织")
    model = PartyOrg
    columns = (
        Column(
            N_("上级党组织"),
            "parent",
            kind="party_org",
            width=22,
            help=N_("上级党组织的名称；街道党工委留空"),
        ),
        Column(N_("类型"), "kind", kind="choice", choices=PartyOrgKind, required=True, width=12),
        Column(
            N_("名称"), "name", required=True, width=22, help=N_("名称须唯一（其他台账按名称引用党组织）")
        ),
        Column(N_("所在节点"), "node", kind="node", required=True, width=30),
    )
    unique_together = (("name",),)
    example = {
        "parent": "城关街道党工委",
        "kind": PartyOrgKind.BRANCH,
        "name": "幸福家园党支部",
        "node": "城关街道 颐和社区 幸福家园",
    }

    def queryset(self):
        return super().queryset().select_related("node")

    def export_rows(self):
        # Parents are named, not numbered: one query for the names of every visible organisation.
        self._names_by_path = dict(self.queryset().values_list("path", "name"))
        return super().export_rows()

    def values(self, org: PartyOrg) -> dict[str, Any]:
        return {
            "parent": self._names_by_path.get(org.path[: -PartyOrg.steplen], ""),
            "kind": org.kind,
            "name": org.name,
            "node": org.node.full_name,
        }

    def save(self, row) -> None:
        if PartyOrg.objects.visible_to(self.user, self.import_capability).filter(name=row["name"]).exists():
            raise ValidationError({"name": _("已有名为“%(name)s”的党组织") % {"name": row["name"]}})
        actions.create_party_org(
            parent=row["parent"], kind=row["kind"], name=row["name"], node=row["node"], actor=self.user
        )
        self._party_orgs.clear()


class PartyMemberResource(OrgResource):
    slug = "party-members"
    title = N_("党员")
    model = PartyMember
    columns = (
        Column(N_("所在党组织"), "party_org", kind="party_org", required=True, width=22),
        Column(N_("姓名"), "name", required=True, width=10),
        Column(N_("职务"), "post", kind="choice", choices=PartyPost, width=10, help=N_("留空为“党员”")),
        Column(N_("手机号"), "phone", kind="phone", pii="phone", width=14),
        Column(
            N_("负责楼栋/单元"),
            "led_node",
            kind="node",
            width=30,
            help=N_("楼长、单元长必填：负责的楼栋或单元全称"),
        ),
        Column(N_("入党日期"), "joined_on", kind="date", width=12),
    )
    unique_together = (("party_org", "name"),)
    example = {
        "party_org": "幸福家园党支部",
        "name": "张三",
        "post": PartyPost.BUILDING_LEADER,
        "phone": "13900000000",
        "led_node": "城关街道 颐和社区 幸福家园 1号楼",
    }

    def queryset(self):
        return super().queryset().select_related("party_org__node", "led_node")

    def values(self, member: PartyMember) -> dict[str, Any]:
        return {
            "party_org": member.party_org.name,
            "name": member.name,
            "post": member.post,
            "phone": member.phone,
            "led_node": member.led_node.full_name if member.led_node else "",
            "joined_on": member.joined_on,
        }

    def save(self, row) -> None:
        if PartyMember.objects.filter(party_org=row["party_org"], name=row["name"]).exists():
            raise ValidationError(
                {
                    "name": _("“%(org)s”已有党员“%(name)s”")
                    % {"org": row["party_org"].name, "name": row["name"]}
                }
            )
        actions.add_party_member(
            party_org=row["party_org"],
            name=row["name"],
            post=row["post"] or PartyPost.MEMBER,
            phone=row["phone"],
            led_node=row["led_node"],
            joined_on=row["joined_on"],
            actor=self.user,
        )


# -- responsibility --------------------------------------------------------------------------------


class AssignmentResource(OrgResource):
    slug = "assignments"
    title = N_("包联责任")
    model = Assignment
    columns = (
        Column(N_("类型"), "kind", kind="choice", choices=AssignmentKind, required=True, width=16),
        Column(N_("负责节点"), "node", kind="node", required=True, width=30),
        Column(
            N_("负责人账号"),
            "user",
            kind="user",
            width=14,
            also_answers=("party_member",),
            help=N_("用户名或手机号；与“负责党员”二选一"),
        ),
        Column(N_("负责党员"), "member_name", width=10, help=N_("党员姓名，须同时填写“党员所在党组织”")),
        Column(N_("党员所在党组织"), "member_org", kind="party_org", width=22),
        Column(N_("起始日期"), "valid_from", kind="date", width=12),
        Column(N_("截止日期"), "valid_to", kind="date", width=12),
        Column(N_("备注"), "note", width=20),
    )
    unique_together = (("kind", "node", "user", "member_name", "member_org", "valid_from"),)
    example = {
        "kind": AssignmentKind.WORKER_TO_ESTATE,
        "node": "城关街道 颐和社区 幸福家园",
        "user": "13800000002",
        "valid_from": "2025-01-01",
    }

    def queryset(self):
        return super().queryset().select_related("node", "user", "party_member__party_org")

    def values(self, assignment: Assignment) -> dict[str, Any]:
        member = assignment.party_member
        return {
            "kind": assignment.kind,
            "node": assignment.node.full_name,
            "user": assignment.user.username if assignment.user else "",
            "member_name": member.name if member else "",
            "member_org": member.party_org.name if member else "",
            "valid_from": assignment.valid_from,
            "valid_to": assignment.valid_to,
            "note": assignment.note,
        }

    def save(self, row) -> None:
        member = None
        if row["member_name"]:
            if row["member_org"] is None:
                raise ValidationError({"member_org": _("填写了负责党员时，须填写党员所在党组织")})
            member = (
                PartyMember.objects.visible_to(self.user, self.import_capability)
                .filter(party_org=row["member_org"], name=row["member_name"])
                .first()
            )
            if member is None:
                raise ValidationError(
                    {
                        "member_name": _("“%(org)s”中找不到党员“%(name)s”")
                        % {"org": row["member_org"].name, "name": row["member_name"]}
                    }
                )
        actions.assign_responsibility(
            kind=row["kind"],
            node=row["node"],
            user=row["user"],
            party_member=member,
            valid_from=row["valid_from"],
            valid_to=row["valid_to"],
            note=row["note"],
            actor=self.user,
        )


# -- property --------------------------------------------------------------------------------------


class PropertyCompanyResource(OrgResource):
    slug = "property-companies"
    title = N_("物业企业")
    model = PropertyCompany
    columns = (
        Column(N_("企业名称"), "name", required=True, width=28),
        Column(
            N_("统一社会信用代码"), "credit_code", kind="code", width=22, help=N_("18位（GB 32100），可空")
        ),
        Column(N_("联系人"), "contact", width=10),
        Column(N_("联系电话"), "phone", kind="phone", width=14),
        Column(
            N_("街道领办"),
            "is_street_led",
            kind="bool",
            width=10,
            help=N_("街道领办、承担兜底服务的企业填“是”"),
        ),
    )
    unique_together = (("name",), ("credit_code",))
    example = {
        "name": "城关物业服务有限公司",
        "contact": "李四",
        "phone": "06341234567",
        "is_street_led": False,
    }

    def save(self, row) -> None:
        actions.create_property_company(
            name=row["name"],
            credit_code=row["credit_code"],
            contact=row["contact"],
            phone=row["phone"],
            is_street_led=row["is_street_led"],
            actor=self.user,
        )


class EstatePropertyResource(OrgResource):
    slug = "estates"
    title = N_("小区物业")
    model = EstateProperty
    columns = (
        Column(
            N_("小区"),
            "node",
            kind="node",
            required=True,
            width=30,
            help=N_("已登记的小区会被更新（表格中没有的列保持原值）"),
        ),
        Column(N_("物业状态"), "status", kind="choice", choices=PropertyStatus, required=True, width=10),
        Column(
            N_("物业企业"),
            "company",
            kind="company",
            width=24,
            help=N_("专业物业、街道兜底时必填：企业名称或信用代码"),
        ),
        Column(N_("红色物业"), "is_red_property", kind="bool", width=10),
        Column(N_("合同起始"), "contract_start", kind="date", width=12),
        Column(N_("合同截止"), "contract_end", kind="date", width=12),
        Column(N_("已成立业委会"), "has_owners_committee", kind="bool", width=12),
        Column(N_("业委会成立日期"), "committee_established", kind="date", width=14),
        Column(N_("业委会主任"), "committee_chair", width=10),
        Column(N_("业委会电话"), "committee_phone", kind="phone", pii="phone", width=14),
    )
    unique_together = (("node",),)
    example = {
        "node": "城关街道 颐和社区 幸福家园",
        "status": PropertyStatus.STREET_FALLBACK,
        "company": "城关物业服务有限公司",
        "is_red_property": True,
    }

    def queryset(self):
        return super().queryset().select_related("node", "company")

    def values(self, estate: EstateProperty) -> dict[str, Any]:
        values = {c.field: getattr(estate, c.field) for c in self.columns}
        values["node"] = estate.node.full_name
        values["company"] = estate.company.name if estate.company else ""
        return values

    def save(self, row) -> None:
        # An update: columns the file does not have leave the 小区's values as they are.
        fields = {
            k: v
            for k, v in row.items()
            if k in self.present_fields and k not in ("node", "status", "company")
        }
        actions.set_estate_property(
            row["node"], status=row["status"], company=row["company"], actor=self.user, **fields
        )


# -- households and residents ---------------------------------------------------------------------


class HouseholdResource(OrgResource):
    slug = "households"
    title = N_("户")
    model = Household
    columns = (
        Column(
            N_("地址"),
            "node",
            kind="node",
            required=True,
            pii="address",
            width=36,
            help=N_("单元、楼栋或自然村的全称"),
        ),
        Column(N_("门牌/房号"), "room", pii="secret", width=10),
        Column(N_("户主"), "head_name", width=10),
        Column(N_("备注"), "note", width=20),
    )
    unique_together = (("node", "room"),)
    example = {"node": "城关街道 颐和社区 幸福家园 1号楼 1单元", "room": "101", "head_name": "王五"}

    def queryset(self):
        return super().queryset().select_related("node")

    def values(self, household: Household) -> dict[str, Any]:
        return {
            "node": household.node.full_name,
            "room": household.room,
            "head_name": household.head_name,
            "note": household.note,
        }

    def save(self, row) -> None:
        if Household.objects.filter(node=row["node"], room=row["room"]).exists():
            raise ValidationError({"room": _("该地址的这一户已登记")})
        actions.register_household(
            node=row["node"], room=row["room"], head_name=row["head_name"], note=row["note"], actor=self.user
        )


class ResidentResource(OrgResource):
    slug = "residents"
    title = N_("居民")
    model = Resident
    columns = (
        Column(N_("姓名"), "name", required=True, width=10),
        Column(
            N_("性别"),
            "gender",
            kind="choice",
            choices=Gender,
            width=6,
            help=N_("可空：填写身份证号时按号码推定"),
        ),
        Column(
            N_("出生日期"),
            "birth_date",
            kind="date",
            pii="year",
            width=12,
            help=N_("可空：填写身份证号时按号码推定"),
        ),
        Column(N_("手机号"), "phone", kind="phone", pii="phone", width=14),
        Column(
            N_("身份证号"),
            "id_number",
            kind="id_number",
            pii="id_number",
            width=20,
            help=N_("18位，末位可为X；请把该列设为“文本”格式，否则 Excel 会丢失末几位"),
        ),
        Column(
            N_("地址"),
            "node",
            kind="node",
            required=True,
            pii="address",
            width=36,
            help=N_("单元、楼栋或自然村的全称"),
        ),
        Column(
            N_("门牌/房号"),
            "room",
            pii="secret",
            width=10,
            also_answers=("household",),
            help=N_("填写后归入该地址该房号的户；户不存在时自动登记"),
        ),
        Column(N_("与户主关系"), "relation", width=10, help=N_("如：户主、配偶、子女")),
        Column(N_("标签"), "tags", kind="tags", blank=(), width=18, help=N_("多个标签用“、”或“,”分隔")),
        Column(N_("备注"), "note", width=20),
    )
    unique_together = (("id_number",),)
    example = {
        "name": "王五",
        "phone": "13912345678",
        "id_number": "11010519491231002X",
        "node": "城关街道 颐和社区 幸福家园 1号楼 1单元",
        "room": "101",
        "relation": "户主",
        "tags": ["老年人", "独居"],
    }

    @cached_property
    def _tag_spellings(self) -> set[str]:
        return {spelling for pair in ResidentTag.objects.values_list("code", "name") for spelling in pair}

    def parse_tags(self, value, column) -> list[str]:
        """Checked here as well as in the action, so a row's unknown tag is reported with its other mistakes."""
        tags = read_list(value)
        unknown = [t for t in tags if t not in self._tag_spellings]
        if unknown:
            raise CellError(_("未知的标签：%(tags)s") % {"tags": "、".join(unknown)})
        return tags

    def allowed_values(self, column: Column) -> list[str]:
        if column.field == "tags":
            return list(ResidentTag.objects.values_list("name", flat=True))
        return super().allowed_values(column)

    def queryset(self):
        return super().queryset().select_related("node", "household").prefetch_related("tags")

    def values(self, resident: Resident) -> dict[str, Any]:
        return {
            "name": resident.name,
            "gender": resident.gender,
            "birth_date": resident.birth_date,
            "phone": resident.phone,
            "id_number": resident.id_number,
            "node": resident.node.full_name,
            "room": resident.household.room if resident.household else "",
            "relation": resident.relation,
            "tags": [t.name for t in resident.tags.all()],
            "note": resident.note,
        }

    def save(self, row) -> None:
        household = None
        if row["room"]:
            household = Household.objects.filter(node=row["node"], room=row["room"]).first()
            if household is None:
                head = row["name"] if row["relation"] in HEAD_RELATIONS else ""
                household = actions.register_household(
                    node=row["node"], room=row["room"], head_name=head, actor=self.user
                )
        actions.register_resident(
            name=row["name"],
            node=row["node"],
            tags=row["tags"],
            gender=row["gender"] or "",
            birth_date=row["birth_date"],
            phone=row["phone"],
            id_number=row["id_number"],
            household=household,
            relation=row["relation"],
            note=row["note"],
            actor=self.user,
        )


#: Every registry, in the order a 街道 fills them (each may refer to the ones above it).
register(
    NodeResource,
    GridResource,
    PartyOrgResource,
    PartyMemberResource,
    AssignmentResource,
    PropertyCompanyResource,
    EstatePropertyResource,
    HouseholdResource,
    ResidentResource,
)
