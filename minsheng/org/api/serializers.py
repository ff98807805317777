"""The shapes of the organisation registries in the API.

One serializer per model serves both directions. Its `create()` and `update()` call org.actions, so permission
checks at the node, derived fields and the audit trail are the same as in the UI and the importer; a model is never
saved by a serializer directly. Personal fields are masked on the way out unless the view asked for an audited
unmasked read (`context["unmasked"]`).
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject

from minsheng.accounts.api.base import ScopedRelatedField
from minsheng.core.masking import mask_value

from .. import actions
from ..choices import AssignmentKind
from ..models import (
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


def _active_users():
    return get_user_model().objects.filter(is_active=True)


class ActionSerializer(serializers.ModelSerializer):
    serializer_related_field = ScopedRelatedField

    #: Set when the row is created and fixed afterwards: a PATCH naming them is a 400, not a silent no-op.
    fixed_fields: tuple[str, ...] = ()
    #: Personal data, masked unless the view unlocked it for this (audited) read.
    masked_fields: tuple[str, ...] = ()

    @property
    def actor(self):
        return self.context["request"].user

    def get_validators(self):
        # Uniqueness across rows is the actions' business (full_clean there gives the messages in Chinese).
        return []

    def validate(self, attrs):
        if self.instance is not None:
            fixed = {name: _("创建后不能修改") for name in self.fixed_fields if name in attrs}
            if fixed:
                raise serializers.ValidationError(fixed)
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("unmasked"):
            for name in self.masked_fields:
                if name in data:
                    data[name] = mask_value(name, data[name])
        return data


class ParentField(ScopedRelatedField):
    """The parent in a treebeard tree, read from the `parent_pk` annotation the views add (no query per row)."""

    def get_attribute(self, instance):
        if hasattr(instance, "parent_pk"):
            return PKOnlyObject(pk=instance.parent_pk)
        parent = type(instance).objects.get_parent(instance)
        return PKOnlyObject(pk=parent.pk if parent else None)


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ResponsibleSerializer(serializers.Serializer):
    user = UserRefSerializer(allow_null=True)
    node = serializers.IntegerField()
    node_name = serializers.CharField()
    fallback = serializers.BooleanField(help_text=_("无人负责时由所属社区/村兜底"))


# -- administrative tree ---------------------------------------------------------------------------


class NodeSerializer(ActionSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = ParentField(
        queryset=Node.objects.all(),
        allow_null=True,
        help_text=_("上级节点；创建后不能修改；空为顶层街道/乡镇（仅系统管理员可建）"),
    )

    fixed_fields = ("kind", "parent")

    class Meta:
        model = Node
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "code",
            "full_name",
            "depth",
            "parent",
            "numchild",
            "geometry",
            "lat",
            "lng",
        ]
        read_only_fields = ["full_name", "depth", "numchild", "lat", "lng"]

    def create(self, validated_data):
        return actions.create_node(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return actions.update_node(instance, actor=self.actor, **validated_data)


# -- grids -----------------------------------------------------------------------------------------


class GridSerializer(ActionSerializer):
    code = serializers.CharField(
        max_length=20, required=False, help_text=_("留空则按社区区划代码自动生成；创建后不能修改")
    )
    community_name = serializers.CharField(source="community.name", read_only=True)
    worker = ScopedRelatedField(queryset=_active_users(), allow_null=True, required=False)
    worker_name = serializers.SerializerMethodField()
    deputies = ScopedRelatedField(queryset=_active_users(), many=True, required=False)
    responsible = serializers.SerializerMethodField()

    fixed_fields = ("community", "code")

    class Meta:
        model = Grid
        fields = [
            "id",
            "code",
            "name",
            "community",
            "community_name",
            "boundary",
            "worker",
            "worker_name",
            "deputies",
            "nodes",
            "responsible",
        ]

    def get_worker_name(self, grid) -> str:
        return str(grid.worker) if grid.worker_id else ""

    @extend_schema_field(ResponsibleSerializer)
    def get_responsible(self, grid):
        user, node = grid.responsible()
        return {
            "user": {"id": user.pk, "name": str(user)} if user else None,
            "node": node.pk,
            "node_name": node.name,
            "fallback": user is None,
        }

    def create(self, validated_data):
        return actions.create_grid(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return actions.update_grid(instance, actor=self.actor, **validated_data)


class LocateQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(
        min_value=-90,
        max_value=90,
        help_text=_("纬度（WGS84）"),
        error_messages={
            "required": _("请提供纬度 lat"),
            "invalid": _("纬度 lat 必须是数字"),
            "min_value": _("纬度 lat 应在 -90 到 90 之间"),
            "max_value": _("纬度 lat 应在 -90 到 90 之间"),
        },
    )
    lng = serializers.FloatField(
        min_value=-180,
        max_value=180,
        help_text=_("经度（WGS84）"),
        error_messages={
            "required": _("请提供经度 lng"),
            "invalid": _("经度 lng 必须是数字"),
            "min_value": _("经度 lng 应在 -180 到 180 之间"),
            "max_value": _("经度 lng 应在 -180 到 180 之间"),
        },
    )


# -- party organisations ---------------------------------------------------------------------------


class PartyOrgSerializer(ActionSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    node_name = serializers.CharField(source="node.full_name", read_only=True)
    parent = ParentField(queryset=PartyOrg.objects.all(), allow_null=True, help_text=_("上级党组织"))

    class Meta:
        model = PartyOrg
        fields = ["id", "kind", "kind_label", "name", "node", "node_name", "parent", "depth"]
        read_only_fields = ["depth"]

    def create(self, validated_data):
        return actions.create_party_org(actor=self.actor, **validated_data)


class PartyMemberSerializer(ActionSerializer):
    party_org_name = serializers.CharField(source="party_org.name", read_only=True)
    post_label = serializers.CharField(source="get_post_display", read_only=True)
    user = ScopedRelatedField(queryset=_active_users(), allow_null=True, required=False)
    households = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    masked_fields = ("phone",)

    class Meta:
        model = PartyMember
        fields = [
            "id",
            "name",
            "phone",
            "party_org",
            "party_org_name",
            "post",
            "post_label",
            "led_node",
            "resident",
            "user",
            "joined_on",
            "households",
        ]

    def create(self, validated_data):
        return actions.add_party_member(actor=self.actor, **validated_data)


class HouseholdLinkSerializer(serializers.Serializer):
    households = ScopedRelatedField(
        queryset=Household.objects.all(), many=True, help_text=_("联系户（全量替换）")
    )


# -- responsibility --------------------------------------------------------------------------------


class AssignmentSerializer(ActionSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    node_name = serializers.CharField(source="node.full_name", read_only=True)
    user = ScopedRelatedField(queryset=_active_users(), allow_null=True, required=False)
    person_name = serializers.SerializerMethodField()
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "kind",
            "kind_label",
            "node",
            "node_name",
            "user",
            "party_member",
            "person_name",
            "valid_from",
            "valid_to",
            "is_current",
            "note",
        ]

    def get_person_name(self, assignment) -> str:
        return str(assignment.user or assignment.party_member.name)

    def get_is_current(self, assignment) -> bool:
        today = timezone.localdate()
        started = assignment.valid_from is None or assignment.valid_from <= today
        return started and (assignment.valid_to is None or assignment.valid_to >= today)

    def create(self, validated_data):
        return actions.assign_responsibility(actor=self.actor, **validated_data)


class EndSerializer(serializers.Serializer):
    on = serializers.DateField(help_text=_("截止日期（含当天）"))


class ResponsibleQuerySerializer(serializers.Serializer):
    node = ScopedRelatedField(queryset=Node.objects.all(), help_text=_("要查询的节点"))
    kind = serializers.ChoiceField(choices=AssignmentKind.choices, required=False, help_text=_("包联类型"))


# -- property --------------------------------------------------------------------------------------


class PropertyCompanySerializer(ActionSerializer):
    masked_fields = ("phone",)  # the contact person's own mobile, as often as not (docs/api.md)

    class Meta:
        model = PropertyCompany
        fields = ["id", "name", "credit_code", "contact", "phone", "is_street_led"]

    def create(self, validated_data):
        return actions.create_property_company(actor=self.actor, **validated_data)


class EstatePropertySerializer(ActionSerializer):
    node_name = serializers.CharField(source="node.full_name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    company_name = serializers.SerializerMethodField()

    fixed_fields = ("node",)
    masked_fields = ("committee_phone",)

    class Meta:
        model = EstateProperty
        fields = [
            "id",
            "node",
            "node_name",
            "status",
            "status_label",
            "company",
            "company_name",
            "is_red_property",
            "contract_start",
            "contract_end",
            "has_owners_committee",
            "committee_established",
            "committee_chair",
            "committee_phone",
        ]

    def get_company_name(self, profile) -> str:
        return profile.company.name if profile.company_id else ""

    def create(self, validated_data):
        return actions.set_estate_property(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        status = validated_data.pop("status", instance.status)
        company = validated_data.pop("company", instance.company)
        return actions.set_estate_property(
            instance.node, status=status, company=company, actor=self.actor, **validated_data
        )


# -- households and residents ---------------------------------------------------------------------


class HouseholdSerializer(ActionSerializer):
    node_name = serializers.CharField(source="node.full_name", read_only=True)
    member_count = serializers.SerializerMethodField()

    masked_fields = ("room", "address")

    class Meta:
        model = Household
        fields = ["id", "node", "node_name", "room", "head_name", "address", "note", "member_count"]

    def get_member_count(self, household) -> int:
        return getattr(household, "member_count", 0)

    def create(self, validated_data):
        return actions.register_household(actor=self.actor, **validated_data)


class ResidentTagSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResidentTag
        fields = ["id", "code", "name"]


class ResidentSerializer(ActionSerializer):
    gender_label = serializers.CharField(source="get_gender_display", read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)
    node_name = serializers.CharField(source="node.full_name", read_only=True)
    address = serializers.CharField(read_only=True)
    tags = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ResidentTag.objects.all(),
        many=True,
        required=False,
        help_text=_("标签代码"),
    )
    tag_names = serializers.SerializerMethodField()

    masked_fields = ("phone", "id_number", "address")

    class Meta:
        model = Resident
        fields = [
            "id",
            "name",
            "gender",
            "gender_label",
            "birth_date",
            "age",
            "phone",
            "id_number",
            "node",
            "node_name",
            "household",
            "relation",
            "address",
            "tags",
            "tag_names",
            "note",
        ]

    def get_tag_names(self, resident) -> list[str]:
        return [tag.name for tag in resident.tags.all()]

    def create(self, validated_data):
        tags = [tag.code for tag in validated_data.pop("tags", [])]
        return actions.register_resident(actor=self.actor, tags=tags, **validated_data)

    def update(self, instance, validated_data):
        tags = validated_data.pop("tags", None)
        if tags is not None:
            tags = [tag.code for tag in tags]
        return actions.update_resident(instance, actor=self.actor, tags=tags, **validated_data)
