"""Serializers of /api/v1/cluster/: read shapes (growers' phones masked unless the caller may see them) and input
shapes the views hand to the actions — no serializer saves a model itself."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from minsheng.accounts.api.base import ScopedRelatedField
from minsheng.core.masking import mask_phone

from ..choices import Channel, Grade, Platform
from ..models import Agreement, Grower, Harvest, Orchard, Sale, StreamSession, Technique, Training


class CherryGrowerSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = Grower
        fields = ["id", "name", "phone", "village", "village_name", "resident"]

    def get_phone(self, obj: Grower) -> str:
        return obj.phone if self.context.get("unmasked") else mask_phone(obj.phone)


class CherryOrchardSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    grower_name = serializers.CharField(source="grower.name", read_only=True)

    class Meta:
        model = Orchard
        fields = [
            "id",
            "name",
            "grower",
            "grower_name",
            "village",
            "village_name",
            "kind",
            "area_mu",
            "variety",
            "planted_year",
            "iot_greenhouse_id",
        ]


class CherryHarvestSerializer(serializers.ModelSerializer):
    class Meta:
        model = Harvest
        fields = ["id", "orchard", "season", "harvested_on", "yield_kg", "grade"]


class CherryHarvestInputSerializer(serializers.Serializer):
    orchard = ScopedRelatedField(capability="cluster.record", queryset=Orchard.objects.all())
    harvested_on = serializers.DateField()
    yield_kg = serializers.DecimalField(max_digits=12, decimal_places=1, min_value=Decimal("0.1"))
    grade = serializers.ChoiceField(choices=Grade.choices)


class CherrySaleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sale
        fields = [
            "id",
            "harvest",
            "channel",
            "platform",
            "volume_kg",
            "price",
            "amount",
            "sold_on",
            "seller",
            "buyer",
        ]


class CherrySaleInputSerializer(serializers.Serializer):
    harvest = ScopedRelatedField(capability="cluster.record", queryset=Harvest.objects.all())
    channel = serializers.ChoiceField(choices=Channel.choices)
    platform = serializers.ChoiceField(choices=Platform.choices, required=False, allow_blank=True, default="")
    volume_kg = serializers.DecimalField(max_digits=12, decimal_places=1, min_value=Decimal("0.1"))
    price = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0.01"))
    sold_on = serializers.DateField()
    buyer = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class CherryTechniqueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Technique
        fields = ["id", "code", "name", "kind", "institution", "introduced_year", "by_data"]


class CherryTrainingSerializer(serializers.ModelSerializer):
    start = serializers.DateTimeField(source="event.start", read_only=True)
    checkins = serializers.IntegerField(read_only=True, help_text=_("签到人次（活动引擎）"))
    registered = serializers.IntegerField(read_only=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "title",
            "kind",
            "event",
            "village",
            "technique",
            "institution",
            "expert",
            "centre",
            "package",
            "start",
            "registered",
            "checkins",
        ]


class CherrySessionSerializer(serializers.ModelSerializer):
    seller_name = serializers.CharField(source="seller.name", read_only=True)

    class Meta:
        model = StreamSession
        fields = [
            "id",
            "seller",
            "seller_name",
            "platform",
            "held_on",
            "products",
            "orders",
            "sales_yuan",
            "centre",
            "package",
        ]


class CherrySessionInputSerializer(serializers.Serializer):
    seller = ScopedRelatedField(capability="cluster.record", queryset=Grower.objects.all())
    platform = serializers.ChoiceField(choices=Platform.choices)
    held_on = serializers.DateField()
    products = serializers.CharField(max_length=200)
    orders = serializers.IntegerField(min_value=0, max_value=10_000_000)
    sales_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0"))


class CherryAgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = [
            "id",
            "enterprise_id",
            "enterprise_name",
            "kind",
            "organisation",
            "grower",
            "village",
            "subject",
            "volume_kg",
            "amount_yuan",
            "signed_on",
        ]


class CherryFigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text=_("比率为百分数（保留一位小数），金额单位万元"))


class CherryFigureQuery(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs: dict) -> dict:
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": _("结束日期不能早于开始日期")})
        return attrs
