"""Serializers of /api/v1/activities/. Input serializers only shape and check; the views hand the values to the
actions. Phones and ID numbers are masked: the API never hands out personal data in lists."""

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minsheng.accounts.api.base import ScopedRelatedField
from minsheng.accounts.choices import Cap
from minsheng.core.masking import mask_id_number, mask_phone
from minsheng.org.models import Grid, Node

from ..choices import CheckInMethod, IdType, OrganiserKind, ProjectStatus, TeamKind, UnitKind
from ..models import (
    CheckIn,
    DualMember,
    DualUnit,
    Evaluation,
    Event,
    EventKind,
    Exchange,
    MarketItem,
    NeedItem,
    Project,
    Registration,
    ResourceItem,
    ServiceRecord,
    Shift,
    ShiftSignup,
    Team,
    Venue,
    Volunteer,
)


@extend_schema_field(OpenApiTypes.STR)
class PlainChoiceField(serializers.ChoiceField):
    """A choice documented as a plain string with its values in the help text (field names like `status` carry
    different choice sets in every app; one shared enum name would mislead)."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("help_text", "; ".join(f"{value} = {label}" for value, label in choices))
        super().__init__(choices, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class MaskedPhone(serializers.CharField):
    def to_representation(self, value):
        return mask_phone(value)


class ActivityKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventKind
        fields = ["code", "name", "color"]


class ActivityVenueSerializer(serializers.ModelSerializer):
    node = serializers.PrimaryKeyRelatedField(read_only=True)
    node_name = serializers.CharField(source="node.name", read_only=True)
    kind = PlainChoiceField(choices=Venue._meta.get_field("kind").choices, read_only=True)

    class Meta:
        model = Venue
        fields = ["id", "name", "kind", "node", "node_name", "address", "capacity", "open_air", "lat", "lng"]


class ActivityEventSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.code", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    node = serializers.PrimaryKeyRelatedField(read_only=True)
    node_name = serializers.CharField(source="node.name", read_only=True)
    venue = serializers.PrimaryKeyRelatedField(read_only=True)
    venue_name = serializers.CharField(source="venue.name", default=None, read_only=True)
    host_type = serializers.SerializerMethodField()
    status = PlainChoiceField(choices=Event._meta.get_field("status").choices, read_only=True)
    organiser_kind = PlainChoiceField(choices=OrganiserKind.choices, read_only=True)
    confirmed = serializers.IntegerField(source="confirmed_count", read_only=True, default=None)
    waitlisted = serializers.IntegerField(source="waitlisted_count", read_only=True, default=None)
    checked_in = serializers.IntegerField(source="checkin_count", read_only=True, default=None)

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "kind",
            "kind_name",
            "node",
            "node_name",
            "venue",
            "venue_name",
            "place",
            "series",
            "organiser_kind",
            "organiser_name",
            "host_type",
            "host_id",
            "audience",
            "capacity",
            "public",
            "open_air",
            "start",
            "end",
            "status",
            "headcount",
            "summary",
            "confirmed",
            "waitlisted",
            "checked_in",
        ]

    def get_host_type(self, obj) -> str | None:
        return f"{obj.host_type.app_label}.{obj.host_type.model}" if obj.host_type_id else None


class ActivityEventInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    kind = serializers.SlugRelatedField(slug_field="code", queryset=EventKind.objects.filter(is_active=True))
    node = ScopedRelatedField(queryset=Node.objects.all(), capability=Cap.ACTIVITIES_MANAGE)
    venue = ScopedRelatedField(
        queryset=Venue.objects.all(), capability=Cap.ACTIVITIES_VIEW, required=False, allow_null=True
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    audience = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    organiser_kind = PlainChoiceField(
        choices=[c for c in OrganiserKind.choices if c[0] != OrganiserKind.HOST], required=False
    )
    organiser_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    public = serializers.BooleanField(required=False, default=True)
    open_air = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate(self, data):
        if data["end"] < data["start"]:
            raise serializers.ValidationError({"end": "结束时间不能早于开始时间"})
        return data


class ActivityRegistrationSerializer(serializers.ModelSerializer):
    phone = MaskedPhone(read_only=True)
    status = PlainChoiceField(choices=Registration._meta.get_field("status").choices, read_only=True)
    checked_in_at = serializers.DateTimeField(source="checkin.checked_in_at", default=None, read_only=True)
    source = PlainChoiceField(choices=Registration._meta.get_field("source").choices, read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "name",
            "phone",
            "organisation",
            "status",
            "source",
            "registered_at",
            "promoted_at",
            "checked_in_at",
        ]


class ActivityRegisterInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    organisation = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ActivityCheckInInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    registration = serializers.IntegerField(required=False, allow_null=True, default=None)
    method = PlainChoiceField(choices=CheckInMethod.choices, required=False)


class ActivityCheckInSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="registration.name", read_only=True)
    created = serializers.BooleanField(read_only=True, default=False)
    method = PlainChoiceField(choices=CheckInMethod.choices, read_only=True)

    class Meta:
        model = CheckIn
        fields = ["id", "event", "registration", "name", "checked_in_at", "method", "created"]


class ActivityHeadcountInputSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ActivityCloseInputSerializer(serializers.Serializer):
    summary = serializers.CharField()


class ActivityReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class ActivityEventFiguresSerializer(serializers.Serializer):
    confirmed = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    checked_in = serializers.IntegerField()
    free = serializers.IntegerField(allow_null=True)
    headcount = serializers.IntegerField(allow_null=True)


class VolunteerSerializer(serializers.ModelSerializer):
    phone = MaskedPhone(read_only=True)
    id_number = serializers.SerializerMethodField()
    id_type = PlainChoiceField(choices=IdType.choices, read_only=True)
    status = PlainChoiceField(choices=Volunteer._meta.get_field("status").choices, read_only=True)

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "number",
            "name",
            "gender",
            "id_type",
            "id_number",
            "phone",
            "node",
            "skills",
            "availability",
            "is_party_member",
            "unit",
            "status",
            "consent_at",
            "registered_at",
        ]

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.id_number)


class VolunteerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20)
    node = ScopedRelatedField(queryset=Node.objects.all(), capability=Cap.VOLUNTEERS_MANAGE)
    consent = serializers.BooleanField(help_text="本人同意登记（志愿服务条例第七条），必须为 true")
    id_type = PlainChoiceField(choices=IdType.choices, required=False, default=IdType.ID_CARD)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    gender = PlainChoiceField(choices=[("", "—"), ("M", "男"), ("F", "女")], required=False, default="")
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    availability = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    is_party_member = serializers.BooleanField(required=False, default=False)


class PointsBalanceSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField()
    balance = serializers.IntegerField()
    confirmed_hours = serializers.DecimalField(max_digits=9, decimal_places=1)


class VolunteerTeamSerializer(serializers.ModelSerializer):
    kind = PlainChoiceField(choices=TeamKind.choices, read_only=True)
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "kind",
            "node",
            "grid",
            "unit",
            "leader",
            "members",
            "case_unit",
            "visit_hours",
        ]


class VolunteerShiftSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shift
        fields = ["id", "event", "node", "team", "role", "description", "start", "end", "slots"]


class VolunteerSignupSerializer(serializers.ModelSerializer):
    status = PlainChoiceField(choices=ShiftSignup._meta.get_field("status").choices, read_only=True)

    class Meta:
        model = ShiftSignup
        fields = [
            "id",
            "shift",
            "volunteer",
            "status",
            "signed_up_at",
            "offered_at",
            "offer_expires_at",
            "confirmed_at",
        ]


class VolunteerSignupInputSerializer(serializers.Serializer):
    volunteer = ScopedRelatedField(queryset=Volunteer.objects.all(), capability=Cap.ACTIVITIES_VIEW)


class VolunteerRecordSerializer(serializers.ModelSerializer):
    status = PlainChoiceField(choices=ServiceRecord._meta.get_field("status").choices, read_only=True)
    source = PlainChoiceField(choices=ServiceRecord._meta.get_field("source").choices, read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "volunteer",
            "volunteer_name",
            "node",
            "team",
            "unit",
            "source",
            "shift",
            "case",
            "content",
            "served_on",
            "hours",
            "status",
            "confirmed_by_name",
            "confirmed_at",
            "note",
        ]


class VolunteerRecordInputSerializer(serializers.Serializer):
    volunteer = ScopedRelatedField(queryset=Volunteer.objects.all(), capability=Cap.ACTIVITIES_VIEW)
    content = serializers.CharField(max_length=200)
    served_on = serializers.DateField()
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=Decimal("0.1"), max_value=Decimal("24")
    )
    confirm = serializers.BooleanField(required=False, default=False)


class MarketItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = MarketItem
        fields = ["id", "node", "name", "description", "points", "stock", "is_active"]


class PointsExchangeInputSerializer(serializers.Serializer):
    volunteer = ScopedRelatedField(
        queryset=Volunteer.objects.all(), capability=Cap.ACTIVITIES_VIEW, required=False
    )
    quantity = serializers.IntegerField(min_value=1, max_value=20, required=False, default=1)


class PointsExchangeSerializer(serializers.ModelSerializer):
    status = PlainChoiceField(choices=Exchange._meta.get_field("status").choices, read_only=True)

    class Meta:
        model = Exchange
        fields = ["id", "item", "volunteer", "quantity", "points", "status", "at"]


class DualUnitSerializer(serializers.ModelSerializer):
    contact_phone = MaskedPhone(read_only=True)
    kind = PlainChoiceField(choices=UnitKind.choices, read_only=True)
    resources = serializers.SlugRelatedField(many=True, read_only=True, slug_field="title")
    status = PlainChoiceField(choices=DualUnit._meta.get_field("status").choices, read_only=True)

    class Meta:
        model = DualUnit
        fields = [
            "id",
            "name",
            "kind",
            "party_org_name",
            "node",
            "contact_name",
            "contact_phone",
            "agreement_no",
            "agreement_signed_on",
            "reported_on",
            "status",
            "resources",
        ]


class DualMemberSerializer(serializers.ModelSerializer):
    phone = MaskedPhone(read_only=True)
    status = PlainChoiceField(choices=DualMember._meta.get_field("status").choices, read_only=True)

    class Meta:
        model = DualMember
        fields = [
            "id",
            "name",
            "phone",
            "unit",
            "work_unit_name",
            "node",
            "volunteer",
            "reported_on",
            "status",
        ]


class DualNeedSerializer(serializers.ModelSerializer):
    status = PlainChoiceField(choices=NeedItem._meta.get_field("status").choices, read_only=True)

    class Meta:
        model = NeedItem
        fields = ["id", "node", "title", "description", "status", "claimed_by"]


class DualProjectSerializer(serializers.ModelSerializer):
    units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    status = PlainChoiceField(choices=Project._meta.get_field("status").choices, read_only=True)

    class Meta:
        model = Project
        fields = ["id", "node", "title", "description", "need", "units", "status", "start_on", "end_on"]


class DualResourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResourceItem
        fields = ["id", "unit", "title", "description"]


def _dates_in_order(data, start="start_on", end="end_on"):
    if data.get(start) and data.get(end) and data[end] < data[start]:
        raise serializers.ValidationError({end: "结束日期不能早于开始日期"})
    return data


class DualUnitInputSerializer(serializers.Serializer):
    """报到单 (activities.manage at the community)."""

    node = ScopedRelatedField(queryset=Node.objects.all(), capability=Cap.ACTIVITIES_MANAGE)
    name = serializers.CharField(max_length=100)
    kind = PlainChoiceField(choices=UnitKind.choices, required=False, default=UnitKind.ORGAN)
    party_org_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(max_length=50)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    reported_on = serializers.DateField()
    agreement_no = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    agreement_signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    agreement_text = serializers.CharField(required=False, allow_blank=True, default="")
    resources = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list, max_length=50
    )


class DualMemberInputSerializer(serializers.Serializer):
    node = ScopedRelatedField(queryset=Node.objects.all(), capability=Cap.ACTIVITIES_MANAGE)
    name = serializers.CharField(max_length=50)
    reported_on = serializers.DateField()
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    unit = ScopedRelatedField(
        queryset=DualUnit.objects.all(), capability=Cap.ACTIVITIES_VIEW, required=False, allow_null=True
    )
    work_unit_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    volunteer = ScopedRelatedField(
        queryset=Volunteer.objects.all(), capability=Cap.ACTIVITIES_VIEW, required=False, allow_null=True
    )


class DualResourceInputSerializer(serializers.Serializer):
    unit = ScopedRelatedField(queryset=DualUnit.objects.all(), capability=Cap.ACTIVITIES_MANAGE)
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class DualNeedInputSerializer(serializers.Serializer):
    node = ScopedRelatedField(queryset=Node.objects.all(), capability=Cap.ACTIVITIES_MANAGE)
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class DualClaimInputSerializer(serializers.Serializer):
    unit = ScopedRelatedField(queryset=DualUnit.objects.all(), capability=Cap.ACTIVITIES_VIEW)


class DualProjectInputSerializer(serializers.Serializer):
    node = ScopedRelatedField(queryset=Node.objects.all(), capability=Cap.ACTIVITIES_MANAGE)
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    units = ScopedRelatedField(
        queryset=DualUnit.objects.all(),
        capability=Cap.ACTIVITIES_VIEW,
        many=True,
        required=False,
        default=list,
    )
    need = ScopedRelatedField(
        queryset=NeedItem.objects.all(), capability=Cap.ACTIVITIES_VIEW, required=False, allow_null=True
    )
    start_on = serializers.DateField(required=False, allow_null=True, default=None)
    end_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate(self, data):
        return _dates_in_order(data)


class DualProjectStatusInputSerializer(serializers.Serializer):
    status = PlainChoiceField(choices=ProjectStatus.choices)


class VolunteerTeamInputSerializer(serializers.Serializer):
    """A team (volunteers.manage at the node)."""

    name = serializers.CharField(max_length=100)
    node = ScopedRelatedField(queryset=Node.objects.all(), capability=Cap.VOLUNTEERS_MANAGE)
    kind = PlainChoiceField(choices=TeamKind.choices, required=False, default=TeamKind.GRID)
    grid = ScopedRelatedField(
        queryset=Grid.objects.all(), capability=Cap.ORG_VIEW, required=False, allow_null=True
    )
    unit = ScopedRelatedField(
        queryset=DualUnit.objects.all(), capability=Cap.ACTIVITIES_VIEW, required=False, allow_null=True
    )
    leader = ScopedRelatedField(
        queryset=Volunteer.objects.all(), capability=Cap.ACTIVITIES_VIEW, required=False, allow_null=True
    )
    visit_hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=Decimal("0.1"), max_value=Decimal("24"), required=False
    )


class VolunteerTeamMembersInputSerializer(serializers.Serializer):
    volunteers = ScopedRelatedField(
        queryset=Volunteer.objects.all(), capability=Cap.ACTIVITIES_VIEW, many=True, allow_empty=False
    )


class DualEvaluationSerializer(serializers.ModelSerializer):
    grade = PlainChoiceField(choices=Evaluation._meta.get_field("grade").choices, read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "year",
            "node",
            "unit",
            "member",
            "events_organised",
            "participations",
            "hours",
            "projects",
            "grade",
            "comment",
            "evaluated_at",
        ]


class ActivityMetricValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.FloatField(allow_null=True)


class ActivityBreakdownRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    events = serializers.IntegerField(required=False)
    person_times = serializers.IntegerField(required=False)
    hours = serializers.DecimalField(max_digits=12, decimal_places=1, required=False)
    records = serializers.IntegerField(required=False)


class ActivityFiguresSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    metrics = ActivityMetricValueSerializer(many=True)
    breakdown = ActivityBreakdownRowSerializer(many=True, allow_null=True)
