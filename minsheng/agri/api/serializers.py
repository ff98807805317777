"""Serializers of /api/v1/agri/. Input serializers only shape and check; the views hand the values to agri.actions."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minsheng.accounts.api.base import ScopedRelatedField
from minsheng.core.masking import mask_phone
from minsheng.org.models import Node

from ..choices import CheckResult, ProducerKind, RapidMethod, SampleLevel, SampleStatus
from ..models import (
    AgriInputStore,
    Commodity,
    InspectionItem,
    InspectionPhoto,
    LabResult,
    Pesticide,
    Producer,
    RapidTest,
    Sample,
    StoreInspection,
)


@extend_schema_field(OpenApiTypes.STR)
class PlainChoiceField(serializers.ChoiceField):
    """A choice documented as a plain string with its values in the help text: other apps' fields named `level`
    and `status` carry other choice sets, and one shared enum name for both would mislead."""

    def __init__(self, choices, **kwargs):
        values = "; ".join(f"{value} = {label}" for value, label in choices)
        kwargs.setdefault("help_text", values)
        super().__init__(choices, **kwargs)


class CommoditySerializer(serializers.ModelSerializer):
    path = serializers.CharField(source="path_label", read_only=True)
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Commodity
        fields = ["id", "name", "path", "aliases"]


class RapidTestSerializer(serializers.ModelSerializer):
    pesticide = serializers.StringRelatedField()
    tester = serializers.StringRelatedField()

    class Meta:
        model = RapidTest
        fields = [
            "repeat_index",
            "method",
            "delta_a0",
            "delta_at",
            "inhibition",
            "pesticide",
            "result",
            "false_positive_warning",
            "tester",
            "tested_at",
        ]


class LabResultSerializer(serializers.ModelSerializer):
    pesticide = serializers.StringRelatedField()
    standard = serializers.CharField(source="limit.standard.code", default=None, read_only=True)
    ban = serializers.CharField(source="rule.announcement", default=None, read_only=True)

    class Meta:
        model = LabResult
        fields = ["pesticide", "mg_per_kg", "limit_value", "standard", "ban", "verdict"]


class SampleSerializer(serializers.ModelSerializer):
    commodity = serializers.CharField(source="commodity.name", read_only=True)
    village = serializers.PrimaryKeyRelatedField(read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    producer_name = serializers.CharField(source="producer.name", default=None, read_only=True)
    sampler = serializers.StringRelatedField()
    level = PlainChoiceField(SampleLevel.choices, read_only=True)
    status = PlainChoiceField(SampleStatus.choices, read_only=True)

    class Meta:
        model = Sample
        fields = [
            "id",
            "commodity",
            "village",
            "village_name",
            "producer",
            "producer_name",
            "stall",
            "sampler",
            "sampled_at",
            "level",
            "certificate_shown",
            "status",
            "case",
            "follow_up_of",
            "task",
        ]


class SampleDetailSerializer(SampleSerializer):
    rapid_tests = RapidTestSerializer(many=True, read_only=True)
    lab_results = LabResultSerializer(many=True, read_only=True)

    class Meta(SampleSerializer.Meta):
        fields = [*SampleSerializer.Meta.fields, "rapid_tests", "lab_results"]


class ReadingInputSerializer(serializers.Serializer):
    """One rapid-test reading: ΔA0/ΔAt for the enzyme method, pesticide and positive for a gold card."""

    method = serializers.ChoiceField(choices=RapidMethod.choices, default=RapidMethod.ENZYME)
    delta_a0 = serializers.DecimalField(max_digits=8, decimal_places=4, required=False)
    delta_at = serializers.DecimalField(max_digits=8, decimal_places=4, required=False)
    pesticide = serializers.SlugRelatedField(
        slug_field="name", queryset=Pesticide.objects.all(), required=False, allow_null=True
    )
    positive = serializers.BooleanField(required=False, allow_null=True, default=None)
    card_invalid = serializers.BooleanField(
        required=False,
        default=False,
        help_text="胶体金试纸卡无效（C线不显色）：不计结果，返回400提示换卡重测",
    )


class FieldRecordInputSerializer(ReadingInputSerializer):
    """A sample and its first reading, as the field page records them."""

    commodity = serializers.CharField(max_length=50, help_text="品种名称或别名，如 豆角")
    village = ScopedRelatedField(queryset=Node.objects.all(), capability="agri.view")
    producer = ScopedRelatedField(
        queryset=Producer.objects.all(), capability="agri.view", required=False, allow_null=True
    )
    follow_up_of = ScopedRelatedField(
        queryset=Sample.objects.all(),
        capability="agri.view",
        required=False,
        allow_null=True,
        help_text="跟踪复抽：原不合格样品的id",
    )
    stall = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    certificate_shown = serializers.BooleanField(default=False)
    level = PlainChoiceField(SampleLevel.choices, default=SampleLevel.STREET)
    task = serializers.IntegerField(
        required=False, allow_null=True, help_text="计入的抽检任务id（可选；须正在进行且级别、村、品种相符）"
    )

    def validate_task(self, value):
        if value is None:
            return None
        from ..queries import visible_tasks

        task = visible_tasks(self.context["request"].user).filter(pk=value).select_related("node").first()
        if task is None:
            raise serializers.ValidationError(_("抽检任务不存在"))
        return task

    def validate_commodity(self, value):
        commodity = Commodity.objects.resolve(value)
        if commodity is None:
            raise serializers.ValidationError(_("未知的品种"))
        return commodity


# -- registries, inspections, lab results --------------------------------------------------------------------


class ProducerSerializer(serializers.ModelSerializer):
    """A producer; the phone is masked (it is personal data of a grower) and only written, never read in full."""

    village = ScopedRelatedField(queryset=Node.objects.all(), capability="agri.view")
    village_name = serializers.CharField(source="village.name", read_only=True)
    kind = PlainChoiceField(ProducerKind.choices)
    crops = serializers.SlugRelatedField(
        many=True, slug_field="name", queryset=Commodity.objects.all(), required=False
    )
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, write_only=True)
    phone_masked = serializers.SerializerMethodField()

    class Meta:
        model = Producer
        fields = [
            "id",
            "name",
            "kind",
            "village",
            "village_name",
            "credit_code",
            "subject_code",
            "crops",
            "area_mu",
            "contact_name",
            "phone",
            "phone_masked",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone_masked(self, obj) -> str:
        return mask_phone(obj.phone)


class ProducerDetailSerializer(ProducerSerializer):
    """The producer page's content: samples with their verdicts, failed ones with their case and follow-ups."""

    samples = serializers.SerializerMethodField()
    certificates = serializers.SerializerMethodField()

    class Meta(ProducerSerializer.Meta):
        fields = [*ProducerSerializer.Meta.fields, "samples", "certificates"]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "commodity": {"type": "string"},
                    "sampled_at": {"type": "string", "format": "date-time"},
                    "status": {"type": "string"},
                    "case": {"type": "integer", "nullable": True},
                    "follow_up_of": {"type": "integer", "nullable": True},
                    "follow_ups": {"type": "array", "items": {"type": "integer"}},
                },
            },
        }
    )
    def get_samples(self, obj):
        return [
            {
                "id": s.pk,
                "commodity": s.commodity.name,
                "sampled_at": s.sampled_at,
                "status": s.status,
                "case": s.case_id,
                "follow_up_of": s.follow_up_of_id,
                "follow_ups": [f.pk for f in s.follow_ups.all()],
            }
            for s in self.context["samples"]
        ]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "number": {"type": "string"},
                    "issued_on": {"type": "string", "format": "date"},
                    "status": {"type": "string"},
                },
            },
        }
    )
    def get_certificates(self, obj):
        return [
            {"id": c.pk, "number": c.number, "issued_on": c.issued_on, "status": c.status}
            for c in self.context["certificates"]
        ]


