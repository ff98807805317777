"""The centre's 台账 as xlsx through the core spreadsheet machinery: the dispute ledger (矛盾纠纷调解台账) and the
petition ledger (信访台账). Export only — records are made through the centre's steps, never imported; personal
data is masked unless the user holds org.view_pii at the row's place and asks for it (audited by core)."""

from django.utils.translation import gettext_noop as N

from minsheng.accounts.choices import Cap
from minsheng.core.spreadsheet import Column, Resource, register
from minsheng.org.models import Node

from .choices import Acceptance, DisputeSource, DisputeType, Outcome, PetitionForm, PetitionStage, RiskGrade
from .models import Dispute, Petition


class _CentreLedger(Resource):
    app_label = "mediation"
    pii_capability = "org.view_pii"

    def audit_target(self, capability: str):
        return Node.objects.visible_to(self.user, capability).order_by("depth", "path").first() or self.user


class DisputeLedger(_CentreLedger):
    slug = "mediation-disputes"
    title = N("矛盾纠纷调解")
    model = Dispute
    export_capability = Cap.MEDIATION_VIEW
    columns = (
        Column(N("案件编号"), "case_number"),
        Column(N("纠纷类型"), "type", kind="choice", choices=DisputeType),
        Column(N("案件来源"), "source", kind="choice", choices=DisputeSource),
        Column(N("风险等级"), "risk", kind="choice", choices=RiskGrade, width=8),
        Column(N("纠纷发生地"), "place", width=28),
        Column(N("申请人"), "applicant"),
        Column(N("申请人电话"), "applicant_phone", pii="phone"),
        Column(N("被申请人"), "respondent"),
        Column(N("受理日期"), "accepted_at", kind="date"),
        Column(N("调解期限"), "mediation_due", kind="date"),
        Column(N("调解结果"), "outcome", kind="choice", choices=Outcome),
        Column(N("终结日期"), "ended_at", kind="date"),
        Column(N("协议书编号"), "number", width=22),
        Column(N("协议涉及金额（元）"), "agreement_amount"),
        Column(N("简要情况"), "facts", width=40),
    )

    def export_rows(self):
        return (
            self.queryset()
            .select_related("case", "node")
            .prefetch_related("parties")
            .order_by("-accepted_at")
        )

    def values(self, d):
        parties = list(d.parties.all())
        applicant = next((p for p in parties if p.role == "applicant"), None)
        respondents = [p.name for p in parties if p.role == "respondent"]
        return {
            "case_number": d.case.number,
            "type": d.type,
            "source": d.source,
            "risk": d.risk,
            "place": d.node.full_name,
            "applicant": applicant.name if applicant else "",
            "applicant_phone": applicant.phone if applicant else "",
            "respondent": "、".join(respondents),
            "accepted_at": d.accepted_at,
            "mediation_due": d.mediation_due,
            "outcome": d.outcome,
            "ended_at": d.ended_at,
            "number": d.number,
            "agreement_amount": d.agreement_amount,
            "facts": d.facts,
        }


class PetitionLedger(_CentreLedger):
    slug = "mediation-petitions"
    title = N("信访")
    model = Petition
    export_capability = Cap.PETITION_VIEW
    columns = (
        Column(N("案件编号"), "case_number"),
        Column(N("阶段"), "stage", kind="choice", choices=PetitionStage, width=8),
        Column(N("信访形式"), "form", kind="choice", choices=PetitionForm, width=10),
        Column(N("信访人"), "petitioner"),
        Column(N("联系电话"), "phone", pii="phone"),
        Column(N("身份证号"), "id_number", pii="id_number", width=20),
        Column(N("初信初访"), "is_first", kind="bool", width=8),
        Column(N("登记日期"), "registered_at", kind="date"),
        Column(N("受理情况"), "acceptance", kind="choice", choices=Acceptance),
        Column(N("办理期限"), "handle_due", kind="date"),
        Column(N("答复日期"), "replied_at", kind="date"),
        Column(N("答复意见书编号"), "reply_number", width=18),
        Column(N("终结"), "final", kind="bool", width=6),
        Column(N("信访事项"), "matter", width=40),
    )

    def export_rows(self):
        return self.queryset().select_related("case").order_by("-registered_at")

    def values(self, p):
        return {
            c.field: (p.case.number if c.field == "case_number" else getattr(p, c.field))
            for c in self.columns
        }


register(DisputeLedger, PetitionLedger)
