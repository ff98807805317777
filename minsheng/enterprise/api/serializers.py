"""Serializers of /api/v1/enterprise/: read shapes (phones masked unless the caller may see them), and input shapes
that the views hand to the actions — no serializer saves a model itself."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from minsheng.accounts.api.base import ScopedRelatedField
from minsheng.accounts.choices import Cap
from minsheng.cases.choices import Satisfaction, Urgency
from minsheng.cases.models import Category, Unit
from minsheng.core.masking import mask_phone
from minsheng.org.models import Node

from ..choices import (
    PIPELINE,
    DeliveryMethod,
    EventKind,
    LedgerState,
    Milestone,
    NeedKind,
    PolicyMode,
    SigningKind,
    SizeClass,
)
from ..models import (
    Bank,
    Contact,
    Enterprise,
    EnterpriseEvent,
    EnterpriseTag,
    FundsRecord,
    Industry,
    MatchOutcome,
    Plan,
    PlanAction,
    PlanNeed,
    Policy,
    PolicyDelivery,
    Problem,
    Project,
    ProjectEvent,
    Signing,
    Visit,
)
from ..validators import validate_uscc

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class EntUserRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class EntContactSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = ["id", "name", "position", "phone", "is_primary", "h5_enabled"]

    def get_phone(self, obj) -> str:
        return obj.phone if self.context.get("unmasked") else mask_phone(obj.phone)


class EnterpriseSerializer(serializers.ModelSerializer):
    industry = serializers.SlugRelatedField(slug_field="code", read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    node_name = serializers.CharField(source="node.name", read_only=True)
    cadre = EntUserRef(read_only=True, allow_null=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "name",
            "industry",
            "size",
            "node",
            "node_name",
            "grid",
            "address",
            "legal_rep",
            "founded_on",
            "employees",
            "tags",
            "cadre",
            "note",
        ]


class EnterpriseDetailSerializer(EnterpriseSerializer):
    contacts = EntContactSerializer(many=True, read_only=True)

    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "contacts"]


class EnterpriseInputSerializer(serializers.Serializer):
    credit_code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=100)
    industry = serializers.SlugRelatedField(slug_field="code", queryset=Industry.objects.all())
    size = serializers.ChoiceField(choices=SizeClass.choices)
    node = ScopedRelatedField(capability=Cap.ENTERPRISE_MANAGE, queryset=Node.objects.all())
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    legal_rep = serializers.CharField(max_length=50, required=False, allow_blank=True)
    founded_on = serializers.DateField(required=False, allow_null=True)
    employees = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=10_000_000)
    tags = serializers.SlugRelatedField(
        slug_field="name", queryset=EnterpriseTag.objects.all(), many=True, required=False
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate_credit_code(self, value):
        from django.core.exceptions import ValidationError

        try:
            return validate_uscc(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class EntContactInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20)
    position = serializers.CharField(max_length=50, required=False, allow_blank=True)
    is_primary = serializers.BooleanField(default=False)
    h5_enabled = serializers.BooleanField(default=True)


# -- projects ------------------------------------------------------------------------------------------------


class EntSigningSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signing
        fields = ["id", "kind", "signed_on", "amount", "counted", "investor", "note"]


class EntFundsSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundsRecord
        fields = ["id", "on", "amount", "note"]


class EntProjectEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = ProjectEvent
        fields = ["id", "created_at", "verb", "actor", "from_stage", "to_stage", "days_in_stage", "note"]


class EntProjectSerializer(serializers.ModelSerializer):
    industry = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner = EntUserRef(read_only=True)
    submitted_by = EntUserRef(read_only=True)
    ageing = serializers.SerializerMethodField()
    days_in_stage = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "number",
            "name",
            "investor",
            "enterprise",
            "industry",
            "node",
            "stage",
            "stage_entered_at",
            "stage_due",
            "ageing",
            "days_in_stage",
            "is_supervised",
            "owner",
            "submitted_by",
            "planned_amount",
            "signed_amount",
            "funds_in_place",
            "first_signed_on",
            "approved_on",
            "land_on",
            "started_on",
            "production_on",
            "operating_on",
            "lost_reason",
        ]

    def get_ageing(self, obj) -> str:
        from ..actions import ageing

        return ageing(obj)

    def get_days_in_stage(self, obj) -> int:
        from ..actions import days_in_stage

        return days_in_stage(obj)


class EntProjectDetailSerializer(EntProjectSerializer):
    signings = EntSigningSerializer(many=True, read_only=True)
    funds = EntFundsSerializer(many=True, read_only=True)
    events = EntProjectEventSerializer(many=True, read_only=True)

    class Meta(EntProjectSerializer.Meta):
        fields = [
            *EntProjectSerializer.Meta.fields,
            "description",
            "source_note",
            "signings",
            "funds",
            "events",
        ]


class EntLeadInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    investor = serializers.CharField(max_length=100)
    industry = serializers.SlugRelatedField(slug_field="code", queryset=Industry.objects.all())
    node = ScopedRelatedField(capability=Cap.ORG_VIEW, queryset=Node.objects.all())
    planned_amount = serializers.DecimalField(**MONEY)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    source_note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class EntAdvanceInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=[(s.value, s.label) for s in PIPELINE])
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class EntLoseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class EntSigningInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SigningKind.choices)
    amount = serializers.DecimalField(**MONEY)
    signed_on = serializers.DateField()
    investor = serializers.CharField(required=False, allow_blank=True, max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class EntMilestoneInputSerializer(serializers.Serializer):
    milestone = serializers.ChoiceField(choices=Milestone.choices)
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class EntFundsInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class EntSuperviseInputSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=500)


# -- the ledger ---------------------------------------------------------------------------------------------


class EntProblemSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    title = serializers.CharField(source="case.title", read_only=True)
    case_status = serializers.CharField(source="case.status", read_only=True)
    finish_due = serializers.DateTimeField(source="case.finish_due", read_only=True)
    lead_unit = serializers.StringRelatedField(source="case.lead_unit")
    state = serializers.SerializerMethodField()

    class Meta:
        model = Problem
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "case",
            "case_number",
            "title",
            "case_status",
            "lead_unit",
            "finish_due",
            "raised_via",
            "visit",
            "state",
            "closed_at",
            "confirmed_by",
            "confirmation_note",
        ]

    def get_state(self, obj) -> str:
        from ..actions import ledger_state

        return LedgerState(ledger_state(obj)).value


class EntProblemInputSerializer(serializers.Serializer):
    enterprise = ScopedRelatedField(capability=Cap.ENTERPRISE_MANAGE, queryset=Enterprise.objects.all())
    title = serializers.CharField(max_length=60)
    description = serializers.CharField(max_length=4000)
    visit = ScopedRelatedField(capability=Cap.ENTERPRISE_MANAGE, queryset=Visit.objects.all(), required=False)
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.filter(code__startswith="QY"), required=False
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True), required=False)


class EntConfirmInputSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(
        choices=[(Satisfaction.SATISFIED.value, _("满意")), (Satisfaction.BASIC.value, _("基本满意"))],
        default=Satisfaction.SATISFIED,
    )
    note = serializers.CharField(max_length=500)
    evidence = serializers.FileField(help_text=_("企业确认凭证（签字确认单照片或 PDF）"))


class EntDeclineInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class EntVisitSerializer(serializers.ModelSerializer):
    units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "enterprise", "visited_on", "units", "on_site_office", "findings"]


class EntVisitInputSerializer(serializers.Serializer):
    enterprise = ScopedRelatedField(capability=Cap.ENTERPRISE_MANAGE, queryset=Enterprise.objects.all())
    visited_on = serializers.DateField()
    findings = serializers.CharField(max_length=4000)
    units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(is_active=True), many=True, required=False
    )
    on_site_office = serializers.BooleanField(default=False)


# -- 一企一策 ------------------------------------------------------------------------------------------------


class EntPlanNeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanNeed
        fields = ["id", "kind", "description"]


class EntPlanActionSerializer(serializers.ModelSerializer):
    owner = EntUserRef(read_only=True)

    class Meta:
        model = PlanAction
        fields = ["id", "need", "title", "owner", "due", "progress", "progress_note", "done_on"]


class EntPlanSerializer(serializers.ModelSerializer):
    needs = EntPlanNeedSerializer(many=True, read_only=True)
    actions = EntPlanActionSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "enterprise",
            "year",
            "summary",
            "status",
            "reviewed_at",
            "review_opinion",
            "needs",
            "actions",
        ]


class EntNeedInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NeedKind.choices)
    description = serializers.CharField(max_length=2000)


class EntPlanInputSerializer(serializers.Serializer):
    enterprise = ScopedRelatedField(capability=Cap.ENTERPRISE_MANAGE, queryset=Enterprise.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    summary = serializers.CharField(max_length=4000)
    needs = EntNeedInputSerializer(many=True)


class EntReviewInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    opinion = serializers.CharField(max_length=2000)


# -- events and policies -------------------------------------------------------------------------------------


class EntOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatchOutcome
        fields = ["id", "enterprise", "bank", "intent_amount", "credit_amount", "loan_amount", "note"]


class EntEventSerializer(serializers.ModelSerializer):
    enterprises = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    banks = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = EnterpriseEvent
        fields = [
            "id",
            "kind",
            "title",
            "held_on",
            "place",
            "node",
            "summary",
            "enterprises",
            "banks",
            "policies",
            "activity_id",
        ]


class EntEventDetailSerializer(EntEventSerializer):
    outcomes = EntOutcomeSerializer(many=True, read_only=True)

    class Meta(EntEventSerializer.Meta):
        fields = [*EntEventSerializer.Meta.fields, "outcomes"]


class EntEventInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    title = serializers.CharField(max_length=100)
    held_on = serializers.DateField()
    node = ScopedRelatedField(capability=Cap.ENTERPRISE_MANAGE, queryset=Node.objects.all())
    place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    enterprises = ScopedRelatedField(
        capability=Cap.ENTERPRISE_VIEW, queryset=Enterprise.objects.all(), many=True, required=False
    )
    banks = serializers.PrimaryKeyRelatedField(queryset=Bank.objects.all(), many=True, required=False)
    policies = serializers.PrimaryKeyRelatedField(queryset=Policy.objects.all(), many=True, required=False)


class EntOutcomeInputSerializer(serializers.Serializer):
    enterprise = ScopedRelatedField(capability=Cap.ENTERPRISE_VIEW, queryset=Enterprise.objects.all())
    bank = serializers.PrimaryKeyRelatedField(queryset=Bank.objects.all())
    intent_amount = serializers.DecimalField(default=0, **MONEY)
    credit_amount = serializers.DecimalField(default=0, **MONEY)
    loan_amount = serializers.DecimalField(default=0, **MONEY)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EntBankSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bank
        fields = ["id", "name"]


class EntPolicySerializer(serializers.ModelSerializer):
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    industries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    sizes = serializers.ListField(child=serializers.ChoiceField(choices=SizeClass.choices), read_only=True)

    class Meta:
        model = Policy
        fields = [
            "id",
            "title",
            "issuer",
            "doc_number",
            "issued_on",
            "valid_until",
            "mode",
            "summary",
            "tags",
            "industries",
            "sizes",
        ]


class EntPolicyInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=150)
    issuer = serializers.CharField(max_length=100)
    doc_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    issued_on = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    mode = serializers.ChoiceField(choices=PolicyMode.choices, default=PolicyMode.APPLY)
    summary = serializers.CharField(max_length=4000)
    tags = serializers.SlugRelatedField(
        slug_field="name", queryset=EnterpriseTag.objects.all(), many=True, required=False
    )
    industries = serializers.SlugRelatedField(
        slug_field="code", queryset=Industry.objects.all(), many=True, required=False
    )
    sizes = serializers.ListField(child=serializers.ChoiceField(choices=SizeClass.choices), required=False)


class EntDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyDelivery
        fields = ["id", "policy", "enterprise", "delivered_on", "method", "event", "note"]


class EntDeliveryInputSerializer(serializers.Serializer):
    enterprise = ScopedRelatedField(capability=Cap.ENTERPRISE_MANAGE, queryset=Enterprise.objects.all())
    delivered_on = serializers.DateField()
    method = serializers.ChoiceField(choices=DeliveryMethod.choices, default=DeliveryMethod.VISIT)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EntMatchSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    name = serializers.CharField()
    delivered_on = serializers.DateField(allow_null=True)


# -- figures -------------------------------------------------------------------------------------------------


class EntFigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text=_("比率为百分数（保留一位小数），金额单位万元"))


class EntFigureQuery(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": _("结束日期不能早于开始日期")})
        return attrs
