from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minsheng.accounts.api.base import ScopedRelatedField
from minsheng.accounts.choices import Cap
from minsheng.core.api_fields import PrototypeFieldsMixin
from minsheng.core.masking import mask_phone
from minsheng.org.models import Node

from .. import deadlines, sources, workflow
from ..choices import Channel, DeadlineState, RequestKind, Satisfaction, Status, Urgency
from ..models import ApprovalRequest, Case, CaseAttachment, CaseEvent, CaseKind, Category, FollowUp, Unit


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["id", "code", "name", "depth", "parent", "is_active"]

    def get_parent(self, obj) -> str | None:
        return obj.code[:-2] if obj.depth > 1 else None


class KindSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseKind
        fields = ["id", "code", "name", "requires_follow_up", "reopen_days"]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "node", "leader", "is_active"]


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.FileField(source="file", read_only=True)

    class Meta:
        model = CaseAttachment
        fields = ["id", "name", "content_type", "size", "url"]


class CaseListSerializer(PrototypeFieldsMixin, serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    kind = serializers.CharField(source="kind.code", read_only=True)
    node_name = serializers.CharField(source="node.full_name", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True, default=None)
    deadline_state = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "title",
            "kind",
            "channel",
            "category",
            "category_name",
            "urgency",
            "status",
            "status_label",
            "node",
            "node_name",
            "grid",
            "lead_unit",
            "lead_unit_name",
            "handler",
            "reported_at",
            "finish_due",
            "deadline_state",
            "is_key",
            "is_supervised",
        ]

    def get_deadline_state(self, obj) -> str:
        return deadlines.state_of(obj, self.context["now"])


class SourceSerializer(serializers.Serializer):
    """What opened the case in another domain (an alarm, a failed sample …), named and linked (cases.sources)."""

    type = serializers.CharField(help_text="app_label.model")
    id = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField(allow_null=True)


class DeadlineSerializer(serializers.Serializer):
    clock = serializers.CharField()
    label = serializers.CharField()
    due = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=DeadlineState.choices)


class CaseDetailSerializer(CaseListSerializer):
    reporter_phone = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()
    merged_into = serializers.CharField(source="merged_into.number", read_only=True, default=None)
    source = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "description",
            "address",
            "lat",
            "lng",
            "reporter_name",
            "reporter_phone",
            "anonymous",
            "first_receiver",
            "key_leader",
            "key_plan",
            "accepted_at",
            "dispatched_at",
            "signed_at",
            "replied_at",
            "resolved_at",
            "archived_at",
            "accept_due",
            "sign_due",
            "deadlines",
            "source",
            "resolved_on_time",
            "return_count",
            "rework_count",
            "redo_count",
            "extension_count",
            "reopen_count",
            "satisfaction",
            "merged_into",
            "attachments",
            "actions",
        ]

    def get_reporter_phone(self, obj) -> str:
        return obj.reporter_phone if self.context.get("unmasked") else mask_phone(obj.reporter_phone)

    @extend_schema_field(SourceSerializer(allow_null=True))
    def get_source(self, obj):
        ref = sources.describe(obj)
        return None if ref is None else SourceSerializer(ref).data

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, obj):
        return [
            {"clock": r.clock.name, "label": str(r.clock.label), "due": r.due, "state": r.state}
            for r in deadlines.running(obj, self.context["now"])
        ]

    def get_actions(self, obj) -> list[str]:
        return workflow.available(obj, self.context["request"].user)


class ActiveCategoryField(serializers.PrimaryKeyRelatedField):
    """An active category by id, read from the cached category table instead of a query per request; same
    answers as a `PrimaryKeyRelatedField` on `Category.objects.filter(is_active=True)`."""

    def to_internal_value(self, data):
        try:
            if isinstance(data, bool):
                raise TypeError
            # the conversion the ORM applies to a pk lookup (so "7" is 7 and "x" an incorrect type)
            return Category.active_by_pk(Category._meta.pk.get_prep_value(data))
        except Category.DoesNotExist:
            self.fail("does_not_exist", pk_value=data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)


class CaseCreateSerializer(PrototypeFieldsMixin, serializers.Serializer):
    kind = serializers.SlugRelatedField(
        slug_field="code", queryset=CaseKind.objects.filter(is_active=True), default=None
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    category = ActiveCategoryField(queryset=Category.objects.filter(is_active=True))
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    description = serializers.CharField(max_length=4000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    node = ScopedRelatedField(capability=Cap.ORG_VIEW, queryset=Node.objects.all(), required=False)
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, min_value=-180, max_value=180)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reporter_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    reporter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    anonymous = serializers.BooleanField(default=False)
    files = serializers.ListField(child=serializers.FileField(), required=False, max_length=9)


class EventSerializer(serializers.ModelSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "created_at",
            "verb",
            "actor_name",
            "from_status",
            "to_status",
            "note",
            "extra",
            "attachments",
        ]


# -- action payloads ---------------------------------------------------------------------------------


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class MergeSerializer(NoteSerializer):
    into = serializers.CharField(help_text=_("并入案件的编号或 id"))


class DispatchSerializer(NoteSerializer):
    expected_status = serializers.ChoiceField(
        choices=[Status.ACCEPTED, Status.RETURNED, Status.DISPATCHED],
        required=False,
        help_text=_(
            "发出派遣时看到的案件状态；状态已变则 409。省略即首次派遣（已受理或已退单）；改派须填 dispatched。"
        ),
    )
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True), required=False)
    handler = serializers.IntegerField(required=False)
    co_units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(is_active=True), many=True, required=False
    )


class RequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    reason = serializers.CharField()
    days = serializers.IntegerField(required=False, min_value=1, max_value=60)


class DecideSerializer(NoteSerializer):
    approve = serializers.BooleanField()


class ReplySerializer(serializers.Serializer):
    note = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), required=False, max_length=9)


class VerifySerializer(NoteSerializer):
    passed = serializers.BooleanField()
    files = serializers.ListField(child=serializers.FileField(), required=False, max_length=9)


class FollowUpSerializer(serializers.Serializer):
    reachable = serializers.BooleanField(default=True)
    resolved = serializers.BooleanField(required=False, allow_null=True, default=None)
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, required=False, allow_blank=True, default=""
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SuperviseSerializer(serializers.Serializer):
    comment = serializers.CharField()


class KeySerializer(serializers.Serializer):
    leader = serializers.IntegerField()
    plan = serializers.CharField()


class RecategorizeSerializer(NoteSerializer):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))


class ApprovalRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "case",
            "kind",
            "status",
            "days",
            "reason",
            "requested_by",
            "decided_by",
            "decided_at",
            "decision_note",
        ]


class FollowUpRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "created_at", "by", "by_reporter", "reachable", "resolved", "satisfaction", "comment"]
