"""/api/v1/deliberation/: meetings, series, agenda, attendance, items, votes, minutes, campaigns, targets, visits.

Every change goes through the actions: an illegal step answers 409, a missing right 403, bad input 400 with field
messages (the shared exception handler maps the domain errors). Rows are read through `visible_to`.
"""

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from minsheng.accounts.api.base import CapabilityViewMixin
from minsheng.accounts.choices import Cap
from minsheng.core.scoping import get_visible_or_404

from .. import actions
from ..actions.meetings import headcount
from ..filtersets import MeetingFilter, TargetFilter
from ..models import (
    ContactPlan,
    LinkedContact,
    Meeting,
    MeetingKind,
    MeetingSeries,
    RedTeam,
    Visit,
    VisitCampaign,
    VisitTarget,
)
from . import serializers as s


def _payload(serializer_class, request):
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class KindViewSet(CapabilityViewMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = write_capability = Cap.DELIBERATION_VIEW
    serializer_class = s.MeetingKindSerializer
    queryset = MeetingKind.objects.all()


class SeriesViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    read_capability = write_capability = Cap.DELIBERATION_VIEW
    serializer_class = s.SeriesSerializer

    def get_queryset(self):
        return MeetingSeries.objects.visible_to(self.request.user, Cap.DELIBERATION_VIEW).select_related(
            "kind"
        )

    @extend_schema(request=s.SeriesCreateSerializer, responses={201: s.SeriesSerializer})
    def create(self, request):
        data = dict(_payload(s.SeriesCreateSerializer, request))
        data.setdefault("convenor", request.user)
        series = actions.do_create_series(actor=request.user, **data)
        return Response(s.SeriesSerializer(series).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SeriesUpdateSerializer, responses=s.SeriesSerializer)
    def partial_update(self, request, pk=None):
        """Change the rule: future occurrences nobody has worked on yet are re-stamped, held ones stay."""
        data = _payload(s.SeriesUpdateSerializer, request)
        series = actions.do_update_series(self.get_object(), actor=request.user, **data)
        return Response(s.SeriesSerializer(series).data)

    @extend_schema(request=None, responses=s.CountSerializer)
    @action(detail=True, methods=["post"])
    def stamp(self, request, pk=None):
        """Stamp out the occurrences of the next 90 days that do not exist yet (idempotent)."""
        created = actions.do_stamp(self.get_object(), actor=request.user)
        return Response({"count": len(created)})


class MeetingViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    read_capability = write_capability = (
        Cap.DELIBERATION_VIEW
    )  # each action checks its own right at the meeting's node
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["starts_at"]
    ordering = ["-starts_at"]

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user, Cap.DELIBERATION_VIEW).select_related(
            "kind", "node", "convenor"
        )

    def get_object(self):
        return get_visible_or_404(
            self.get_queryset(), self.request.user, Cap.DELIBERATION_VIEW, pk=self.kwargs["pk"]
        )

    def _meeting(self, request):
        return Response(s.MeetingSerializer(Meeting.objects.get(pk=self.kwargs["pk"])).data)

    @extend_schema(request=s.MeetingCreateSerializer, responses={201: s.MeetingSerializer})
    def create(self, request):
        meeting = actions.do_create_meeting(
            actor=request.user, **_payload(s.MeetingCreateSerializer, request)
        )
        return Response(s.MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """开始会议: the open items of earlier meetings at this place are carried onto the agenda."""
        actions.do_open(self.get_object(), actor=request.user)
        return self._meeting(request)

    @extend_schema(request=s.CancelReasonSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        actions.do_cancel(
            self.get_object(), actor=request.user, **_payload(s.CancelReasonSerializer, request)
        )
        return self._meeting(request)

    @extend_schema(request=s.MinutesSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        """Save the minutes while the meeting is open."""
        data = _payload(s.MinutesSerializer, request)
        actions.do_save_minutes(self.get_object(), actor=request.user, minutes=data.get("minutes", ""))
        return self._meeting(request)

    @extend_schema(request=s.MinutesSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """结束会议: 400 unless minutes are written and somebody was counted."""
        data = _payload(s.MinutesSerializer, request)
        actions.do_close(self.get_object(), actor=request.user, minutes=data.get("minutes"))
        return self._meeting(request)

    @extend_schema(request=None, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        actions.do_publish(self.get_object(), actor=request.user)
        return self._meeting(request)

    @extend_schema(methods=["get"], responses=s.TopicSerializer(many=True))
    @extend_schema(methods=["post"], request=s.TopicSerializer, responses={201: s.TopicSerializer})
    @action(detail=True, methods=["get", "post"])
    def topics(self, request, pk=None):
        meeting = self.get_object()
        if request.method == "GET":
            return Response(s.TopicSerializer(meeting.topics.all(), many=True).data)
        data = _payload(s.TopicSerializer, request)
        topic = actions.do_add_topic(
            meeting, actor=request.user, title=data["title"], description=data.get("description", "")
        )
        return Response(s.TopicSerializer(topic).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses=s.AttendanceSerializer(many=True))
    @extend_schema(
        methods=["post"], request=s.AttendeeCreateSerializer, responses={201: s.AttendanceSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def attendance(self, request, pk=None):
        """签到 list, or the convenor signs somebody in (an account, or a guest by name)."""
        meeting = self.get_object()
        if request.method == "GET":
            return Response(s.AttendanceSerializer(meeting.attendance.all(), many=True).data)
        data = _payload(s.AttendeeCreateSerializer, request)
        attendance = actions.do_register_attendee(meeting, actor=request.user, **data)
        return Response(s.AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SignInSerializer, responses=s.SignInResultSerializer)
    @action(detail=True, methods=["post"], url_path="sign-in")
    def sign_in(self, request, pk=None):
        """扫码签到 as the requesting user; repeating it changes nothing (created: false)."""
        data = _payload(s.SignInSerializer, request)
        attendance, created = actions.do_sign_in(
            self.get_object(), user=request.user, role=data.get("role", "")
        )
        return Response({"created": created, "attendance": s.AttendanceSerializer(attendance).data})

    @extend_schema(methods=["get"], responses=s.HeadcountSerializer)
    @extend_schema(methods=["post"], request=s.TallySerializer, responses=s.HeadcountSerializer)
    @action(detail=True, methods=["get", "post"])
    def headcount(self, request, pk=None):
        """People by role (signed in plus counted); POST sets the counted ones."""
        meeting = self.get_object()
        if request.method == "POST":
            actions.do_set_tally(
                meeting, actor=request.user, counts=_payload(s.TallySerializer, request)["counts"]
            )
        counts = headcount(meeting)
        return Response({"total": sum(counts.values()), "by_role": counts})

    @extend_schema(methods=["get"], responses=s.ItemSerializer(many=True))
    @extend_schema(methods=["post"], request=s.ItemCreateSerializer, responses={201: s.ItemSerializer})
    @action(detail=True, methods=["get", "post"])
    def items(self, request, pk=None):
        """Items raised: a problem becomes a case with the meeting kind's channel at once."""
        meeting = self.get_object()
        if request.method == "GET":
            return Response(s.ItemSerializer(meeting.items.select_related("case"), many=True).data)
        item = actions.do_raise_item(meeting, actor=request.user, **_payload(s.ItemCreateSerializer, request))
        return Response(s.ItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses=s.VoteSerializer(many=True))
    @extend_schema(methods=["post"], request=s.VoteCreateSerializer, responses={201: s.VoteSerializer})
    @action(detail=True, methods=["get", "post"])
    def votes(self, request, pk=None):
        """Owners' votes; the result is computed (民法典 第278条), never sent."""
        meeting = self.get_object()
        if request.method == "GET":
            return Response(s.VoteSerializer(meeting.votes.all(), many=True).data)
        vote = actions.do_record_vote(
            meeting, actor=request.user, **_payload(s.VoteCreateSerializer, request)
        )
        return Response(s.VoteSerializer(vote).data, status=status.HTTP_201_CREATED)


class CampaignViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    read_capability = write_capability = Cap.DELIBERATION_VIEW
    serializer_class = s.VisitCampaignSerializer

    def get_queryset(self):
        return (
            VisitCampaign.objects.visible_to(self.request.user, Cap.DELIBERATION_VIEW)
            .annotate(n=Count("targets"))
            .order_by("-starts_on", "-pk")
        )

    @extend_schema(request=s.VisitCampaignCreateSerializer, responses={201: s.VisitCampaignSerializer})
    def create(self, request):
        campaign = actions.do_create_campaign(
            actor=request.user, **_payload(s.VisitCampaignCreateSerializer, request)
        )
        return Response(s.VisitCampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AddTargetsSerializer, responses=s.CountSerializer)
    @action(detail=True, methods=["post"])
    def targets(self, request, pk=None):
        """Add target households (under a node and/or with a resident tag); answers how many were added."""
        count = actions.do_add_targets(
            self.get_object(), actor=request.user, **_payload(s.AddTargetsSerializer, request)
        )
        return Response({"count": count})

    @extend_schema(request=s.AssignSerializer, responses=s.CountSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        data = dict(_payload(s.AssignSerializer, request))
        count = actions.do_assign(self.get_object(), actor=request.user, **data)
        return Response({"count": count})


class TargetViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Visit targets in scope; `?mine=true` is a visitor's round. A visitor without deliberation.view still sees
    and logs the households assigned to him."""

    read_capability = write_capability = Cap.DELIBERATION_VIEW
    serializer_class = s.TargetSerializer
    filterset_class = TargetFilter

    def get_permissions(self):
        from rest_framework.permissions import IsAuthenticated

        return [IsAuthenticated()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VisitTarget.objects.none()
        user = self.request.user
        scoped = VisitTarget.objects.visible_to(user, Cap.DELIBERATION_VIEW)
        mine = VisitTarget.objects.filter(visitor=user)
        return (scoped | mine).select_related("household").distinct().order_by("pk")

    @extend_schema(
        request={
            "application/json": s.VisitCreateSerializer,
            "multipart/form-data": s.VisitCreateSerializer,
        },
        responses={201: s.VisitSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def visit(self, request, pk=None):
        """Log a visit (JSON, or multipart with photos): 403 unless the household is assigned to the requesting
        user."""
        data = _payload(s.VisitCreateSerializer, request)
        visit = actions.do_record_visit(
            self.get_object(),
            actor=request.user,
            outcome=data["outcome"],
            notes=data.get("notes", ""),
            photos=data.get("photos", []),
            problems=data.get("problems", []),
        )
        return Response(s.VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class VisitViewSet(CapabilityViewMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = write_capability = Cap.DELIBERATION_VIEW
    serializer_class = s.VisitSerializer

    def get_queryset(self):
        return (
            Visit.objects.visible_to(self.request.user, Cap.DELIBERATION_VIEW)
            .prefetch_related("items__case", "photos")
            .order_by("-pk")
        )


class TeamViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """红色管家 teams in scope: members and the buildings they cover."""

    read_capability = write_capability = Cap.DELIBERATION_VIEW
    serializer_class = s.RedTeamSerializer

    def get_queryset(self):
        return (
            RedTeam.objects.visible_to(self.request.user, Cap.DELIBERATION_VIEW)
            .select_related("node")
            .prefetch_related("members", "buildings")
            .order_by("pk")
        )

    @extend_schema(request=s.RedTeamCreateSerializer, responses={201: s.RedTeamSerializer})
    def create(self, request):
        team = actions.do_create_team(actor=request.user, **_payload(s.RedTeamCreateSerializer, request))
        return Response(s.RedTeamSerializer(team).data, status=status.HTTP_201_CREATED)


class ContactPlanViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """联户交心: how often each party member is expected to reach his linked households."""

    read_capability = write_capability = Cap.DELIBERATION_VIEW
    serializer_class = s.ContactPlanSerializer

    def get_queryset(self):
        return (
            ContactPlan.objects.visible_to(self.request.user, Cap.DELIBERATION_VIEW)
            .select_related("party_member")
            .order_by("pk")
        )

    @extend_schema(request=s.ContactPlanSetSerializer, responses=s.ContactPlanSerializer)
    def create(self, request):
        """Set a member's frequency (creates or replaces his plan)."""
        data = _payload(s.ContactPlanSetSerializer, request)
        plan = actions.do_set_contact_plan(
            data["party_member"], actor=request.user, every_days=data["every_days"]
        )
        return Response(s.ContactPlanSerializer(plan).data)


class ContactViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """联户 contact log: the contacts in scope, and a party member's own even without deliberation.view."""

    read_capability = write_capability = Cap.DELIBERATION_VIEW
    serializer_class = s.LinkedContactSerializer

    def get_permissions(self):
        from rest_framework.permissions import IsAuthenticated

        return [IsAuthenticated()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LinkedContact.objects.none()
        user = self.request.user
        scoped = LinkedContact.objects.visible_to(user, Cap.DELIBERATION_VIEW)
        own = LinkedContact.objects.filter(party_member__user=user)
        return (
            (scoped | own)
            .select_related("party_member", "household")
            .prefetch_related("items__case")
            .distinct()
            .order_by("-contacted_at", "-pk")
        )

    @extend_schema(request=s.LinkedContactCreateSerializer, responses={201: s.LinkedContactSerializer})
    def create(self, request):
        """Record a contact; a problem raised becomes a case at once. 403 unless the member himself or staff who
        may record at the household."""
        data = dict(_payload(s.LinkedContactCreateSerializer, request))
        contact = actions.do_record_contact(
            data.pop("party_member"), data.pop("household"), actor=request.user, **data
        )
        return Response(s.LinkedContactSerializer(contact).data, status=status.HTTP_201_CREATED)
