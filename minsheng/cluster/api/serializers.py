"""Serializers of /api/v1/cluster/: read shapes (growers' phones masked unless the caller may see them) and input
shapes the views hand to the actions — no serializer saves a model itself."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from minsheng.accounts.api.base import ScopedRelatedField
from minsheng.activities.models import Venue
from minsheng.core.masking import mask_phone
from minsheng.org.models import Node

from ..choices import AgreementKind, Channel, Grade, OrgKind, Package, Platform
from ..models import (
    Agreement,
    Centre,
    Grower,
    Harvest,
    Orchard,
    Organisation,
    Sale,
    StreamSession,
    Technique,
    Training,
)

RECORD = "cluster.record"


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
            "lat",
            "lng",
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
    seller = ScopedRelatedField(
        capability="cluster.view",
        queryset=Grower.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("带货达人（有直播记录的种植户）"),
    )


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


class CherryAgreementInputSerializer(serializers.Serializer):
    """带动 agreement: a 龙头企业 (id in the enterprise registry) with one cooperative/family farm or one grower."""

    enterprise = serializers.IntegerField(
        help_text=_("企业名录中带“龙头企业”标签的企业编号（见 leading-enterprises/）")
    )
    kind = serializers.ChoiceField(choices=AgreementKind.choices)
    organisation = ScopedRelatedField(
        capability=RECORD, queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    grower = ScopedRelatedField(
        capability=RECORD, queryset=Grower.objects.all(), required=False, allow_null=True, default=None
    )
    subject = serializers.CharField(max_length=200, help_text=_("收购什么、提供什么服务"))
    volume_kg = serializers.DecimalField(
        max_digits=12,
        decimal_places=1,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("收购协议必填"),
    )
    amount_yuan = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    signed_on = serializers.DateField()


class CherryLeadingEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CherryOrganisationSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    members = serializers.SerializerMethodField(help_text=_("成员种植户编号（调用者可见的）"))
    member_count = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["id", "kind", "name", "village", "village_name", "leader", "members", "member_count"]

    def get_members(self, obj: Organisation) -> list[int]:
        visible = self.context.get("visible_growers")
        return [g.pk for g in obj.members.all() if visible is None or g.pk in visible]

    def get_member_count(self, obj: Organisation) -> int:
        return len(obj.members.all())


class CherryOrganisationInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    name = serializers.CharField(max_length=100)
    village = ScopedRelatedField(capability=RECORD, queryset=Node.objects.all())
    leader = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    members = ScopedRelatedField(
        capability=RECORD, queryset=Grower.objects.all(), many=True, required=False, default=list
    )


class CherryOrganisationPatchSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrgKind.choices, required=False)
    name = serializers.CharField(max_length=100, required=False)
    village = ScopedRelatedField(capability=RECORD, queryset=Node.objects.all(), required=False)
    leader = serializers.CharField(max_length=50, required=False, allow_blank=True)


class CherryMembersInputSerializer(serializers.Serializer):
    growers = ScopedRelatedField(
        capability=RECORD, queryset=Grower.objects.all(), many=True, allow_empty=False
    )


class CherryCentreSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    packages = serializers.ListField(child=serializers.ChoiceField(choices=Package.choices), read_only=True)

    class Meta:
        model = Centre
        fields = ["id", "name", "village", "village_name", "venue", "venue_name", "packages"]


class CherryCentreInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    village = ScopedRelatedField(capability=RECORD, queryset=Node.objects.all())
    venue = ScopedRelatedField(
        capability=RECORD,
        queryset=Venue.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("活动场地编号；不填则以中心名称在该村新建场地"),
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    packages = serializers.ListField(
        child=serializers.CharField(max_length=20), help_text=_("warehouse/village/cloud")
    )


class CherryCentrePatchSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    venue = ScopedRelatedField(
        capability=RECORD, queryset=Venue.objects.filter(is_active=True), required=False, allow_null=True
    )
    packages = serializers.ListField(child=serializers.CharField(max_length=20), required=False)


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