class StoreSerializer(serializers.ModelSerializer):
    village = ScopedRelatedField(queryset=Node.objects.all(), capability="agri.view")
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = AgriInputStore
        fields = ["id", "name", "village", "village_name", "licence_no", "designated_outlet", "address"]


class InspectionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionItem
        fields = ["code", "result", "note"]


class InspectionPhotoSerializer(serializers.ModelSerializer):
    """`url` is the scoped page that serves the photo: media files are never served publicly."""

    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return reverse("agri:inspection_photo", args=[obj.pk])

    class Meta:
        model = InspectionPhoto
        fields = ["code", "name", "content_type", "size", "url"]


class InspectionSerializer(serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)
    inspector = serializers.StringRelatedField()
    items = InspectionItemSerializer(many=True, read_only=True)
    photos = InspectionPhotoSerializer(many=True, read_only=True)
    case_number = serializers.CharField(source="case.number", default=None, read_only=True)
    case_due = serializers.DateTimeField(source="case.finish_due", default=None, read_only=True)

    class Meta:
        model = StoreInspection
        fields = [
            "id",
            "store",
            "store_name",
            "month",
            "inspector",
            "inspected_at",
            "recheck_of",
            "note",
            "case",
            "case_number",
            "case_due",
            "items",
            "photos",
        ]


class InspectionInputSerializer(serializers.Serializer):
    """A checklist: `answers` maps each item code to yes/no/na, `notes` explains each "no". Photos go as
    multipart files named `photo_<code>` (or `photos` for the visit as a whole)."""

    store = ScopedRelatedField(queryset=AgriInputStore.objects.all(), capability="agri.view")
    answers = serializers.DictField(child=serializers.ChoiceField(choices=CheckResult.choices))
    notes = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True), required=False
    )
    recheck_of = ScopedRelatedField(
        queryset=StoreInspection.objects.all(), capability="agri.view", required=False, allow_null=True
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class LabRowSerializer(serializers.Serializer):
    pesticide = serializers.SlugRelatedField(slug_field="name", queryset=Pesticide.objects.all())
    mg_per_kg = serializers.DecimalField(max_digits=10, decimal_places=4, min_value=0)


class LabInputSerializer(serializers.Serializer):
    results = LabRowSerializer(many=True, allow_empty=False)
