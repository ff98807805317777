"""Serializers of /api/v1/deliberation/: every response has one, so the OpenAPI schema says what comes back.
Household addresses are masked (the API is for lists and integrations, not for finding a door)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from minsheng.accounts.api.base import ScopedRelatedField
from minsheng.accounts.choices import Cap
from minsheng.accounts.models import User
from minsheng.cases.attachments import MAX_FILES
from minsheng.cases.models import Category
from minsheng.core.masking import mask_address
from minsheng.org.models import Grid, Node, PartyMember, ResidentTag

from ..choices import (
    ContactMethod,
    Frequency,
    HolidayPolicy,
    ItemKind,
    ParticipantRole,
    VisitOutcome,
    VoteMatter,
)
from ..models import (
    AgendaTopic,
    Attendance,
    ContactPlan,
    Item,
    LinkedContact,
    Meeting,
    MeetingKind,
    MeetingSeries,
    RedTeam,
    Visit,
    VisitCampaign,
    VisitPhoto,
    VisitTarget,
    Vote,
)


class MeetingKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingKind
        fields = ["id", "code", "name", "channel", "default_roles", "description", "is_active"]


class SeriesSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = MeetingSeries
        fields = [
            "id",
            "kind",
            "node",
            "title",
            "place",
            "convenor",
            "expected_roles",
            "frequency",
            "weekday",
            "day_of_month",
            "start_time",
            "end_time",
            "holiday_policy",
            "starts_on",
            "ends_on",
            "is_active",
        ]


class SeriesCreateSerializer(serializers.Serializer):
    kind = serializers.SlugRelatedField(
        slug_field="code", queryset=MeetingKind.objects.filter(is_active=True)
    )
    node = ScopedRelatedField(capability=Cap.DELIBERATION_MANAGE, queryset=Node.objects.all())
    title = serializers.CharField(max_length=100)
    place = serializers.CharField(max_length=100)
    convenor = ScopedRelatedField(
        capability=Cap.DELIBERATION_VIEW, queryset=User.objects.all(), required=False
    )
    expected_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ParticipantRole.choices), required=False
    )
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    weekday = serializers.IntegerField(min_value=0, max_value=6, required=False, allow_null=True)
    day_of_month = serializers.IntegerField(min_value=1, max_value=31, required=False, allow_null=True)
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    holiday_policy = serializers.ChoiceField(choices=HolidayPolicy.choices, default=HolidayPolicy.MOVE)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)


class SeriesUpdateSerializer(serializers.Serializer):
    """A partial change of the rule; only occurrences still to come and untouched follow it."""

    title = serializers.CharField(max_length=100, required=False)
    place = serializers.CharField(max_length=100, required=False)
    convenor = ScopedRelatedField(
        capability=Cap.DELIBERATION_VIEW, queryset=User.objects.all(), required=False
    )
    expected_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ParticipantRole.choices), required=False
    )
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)
    weekday = serializers.IntegerField(min_value=0, max_value=6, required=False, allow_null=True)
    day_of_month = serializers.IntegerField(min_value=1, max_value=31, required=False, allow_null=True)
    start_time = serializers.TimeField(required=False)
    end_time = serializers.TimeField(required=False)
    holiday_policy = serializers.ChoiceField(choices=HolidayPolicy.choices, required=False)
    ends_on = serializers.DateField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)


class MeetingSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    node_name = serializers.CharField(source="node.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    convenor_name = serializers.CharField(source="convenor.__str__", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "kind_name",
            "series",
            "rule_date",
            "node",
            "node_name",
            "title",
            "place",
            "convenor",
            "convenor_name",
            "expected_roles",
            "starts_at",
            "ends_at",
            "status",
            "status_label",
            "cancel_reason",
            "opened_at",
            "closed_at",
            "minutes",
            "minutes_published",
            "published_at",
        ]


class MeetingCreateSerializer(serializers.Serializer):
    kind = serializers.SlugRelatedField(
        slug_field="code", queryset=MeetingKind.objects.filter(is_active=True)
    )
    node = ScopedRelatedField(capability=Cap.DELIBERATION_MANAGE, queryset=Node.objects.all())
    title = serializers.CharField(max_length=100)
    place = serializers.CharField(max_length=100)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    expected_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ParticipantRole.choices), required=False
    )


class CancelReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField(max_length=20000, required=False, allow_blank=True)


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaTopic
        fields = ["id", "source", "title", "description", "proposer_name", "carried_item", "created_at"]
        read_only_fields = ["source", "proposer_name", "carried_item", "created_at"]


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "user", "name", "role", "organisation", "method", "signed_at"]
        read_only_fields = ["method", "signed_at"]


class AttendeeCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=ParticipantRole.choices)
    organisation = serializers.CharField(max_length=100, required=False, allow_blank=True)
    user = ScopedRelatedField(
        capability=Cap.DELIBERATION_VIEW, queryset=User.objects.all(), required=False, allow_null=True
    )


class SignInSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ParticipantRole.choices, required=False)


class SignInResultSerializer(serializers.Serializer):
    created = serializers.BooleanField(help_text=_("false：此前已签到，本次未重复记录"))
    attendance = AttendanceSerializer()


class TallySerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=100000))

    def validate_counts(self, value):
        unknown = set(value) - set(ParticipantRole.values)
        if unknown:
            raise serializers.ValidationError(_("未知的参会身份：%(r)s") % {"r": "、".join(sorted(unknown))})
        return value


class HeadcountSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_role = serializers.DictField(child=serializers.IntegerField())


class OutcomeSerializer(serializers.Serializer):
    label = serializers.CharField()
    color = serializers.CharField()
    solved = serializers.BooleanField()
    open = serializers.BooleanField()


class ItemSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)
    case_status = serializers.CharField(source="case.status", read_only=True, default=None)
    outcome = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = [
            "id",
            "meeting",
            "visit",
            "contact",
            "node",
            "kind",
            "text",
            "raised_by",
            "category",
            "case",
            "case_number",
            "case_status",
            "raised_at",
            "outcome",
        ]

    @extend_schema_field(OutcomeSerializer)
    def get_outcome(self, obj) -> dict:
        from ..queries import item_outcome

        outcome = item_outcome(obj)
        return {
            "label": str(outcome["label"]),
            "color": outcome["color"],
            "solved": outcome["solved"],
            "open": outcome["open"],
        }


class ItemCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ItemKind.choices, default=ItemKind.PROBLEM)
    text = serializers.CharField(max_length=2000)
    raised_by = serializers.CharField(max_length=50, required=False, allow_blank=True)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False, allow_null=True
    )


class VoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vote
        fields = [
            "id",
            "subject",
            "matter",
            "total_area",
            "total_owners",
            "participating_area",
            "participating_owners",
            "yes_area",
            "yes_owners",
            "result",
            "created_at",
        ]
        read_only_fields = ["result", "created_at"]


class VoteCreateSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    matter = serializers.ChoiceField(choices=VoteMatter.choices)
    total_area = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    total_owners = serializers.IntegerField(min_value=0, max_value=10_000_000)
    participating_area = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    participating_owners = serializers.IntegerField(min_value=0, max_value=10_000_000)
    yes_area = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    yes_owners = serializers.IntegerField(min_value=0, max_value=10_000_000)


class VisitCampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitCampaign
        fields = ["id", "title", "node", "starts_on", "ends_on", "description", "team", "created_at"]
        read_only_fields = ["created_at"]


class VisitCampaignCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    node = ScopedRelatedField(capability=Cap.DELIBERATION_MANAGE, queryset=Node.objects.all())
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AddTargetsSerializer(serializers.Serializer):
    node = ScopedRelatedField(
        capability=Cap.DELIBERATION_VIEW, queryset=Node.objects.all(), required=False, allow_null=True
    )
    grids = ScopedRelatedField(
        capability=Cap.DELIBERATION_VIEW, queryset=Grid.objects.all(), many=True, required=False
    )
    tag = serializers.SlugRelatedField(
        slug_field="code", queryset=ResidentTag.objects.all(), required=False, allow_null=True
    )


class AssignSerializer(serializers.Serializer):
    visitor = ScopedRelatedField(capability=Cap.DELIBERATION_VIEW, queryset=User.objects.all())
    node = ScopedRelatedField(
        capability=Cap.DELIBERATION_VIEW, queryset=Node.objects.all(), required=False, allow_null=True
    )
    targets = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), required=False, max_length=5000
    )


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class TargetSerializer(serializers.ModelSerializer):
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    address = serializers.SerializerMethodField()

    class Meta:
        model = VisitTarget
        fields = [
            "id",
            "campaign",
            "household",
            "head_name",
            "address",
            "visitor",
            "status",
            "attempts",
            "last_visit_at",
        ]

    def get_address(self, obj) -> str:
        return mask_address(obj.household.address)


class VisitPhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitPhoto
        fields = ["id", "name", "content_type"]


# Mediation has its own visits: the component names say which is which.
@extend_schema_serializer(component_name="DoorVisit")
class VisitSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)
    photos = VisitPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "target", "visitor", "outcome", "notes", "visited_at", "items", "photos"]


class ProblemSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    kind = serializers.ChoiceField(choices=ItemKind.choices, default=ItemKind.PROBLEM)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False, allow_null=True
    )


# Mediation has its own visits: the component names say which is which.
@extend_schema_serializer(component_name="DoorVisitCreate")
class VisitCreateSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=VisitOutcome.choices)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    problems = ProblemSerializer(many=True, required=False)
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_FILES,
        help_text=_("现场照片（multipart）"),
    )


# -- 红色管家 teams and 联户交心 --------------------------------------------------------------------------------------


class RedTeamSerializer(serializers.ModelSerializer):
    node_name = serializers.CharField(source="node.name", read_only=True)

    class Meta:
        model = RedTeam
        fields = ["id", "name", "node", "node_name", "leader", "members", "buildings"]


class RedTeamCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    node = ScopedRelatedField(capability=Cap.DELIBERATION_MANAGE, queryset=Node.objects.all())
    leader = ScopedRelatedField(
        capability=Cap.DELIBERATION_VIEW, queryset=User.objects.all(), required=False, allow_null=True
    )
    members = ScopedRelatedField(
        capability=Cap.DELIBERATION_VIEW, queryset=User.objects.all(), many=True, required=False
    )
    buildings = ScopedRelatedField(
        capability=Cap.DELIBERATION_VIEW, queryset=Node.objects.all(), many=True, required=False
    )


class ContactPlanSerializer(serializers.ModelSerializer):
    party_member_name = serializers.CharField(source="party_member.name", read_only=True)

    class Meta:
        model = ContactPlan
        fields = ["id", "party_member", "party_member_name", "every_days"]


class ContactPlanSetSerializer(serializers.Serializer):
    party_member = ScopedRelatedField(capability=Cap.DELIBERATION_VIEW, queryset=PartyMember.objects.all())
    every_days = serializers.IntegerField(min_value=1, max_value=366)


class MemberField(ScopedRelatedField):
    """A party member in the user's scope, or the user's own party membership (he records his own contacts)."""

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        own = (
            PartyMember.objects.filter(user=user)
            if user and user.is_authenticated
            else PartyMember.objects.none()
        )
        return super().get_queryset() | own


class LinkedContactSerializer(serializers.ModelSerializer):
    party_member_name = serializers.CharField(source="party_member.name", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = LinkedContact
        fields = [
            "id",
            "party_member",
            "party_member_name",
            "household",
            "head_name",
            "method",
            "note",
            "contacted_at",
            "items",
        ]


class LinkedContactCreateSerializer(serializers.Serializer):
    party_member = MemberField(capability=Cap.DELIBERATION_VIEW, queryset=PartyMember.objects.all())
    household = serializers.IntegerField(min_value=1, max_value=2**62, help_text=_("该党员联系户的 id"))
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    problems = ProblemSerializer(many=True, required=False)

    def validate(self, attrs):
        # Only the member's own linked households resolve, so an id outside them reveals nothing.
        household = attrs["party_member"].households.filter(pk=attrs["household"]).first()
        if household is None:
            raise serializers.ValidationError({"household": _("该户不是这名党员的联系户")})
        attrs["household"] = household
        return attrs
