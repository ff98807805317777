"""The enterprise registry, the problem ledger and the project list as spreadsheets, on the core xlsx machinery
(docs/import-export.md): the registry imports (all-or-nothing, with a row report) and exports; the ledger and the
project list export only — their rows change through the actions, not by editing a file."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from minsheng.accounts.choices import Cap
from minsheng.core.spreadsheet import CellError, Column, read_text, register
from minsheng.org.spreadsheets import OrgResource

from . import actions
from .choices import LedgerState, SizeClass, Stage
from .models import Enterprise, EnterpriseTag, Industry, Problem, Project
from .validators import validate_uscc


class EnterpriseResourceBase(OrgResource):
    app_label = "enterprise"
    export_capability = Cap.ENTERPRISE_VIEW
    import_capability = Cap.ENTERPRISE_MANAGE
    pii_capability = Cap.ORG_VIEW_PII

    def nodes_in_scope(self):
        from minsheng.org.models import Node

        return Node.objects.visible_to(self.user, self.import_capability)

    @staticmethod
    def node_name(node) -> str:
        return node.full_name if node is not None else ""


class EnterpriseResource(EnterpriseResourceBase):
    slug = "enterprises"
    title = N_("企业")
    model = Enterprise
    columns = (
        Column(N_("统一社会信用代码"), "credit_code", kind="uscc", required=True, width=22),
        Column(N_("企业名称"), "name", required=True, width=26),
        Column(
            N_("行业门类"),
            "industry",
            kind="industry",
            required=True,
            width=16,
            help=N_("门类字母或名称，如 C 或 制造业"),
        ),
        Column(N_("企业规模"), "size", kind="choice", choices=SizeClass, required=True, width=8),
        Column(N_("所在社区/村"), "node", kind="node", required=True, width=24),
        Column(N_("地址"), "address", width=26, pii="address"),
        Column(N_("法定代表人"), "legal_rep", width=10),
        Column(N_("从业人数"), "employees", kind="int", width=8, blank=None),
        Column(N_("标签"), "tags", kind="tags", blank=[], width=18, help=N_("多个用“、”分隔")),
        Column(N_("包靠干部"), "cadre", kind="user", width=12, blank=None, help=N_("用户名或手机号")),
        Column(N_("联系人"), "contact_name", width=10),
        Column(N_("联系人手机"), "contact_phone", kind="phone", pii="phone", width=14),
    )
    unique_together = (("credit_code",),)
    example = {
        "credit_code": "91370724MA3C00001X",
        "name": "示例食品有限公司",
        "industry": "C",
        "size": SizeClass.SMALL,
        "node": "颐和社区",
        "tags": ["小微"],
    }

    def queryset(self):
        return (
            super()
            .queryset()
            .select_related("industry", "node", "cadre")
            .prefetch_related("tags", "contacts")
        )

    def allowed_values(self, column):
        if column.kind == "industry":
            return [f"{i.code} {i.name}" for i in Industry.objects.all()]
        if column.kind == "tags":
            return [t.name for t in EnterpriseTag.objects.all()]
        return super().allowed_values(column)

    def parse_uscc(self, value, column) -> str:
        try:
            return validate_uscc(read_text(value))
        except ValidationError as exc:
            raise CellError(exc.messages[0]) from None

    def parse_industry(self, value, column) -> Industry:
        text = read_text(value).strip()
        found = Industry.objects.filter(code=text.upper()[:1]).first() if len(text) <= 2 else None
        found = found or Industry.objects.filter(name=text).first()
        if found is None:
            raise CellError(_("找不到行业门类“%(v)s”") % {"v": text})
        return found

    def parse_int(self, value, column) -> int:
        text = read_text(value)
        if not text.isdigit():
            raise CellError(_("应填写整数"))
        return int(text)

    def parse_tags(self, value, column) -> list:
        tags = {t.name: t for t in EnterpriseTag.objects.all()}
        names = (
            [n for n in value if n]
            if isinstance(value, list)
            else [
                n.strip()
                for n in read_text(value).replace("，", "、").replace(",", "、").split("、")
                if n.strip()
            ]
        )
        missing = [n for n in names if n not in tags]
        if missing:
            raise CellError(_("未知标签：%(t)s") % {"t": "、".join(missing)})
        return [tags[n] for n in names]

    def values(self, obj) -> dict[str, Any]:
        contact = next(iter(obj.contacts.all()), None)
        return {
            "credit_code": obj.credit_code,
            "name": obj.name,
            "industry": f"{obj.industry.code} {obj.industry.name}",
            "size": obj.size,
            "node": self.node_name(obj.node),
            "address": obj.address,
            "legal_rep": obj.legal_rep,
            "employees": obj.employees,
            "tags": [t.name for t in obj.tags.all()],
            "cadre": obj.cadre.username if obj.cadre else "",
            "contact_name": contact.name if contact else "",
            "contact_phone": contact.phone if contact else "",
        }

    def save(self, row) -> None:
        contact_name = row.pop("contact_name", "")
        contact_phone = row.pop("contact_phone", "")
        if Enterprise.objects.filter(credit_code=row["credit_code"]).exists():
            raise ValidationError({"credit_code": _("该统一社会信用代码已登记")})
        enterprise = actions.create_enterprise(actor=self.user, **row)
        if contact_phone:
            actions.add_contact(
                enterprise,
                actor=self.user,
                name=contact_name or _("联系人"),
                phone=contact_phone,
                is_primary=True,
            )


class ExportOnly(EnterpriseResourceBase):
    import_capability = Cap.ENTERPRISE_MANAGE
    importable = False

    def save(self, row) -> None:
        raise ValidationError(_("此台账只能导出"))


class ProblemResource(ExportOnly):
    """The 街道's ledger, or one enterprise's (`enterprise_id` set by the page that asks for it)."""

    slug = "enterprise-problems"
    enterprise_id: int | None = None
    title = N_("企业问题")
    model = Problem
    columns = (
        Column(N_("案件编号"), "number", width=18),
        Column(N_("企业"), "enterprise", width=24),
        Column(N_("问题"), "title", width=30),
        Column(N_("来源"), "raised_via", width=14),
        Column(N_("登记日期"), "reported", width=12),
        Column(N_("主办部门"), "unit", width=16),
        Column(N_("办结时限"), "due", width=12),
        Column(N_("案件状态"), "status", width=10),
        Column(N_("台账状态"), "state", width=10),
        Column(N_("销号日期"), "closed", width=12),
        Column(N_("确认方式"), "confirmed_by", width=16),
        Column(N_("企业意见"), "note", width=24),
    )

    def narrow(self, params) -> None:
        enterprise = params.get("enterprise", "")
        if enterprise.isdigit():
            self.enterprise_id = int(enterprise)  # still read through the user's scope

    def queryset(self):
        qs = super().queryset().select_related("enterprise", "case", "case__lead_unit")
        if self.enterprise_id is not None:
            qs = qs.filter(enterprise_id=self.enterprise_id)
        return qs.order_by("enterprise__name", "pk")

    def values(self, obj) -> dict[str, Any]:
        from django.utils import timezone

        case = obj.case
        due = timezone.localtime(case.finish_due).date().isoformat() if case.finish_due else ""
        return {
            "number": case.number,
            "enterprise": obj.enterprise.name,
            "title": case.title,
            "raised_via": obj.get_raised_via_display(),
            "reported": timezone.localtime(case.reported_at).date().isoformat(),
            "unit": case.lead_unit.name if case.lead_unit else "",
            "due": due,
            "status": case.get_status_display(),
            "state": str(LedgerState(actions.ledger_state(obj)).label),
            "closed": timezone.localtime(obj.closed_at).date().isoformat() if obj.closed_at else "",
            "confirmed_by": obj.get_confirmed_by_display(),
            "note": obj.confirmation_note,
        }


class ProjectResource(ExportOnly):
    slug = "investment-projects"
    title = N_("招商项目")
    model = Project
    columns = (
        Column(N_("项目编号"), "number", width=12),
        Column(N_("项目名称"), "name", width=26),
        Column(N_("投资方"), "investor", width=20),
        Column(N_("阶段"), "stage", width=10),
        Column(N_("计划投资（万元）"), "planned", width=14),
        Column(N_("签约额（万元）"), "signed", width=14),
        Column(N_("到位资金（万元）"), "funds", width=14),
        Column(N_("首次签约"), "first_signed_on", width=12),
        Column(N_("开工"), "started_on", width=12),
        Column(N_("负责人"), "owner", width=10),
        Column(N_("线索提供人"), "submitted_by", width=10),
        Column(N_("流失原因"), "lost_reason", width=20),
    )

    def queryset(self):
        return super().queryset().select_related("owner", "submitted_by").order_by("number")

    def values(self, obj) -> dict[str, Any]:
        return {
            "number": obj.number,
            "name": obj.name,
            "investor": obj.investor,
            "stage": str(Stage(obj.stage).label),
            "planned": obj.planned_amount,
            "signed": obj.signed_amount,
            "funds": obj.funds_in_place,
            "first_signed_on": obj.first_signed_on,
            "started_on": obj.started_on,
            "owner": str(obj.owner),
            "submitted_by": str(obj.submitted_by),
            "lost_reason": obj.lost_reason,
        }


TABLES = {cls.slug: cls for cls in (EnterpriseResource, ProblemResource, ProjectResource)}
register(*TABLES.values())
