"""Serializers of /api/v1/mediation/: personal data masked unless the caller holds org.view_pii at the place and
asked with ?unmasked=1 (audited by the view)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from minsheng.accounts.api.base import ScopedRelatedField
from minsheng.accounts.choices import Cap
from minsheng.core.masking import mask_id_number, mask_phone
from minsheng.org.models import Node, Resident

from ..choices import (
    Direction,
    DisputeSource,
    DisputeType,
    NotSuccessful,
    OtherRoute,
    Partner,
    PartyRole,
    Performance,
    PetitionForm,
    PetitionKind,
    RiskGrade,
    Route,
)
from ..models import (
    Dispute,
    Mediator,
    Objection,
    Party,
    Petition,
    Referral,
    ScreeningItem,
    Session,
    Visit,
    WeeklyReport,
)


class MaskedCharField(serializers.CharField):
    """A personal field shown masked unless the serializer context says `unmasked`."""

    def __init__(self, mask, **kwargs):
        self.mask = mask
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        if self.context.get("unmasked"):
            return value
        return self.mask(value)


@extend_schema_serializer(component_name="ReceptionVisit")  # deliberation has a Visit too
class VisitSerializer(serializers.ModelSerializer):
    phone = MaskedCharField(mask_phone)
    id_number = MaskedCharField(mask_id_number)
    receiver = serializers.StringRelatedField()
    case_number = serializers.CharField(source="case.number", read_only=True, default="")

    class Meta:
        model = Visit
        fields = [
            "id",
            "visited_at",
            "resident",
            "name",
            "phone",
            "id_number",
            "node",
            "visitors",
            "matter",
            "receiver",
            "route",
            "routed_at",
            "answer",
            "is_first",
            "repeat_of",
            "related_case",
            "similarity",
            "case",
            "case_number",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="ReceptionVisitCreate")
class VisitCreateSerializer(serializers.Serializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all(), required=False, allow_null=True)
    node = ScopedRelatedField(queryset=Node.objects.all(), required=False, allow_null=True)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    visitors = serializers.IntegerField(min_value=1, max_value=500, default=1)
    matter = serializers.CharField(max_length=2000)


class DisputePartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    resident = ScopedRelatedField(queryset=Resident.objects.all(), required=False, allow_null=True)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class VisitRouteSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=Route.choices)
    type = serializers.ChoiceField(choices=DisputeType.choices, required=False)
    source = serializers.ChoiceField(choices=DisputeSource.choices, required=False, default="applied")
    respondent = DisputePartyInputSerializer(required=False)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, default=0)
    petition_kind = serializers.ChoiceField(choices=PetitionKind.choices, required=False, default="claim")
    acknowledge_final = serializers.BooleanField(required=False, default=False)
    partner = serializers.ChoiceField(choices=Partner.choices, required=False)
    partner_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    consent = serializers.BooleanField(required=False, default=False)
    answer = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class VisitRouteResultSerializer(serializers.Serializer):
    route = serializers.CharField()
    case = serializers.IntegerField(allow_null=True)
    dispute = serializers.IntegerField(allow_null=True)
    petition = serializers.IntegerField(allow_null=True)
    referral = serializers.IntegerField(allow_null=True)


class DisputePartySerializer(serializers.ModelSerializer):
    phone = MaskedCharField(mask_phone)
    id_number = MaskedCharField(mask_id_number)
    address = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["id", "role", "resident", "name", "phone", "id_number", "address", "refused", "consented"]
        read_only_fields = fields

    def get_address(self, obj) -> str:
        return obj.address if self.context.get("unmasked") else ("****" if obj.address else "")


class DisputeMediatorSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = Mediator
        fields = ["id", "user", "user_name", "is_lead", "active", "assigned_at", "removed_at"]
        read_only_fields = fields


class DisputeObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = [
            "id",
            "party",
            "mediator",
            "reason",
            "raised_at",
            "decision",
            "decision_reason",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class MediationSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "held_at", "place", "attendees", "record", "recorded_by"]
        read_only_fields = fields


class DisputeListSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    title = serializers.CharField(source="case.title", read_only=True)
    case_status = serializers.CharField(source="case.status", read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "case",
            "case_number",
            "title",
            "case_status",
            "node",
            "type",
            "source",
            "risk",
            "people",
            "amount",
            "accepted_at",
            "mediation_due",
            "outcome",
            "ended_at",
            "number",
            "agreement_amount",
        ]
        read_only_fields = fields


class DisputeDetailSerializer(DisputeListSerializer):
    parties = DisputePartySerializer(many=True, read_only=True)
    mediators = DisputeMediatorSerializer(many=True, read_only=True)
    objections = DisputeObjectionSerializer(many=True, read_only=True)
    sessions = MediationSessionSerializer(many=True, read_only=True)

    class Meta(DisputeListSerializer.Meta):
        fields = DisputeListSerializer.Meta.fields + [
            "facts",
            "risk_reasons",
            "end_note",
            "routes_told",
            "disputed_points",
            "agreed_terms",
            "performance_method",
            "performance_by",
            "oral_record",
            "judicial_due",
            "judicial_applied_on",
            "performance_due",
            "performance",
            "satisfaction",
            "followed_up_at",
            "parties",
            "mediators",
            "objections",
            "sessions",
        ]
        read_only_fields = fields


class DisputeCreateSerializer(serializers.Serializer):
    node = ScopedRelatedField(queryset=Node.objects.all(), capability=Cap.MEDIATION_MEDIATE)
    type = serializers.ChoiceField(choices=DisputeType.choices)
    source = serializers.ChoiceField(choices=DisputeSource.choices)
    facts = serializers.CharField(max_length=4000)
    parties = DisputePartyInputSerializer(many=True)
    people = serializers.IntegerField(
        min_value=1, max_value=10000, required=False, allow_null=True, default=None
    )
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, default=0)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class MediatorRefSerializer(serializers.Serializer):
    user = serializers.IntegerField()


class ObjectionCreateSerializer(serializers.Serializer):
    party = serializers.IntegerField()
    mediator = serializers.IntegerField()
    reason = serializers.CharField(max_length=2000)


class ObjectionDecisionSerializer(serializers.Serializer):
    objection = serializers.IntegerField()
    uphold = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000)
    replacement = serializers.IntegerField(required=False, allow_null=True, default=None)


class MediationSessionCreateSerializer(serializers.Serializer):
    attendees = serializers.CharField(max_length=300)
    record = serializers.CharField(max_length=8000)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    held_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class WrittenAgreementSerializer(serializers.Serializer):
    disputed_points = serializers.CharField(max_length=4000)
    agreed_terms = serializers.CharField(max_length=4000)
    consents = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("同意协议的当事人 id（须为全部当事人）")
    )
    performance_method = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    performance_by = serializers.DateField(required=False, allow_null=True, default=None)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, default=0)


class OralAgreementSerializer(serializers.Serializer):
    record = serializers.CharField(max_length=4000)
    consents = serializers.ListField(child=serializers.IntegerField())
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, default=0)
    performance_by = serializers.DateField(required=False, allow_null=True, default=None)


class MediationFailSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    routes = serializers.ListField(child=serializers.ChoiceField(choices=OtherRoute.choices), min_length=1)


class MediationRefuseSerializer(serializers.Serializer):
    party = serializers.IntegerField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class JudicialApplicationSerializer(serializers.Serializer):
    applied_on = serializers.DateField()


class PerformanceVisitSerializer(serializers.Serializer):
    performance = serializers.ChoiceField(choices=Performance.choices)
    satisfaction = serializers.ChoiceField(
        choices=[("satisfied", "满意"), ("basic", "基本满意"), ("unsatisfied", "不满意")]
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PetitionSerializer(serializers.ModelSerializer):
    phone = MaskedCharField(mask_phone)
    id_number = MaskedCharField(mask_id_number)
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = Petition
        fields = [
            "id",
            "case",
            "case_number",
            "node",
            "visit",
            "stage",
            "previous",
            "form",
            "kind",
            "petitioner",
            "phone",
            "id_number",
            "people",
            "matter",
            "is_first",
            "repeats_final",
            "registered_at",
            "notice_due",
            "acceptance",
            "notice_text",
            "noticed_at",
            "handle_due",
            "extended",
            "extension_reason",
            "replied_at",
            "reply_number",
            "reply_text",
            "request_due",
            "final",
        ]
        read_only_fields = fields


class PetitionCreateSerializer(serializers.Serializer):
    form = serializers.ChoiceField(choices=PetitionForm.choices)
    kind = serializers.ChoiceField(choices=PetitionKind.choices, default="claim")
    node = ScopedRelatedField(queryset=Node.objects.all(), capability=Cap.PETITION_HANDLE)
    petitioner = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    people = serializers.IntegerField(min_value=1, max_value=10000, default=1)
    matter = serializers.CharField(max_length=4000)
    acknowledge_final = serializers.BooleanField(required=False, default=False)


class PetitionAcceptSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    notice_text = serializers.CharField(max_length=4000)


class MediationReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class PetitionReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=8000)


class ReferralSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "case_number",
            "direction",
            "partner",
            "partner_name",
            "reason",
            "consent",
            "status",
            "sent_by",
            "sent_at",
            "decided_at",
            "reject_reason",
            "revoke_reason",
            "done_at",
            "successful",
            "not_successful_reason",
            "outcome_note",
        ]
        read_only_fields = fields


class ReferralCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    direction = serializers.ChoiceField(choices=Direction.choices)
    partner = serializers.ChoiceField(choices=Partner.choices)
    partner_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=2000)
    consent = serializers.BooleanField(default=False)


class ReferralDoneSerializer(serializers.Serializer):
    successful = serializers.BooleanField()
    not_successful_reason = serializers.ChoiceField(
        choices=NotSuccessful.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ScreeningItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScreeningItem
        fields = [
            "id",
            "node",
            "week",
            "source",
            "type",
            "risk",
            "summary",
            "people",
            "dispute",
            "resolved_on_site",
        ]
        read_only_fields = fields


class WeeklyReportSerializer(serializers.ModelSerializer):
    items = ScreeningItemSerializer(many=True, read_only=True)

    class Meta:
        model = WeeklyReport
        fields = ["id", "node", "week", "is_zero", "note", "submitted_by", "submitted_at", "items"]
        read_only_fields = fields


class ScreeningItemInputSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=300)
    type = serializers.ChoiceField(choices=DisputeType.choices)
    risk = serializers.ChoiceField(choices=RiskGrade.choices, default="low")
    people = serializers.IntegerField(min_value=1, max_value=10000, default=2)


class WeeklyCreateSerializer(serializers.Serializer):
    node = ScopedRelatedField(queryset=Node.objects.all(), capability=Cap.MEDIATION_REPORT)
    week = serializers.DateField()
    zero = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    items = ScreeningItemInputSerializer(many=True, required=False, default=list)


class WeeklyMissingSerializer(serializers.Serializer):
    week = serializers.DateField()
    missing = serializers.ListField(child=serializers.DictField())


class MediationMetricSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
