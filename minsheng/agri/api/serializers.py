"""Serializers of /api/v1/agri/. Input serializers only shape and check; the views hand the values to agri.actions."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minsheng.accounts.api.base import ScopedRelatedField
from minsheng.org.models import Node

from ..choices import RapidMethod, SampleLevel, SampleStatus
from ..models import Commodity, LabResult, Pesticide, Producer, RapidTest, Sample


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


class FieldRecordInputSerializer(ReadingInputSerializer):
    """A sample and its first reading, as the field page records them."""

    commodity = serializers.CharField(max_length=50, help_text="品种名称或别名，如 豆角")
    village = ScopedRelatedField(queryset=Node.objects.all())
    producer = ScopedRelatedField(queryset=Producer.objects.all(), required=False, allow_null=True)
    stall = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    certificate_shown = serializers.BooleanField(default=False)
    level = PlainChoiceField(SampleLevel.choices, default=SampleLevel.STREET)

    def validate_commodity(self, value):
        commodity = Commodity.objects.resolve(value)
        if commodity is None:
            raise serializers.ValidationError(_("未知的品种"))
        return commodity
