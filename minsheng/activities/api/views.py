"""/api/v1/activities/: events (publish, register, check in, head count, close, cancel), volunteers, shifts,
service records, the 积分超市, 双报到 lists and the registered figures. Every change goes through the actions: an
illegal transition answers 409, a missing right 403, bad input 400 with field messages."""

import datetime as dt

from django.db.models import Sum
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.accounts.api.base import CapabilityViewMixin, HasCapability
from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core import metrics as registry

from .. import actions, metrics, queries
from ..actions import dual, points, volunteers
from ..choices import RecordStatus
from ..filtersets import EventFilterSet, RecordFilterSet, VolunteerFilterSet
from ..models import (
    DualMember,
    DualUnit,
    Evaluation,
    Event,
    EventKind,
    MarketItem,
    NeedItem,
    Project,
    Registration,
    ResourceItem,
    ServiceRecord,
    Shift,
    Team,
    Venue,
    Volunteer,
)
from . import serializers as s


class Base(CapabilityViewMixin):
    read_capability = Cap.ACTIVITIES_VIEW
    write_capability = (
        Cap.ACTIVITIES_VIEW
    )  # a coarse gate: the actions check the precise right at the row's node


class EventViewSet(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = EventFilterSet

    def get_queryset(self):
        return queries.with_counts(
            Event.objects.visible_to(self.request.user, Cap.ACTIVITIES_VIEW).select_related(
                "kind", "node", "venue", "host_type"
            )
        ).order_by("-start", "-pk")

    def get_serializer_class(self):
        return s.ActivityEventInputSerializer if self.action == "create" else s.ActivityEventSerializer

    def _one(self, pk):
        return self.get_queryset().get(pk=pk)

    @extend_schema(request=s.ActivityEventInputSerializer, responses={201: s.ActivityEventSerializer})
    def create(self, request):
        """Publish an activity (activities.manage at the node)."""
        serializer = s.ActivityEventInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        event = actions.do_create_event(actor=request.user, **serializer.validated_data)
        return Response(s.ActivityEventSerializer(self._one(event.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.ActivityRegistrationSerializer(many=True))
    @action(detail=True, methods=["get"])
    def registrations(self, request, pk=None):
        event = self.get_object()
        qs = event.registrations.select_related("checkin").order_by("registered_at", "pk")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.ActivityRegistrationSerializer(page, many=True).data)

    @extend_schema(
        request=s.ActivityRegisterInputSerializer, responses={201: s.ActivityRegistrationSerializer}
    )
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        """Register a named person; over capacity the registration is waitlisted (status says which)."""
        event = self.get_object()
        serializer = s.ActivityRegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not data["name"]:
            raise DRFValidationError({"name": ["请填写报名人姓名"]})
        registration = actions.do_register(event, actor=request.user, **data)
        return Response(s.ActivityRegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ActivityCheckInInputSerializer,
        responses={200: s.ActivityCheckInSerializer, 201: s.ActivityCheckInSerializer},
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        """By QR token or registration id. 201 for a new check-in, 200 (created=false) for a repeat."""
        event = self.get_object()
        serializer = s.ActivityCheckInInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        registration = None
        if data.get("registration"):
            registration = Registration.objects.filter(pk=data["registration"], event=event).first()
            if registration is None:
                raise DRFValidationError({"registration": ["该报名不属于本活动"]})
        elif not data["token"]:
            raise DRFValidationError({"token": ["请提供签到码或报名编号"]})
        checkin, created = actions.do_check_in(
            event,
            actor=request.user,
            token=data["token"] or None,
            registration=registration,
            method=data.get("method"),
        )
        checkin.created = created
        return Response(
            s.ActivityCheckInSerializer(checkin).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=s.ActivityHeadcountInputSerializer, responses=s.ActivityEventSerializer)
    @action(detail=True, methods=["post"])
    def headcount(self, request, pk=None):
        event = self.get_object()
        serializer = s.ActivityHeadcountInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.do_record_headcount(event, actor=request.user, **serializer.validated_data)
        return Response(s.ActivityEventSerializer(self._one(event.pk)).data)

    @extend_schema(request=s.ActivityCloseInputSerializer, responses=s.ActivityEventSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """结束并总结 (photos are uploaded on the page)."""
        event = self.get_object()
        serializer = s.ActivityCloseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.do_close_event(event, actor=request.user, summary=serializer.validated_data["summary"])
        return Response(s.ActivityEventSerializer(self._one(event.pk)).data)

    @extend_schema(request=s.ActivityReasonInputSerializer, responses=s.ActivityEventSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        event = self.get_object()
        serializer = s.ActivityReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.do_cancel_event(event, actor=request.user, reason=serializer.validated_data["reason"])
        return Response(s.ActivityEventSerializer(self._one(event.pk)).data)

    @extend_schema(responses=s.ActivityEventFiguresSerializer)
    @action(detail=True, methods=["get"])
    def figures(self, request, pk=None):
        return Response(s.ActivityEventFiguresSerializer(queries.event_figures(self.get_object())).data)


class RegistrationViewSet(Base, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ActivityRegistrationSerializer

    def get_queryset(self):
        return Registration.objects.visible_to(self.request.user, Cap.ACTIVITIES_VIEW).select_related(
            "checkin"
        )

    @extend_schema(request=None, responses=s.ActivityRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a registration; a freed seat goes to the first on the waiting list."""
        registration = actions.do_cancel_registration(self.get_object(), actor=request.user)
        return Response(s.ActivityRegistrationSerializer(self.get_queryset().get(pk=registration.pk)).data)


class KindViewSet(Base, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ActivityKindSerializer
    pagination_class = None

    def get_queryset(self):
        return EventKind.objects.filter(is_active=True)


class VenueViewSet(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ActivityVenueSerializer

    def get_queryset(self):
        return Venue.objects.visible_to(self.request.user, Cap.ACTIVITIES_VIEW).select_related("node")


class VolunteerViewSet(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = VolunteerFilterSet

    def get_queryset(self):
        return Volunteer.objects.visible_to(self.request.user, Cap.ACTIVITIES_VIEW).order_by("number")

    def get_serializer_class(self):
        return s.VolunteerInputSerializer if self.action == "create" else s.VolunteerSerializer

    @extend_schema(request=s.VolunteerInputSerializer, responses={201: s.VolunteerSerializer})
    def create(self, request):
        serializer = s.VolunteerInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        volunteer = volunteers.do_register_volunteer(actor=request.user, **serializer.validated_data)
        return Response(s.VolunteerSerializer(volunteer).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.PointsBalanceSerializer)
    @action(detail=True, methods=["get"])
    def balance(self, request, pk=None):
        """Points balance (a sum of ledger movements) and confirmed hours."""
        volunteer = self.get_object()
        hours = volunteer.records.filter(status=RecordStatus.CONFIRMED).aggregate(h=Sum("hours"))["h"] or 0
        data = {
            "volunteer": volunteer.pk,
            "balance": points.balance_of(points.account_of(volunteer)),
            "confirmed_hours": hours,
        }
        return Response(s.PointsBalanceSerializer(data).data)


class TeamViewSet(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    def get_queryset(self):
        return Team.objects.visible_to(self.request.user, Cap.ACTIVITIES_VIEW).prefetch_related("members")

    def get_serializer_class(self):
        return s.VolunteerTeamInputSerializer if self.action == "create" else s.VolunteerTeamSerializer

    def _one(self, pk):
        return self.get_queryset().get(pk=pk)

    @extend_schema(request=s.VolunteerTeamInputSerializer, responses={201: s.VolunteerTeamSerializer})
    def create(self, request):
        """Form a volunteer team (volunteers.manage at the node)."""
        serializer = s.VolunteerTeamInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        team = volunteers.do_create_team(actor=request.user, **serializer.validated_data)
        return Response(s.VolunteerTeamSerializer(self._one(team.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.VolunteerTeamMembersInputSerializer, responses=s.VolunteerTeamSerializer)
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        """Add active volunteers to the team."""
        team = self.get_object()
        serializer = s.VolunteerTeamMembersInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        volunteers.do_add_team_members(
            team, actor=request.user, volunteers=serializer.validated_data["volunteers"]
        )
        return Response(s.VolunteerTeamSerializer(self._one(team.pk)).data)


class ShiftViewSet(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.VolunteerShiftSerializer
    filterset_fields = {"event": ["exact"]}

    def get_queryset(self):
        return Shift.objects.visible_to(self.request.user, Cap.ACTIVITIES_VIEW).order_by("start", "pk")

    @extend_schema(request=s.VolunteerSignupInputSerializer, responses={201: s.VolunteerSignupSerializer})
    @action(detail=True, methods=["post"])
    def signup(self, request, pk=None):
        """Sign a volunteer up; a full shift puts them on the waiting list (moved up with confirmation)."""
        shift = self.get_object()
        serializer = s.VolunteerSignupInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        signup = volunteers.do_sign_up(
            shift, actor=request.user, volunteer=serializer.validated_data["volunteer"]
        )
        return Response(s.VolunteerSignupSerializer(signup).data, status=status.HTTP_201_CREATED)


class RecordViewSet(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = RecordFilterSet

    def get_queryset(self):
        return (
            ServiceRecord.objects.visible_to(self.request.user, Cap.ACTIVITIES_VIEW)
            .select_related("volunteer")
            .order_by("-served_on", "-pk")
        )

    def get_serializer_class(self):
        return s.VolunteerRecordInputSerializer if self.action == "create" else s.VolunteerRecordSerializer

    @extend_schema(request=s.VolunteerRecordInputSerializer, responses={201: s.VolunteerRecordSerializer})
    def create(self, request):
        serializer = s.VolunteerRecordInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = volunteers.do_record_service(data.pop("volunteer"), actor=request.user, **data)
        return Response(s.VolunteerRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.VolunteerRecordSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """The organiser confirms the hours (谁记录谁证明); points are credited at once."""
        record = volunteers.do_confirm_record(self.get_object(), actor=request.user)
        return Response(s.VolunteerRecordSerializer(record).data)

    @extend_schema(request=s.ActivityReasonInputSerializer, responses=s.VolunteerRecordSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        serializer = s.ActivityReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = volunteers.do_reject_record(
            self.get_object(), actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(s.VolunteerRecordSerializer(record).data)


class MarketItemViewSet(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.MarketItemSerializer

    def get_queryset(self):
        return MarketItem.objects.visible_to(self.request.user, Cap.ACTIVITIES_VIEW).order_by("points", "pk")

    @extend_schema(request=s.PointsExchangeInputSerializer, responses={201: s.PointsExchangeSerializer})
    @action(detail=True, methods=["post"])
    def exchange(self, request, pk=None):
        """Spend a volunteer's points (409 when the balance or the stock is short)."""
        item = self.get_object()
        serializer = s.PointsExchangeInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        volunteer = serializer.validated_data.get("volunteer") or volunteers.own_volunteer(request.user)
        if volunteer is None:
            raise DRFValidationError({"volunteer": ["请指定志愿者"]})
        exchange = points.do_exchange(
            item, actor=request.user, volunteer=volunteer, quantity=serializer.validated_data["quantity"]
        )
        return Response(s.PointsExchangeSerializer(exchange).data, status=status.HTTP_201_CREATED)


class DualBase(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A 双报到 list that can also be added to: `create` hands the input to `create_action`, and the answer is
    the row read back through the user's scope."""

    model: type
    output: type
    input: type
    order: tuple[str, ...] = ("pk",)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user, Cap.ACTIVITIES_VIEW).order_by(*self.order)

    def get_serializer_class(self):
        return self.input if self.action == "create" else self.output

    def _answer(self, obj, code=status.HTTP_200_OK):
        return Response(self.output(self.get_queryset().get(pk=obj.pk)).data, status=code)

    def _input(self, serializer_class, request):
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def perform(self, data):  # pragma: no cover - every subclass says which action creates
        raise NotImplementedError

    def create(self, request):
        return self._answer(self.perform(self._input(self.input, request)), status.HTTP_201_CREATED)


@extend_schema_view(
    create=extend_schema(request=s.DualUnitInputSerializer, responses={201: s.DualUnitSerializer})
)
class DualUnitViewSet(DualBase):
    model, output, input = DualUnit, s.DualUnitSerializer, s.DualUnitInputSerializer
    order = ("node__path", "name")

    def perform(self, data):
        return dual.do_report_unit(actor=self.request.user, **data)

    @extend_schema(request=None, responses=s.DualUnitSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """The unit leaves 双报到 (409 when it already has)."""
        return self._answer(dual.do_end_report(self.get_object(), actor=request.user))


@extend_schema_view(
    create=extend_schema(request=s.DualMemberInputSerializer, responses={201: s.DualMemberSerializer})
)
class DualMemberViewSet(DualBase):
    model, output, input = DualMember, s.DualMemberSerializer, s.DualMemberInputSerializer
    order = ("node__path", "name")

    def perform(self, data):
        return dual.do_report_member(actor=self.request.user, **data)

    @extend_schema(request=None, responses=s.DualMemberSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """The member leaves 双报到 (409 when they already have)."""
        return self._answer(dual.do_end_report(self.get_object(), actor=request.user))


@extend_schema_view(
    create=extend_schema(request=s.DualResourceInputSerializer, responses={201: s.DualResourceSerializer})
)
class ResourceViewSet(DualBase):
    model, output, input = ResourceItem, s.DualResourceSerializer, s.DualResourceInputSerializer

    def perform(self, data):
        return dual.do_add_resource(data.pop("unit"), actor=self.request.user, **data)


@extend_schema_view(
    create=extend_schema(request=s.DualNeedInputSerializer, responses={201: s.DualNeedSerializer})
)
class NeedViewSet(DualBase):
    model, output, input = NeedItem, s.DualNeedSerializer, s.DualNeedInputSerializer

    def perform(self, data):
        return dual.do_add_need(actor=self.request.user, **data)

    @extend_schema(request=s.DualClaimInputSerializer, responses=s.DualNeedSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        """A reported unit takes the need on (409 when it is no longer open)."""
        need = self.get_object()
        data = self._input(s.DualClaimInputSerializer, request)
        return self._answer(dual.do_claim_need(need, actor=request.user, unit=data["unit"]))

    @extend_schema(request=None, responses=s.DualNeedSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        return self._answer(dual.do_finish_need(self.get_object(), actor=request.user))


@extend_schema_view(
    create=extend_schema(request=s.DualProjectInputSerializer, responses={201: s.DualProjectSerializer})
)
class ProjectViewSet(DualBase):
    model, output, input = Project, s.DualProjectSerializer, s.DualProjectInputSerializer

    def perform(self, data):
        return dual.do_create_project(actor=self.request.user, **data)

    @extend_schema(request=s.DualProjectStatusInputSerializer, responses=s.DualProjectSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        project = self.get_object()
        data = self._input(s.DualProjectStatusInputSerializer, request)
        return self._answer(dual.do_set_project_status(project, actor=request.user, status=data["status"]))


class EvaluationViewSet(Base, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.DualEvaluationSerializer
    filterset_fields = {"year": ["exact"], "unit": ["exact"]}

    def get_queryset(self):
        return Evaluation.objects.visible_to(self.request.user, Cap.ACTIVITIES_VIEW).order_by("-year", "pk")


BREAKDOWNS = sorted({*metrics.EVENT_BREAKDOWNS, *metrics.HOUR_BREAKDOWNS})


class FiguresView(APIView):
    permission_classes = [HasCapability]
    read_capability = Cap.ACTIVITIES_VIEW
    write_capability = Cap.ACTIVITIES_VIEW

    @extend_schema(
        parameters=[
            OpenApiParameter("start", dt.date, description="起始日期（含），默认本年 1 月 1 日"),
            OpenApiParameter("end", dt.date, description="截止日期（含），默认今天"),
            OpenApiParameter(
                "by",
                str,
                enum=BREAKDOWNS,
                description="分组：活动按 kind/venue/community，时长按 team/volunteer/unit",
            ),
        ],
        responses=s.ActivityFiguresSerializer,
    )
    def get(self, request):
        """The activities domain's registered figures over a period (definitions in docs/metrics.md)."""
        today = timezone.localdate(clock.now())  # the 街道's date, not UTC's
        try:
            start = dt.date.fromisoformat(request.query_params.get("start") or f"{today.year}-01-01")
            end = dt.date.fromisoformat(request.query_params.get("end") or today.isoformat())
            scope = registry.Scope(viewer=request.user, start=start, end=end)
        except ValueError:
            raise DRFValidationError({"start": ["日期格式应为 YYYY-MM-DD，且起始不晚于截止"]}) from None
        by = request.query_params.get("by")
        breakdown = None
        if by:
            if by in metrics.EVENT_BREAKDOWNS:
                breakdown = metrics.events_by(scope, by)
            elif by in metrics.HOUR_BREAKDOWNS:
                breakdown = metrics.hours_by(scope, by)
            else:
                raise DRFValidationError({"by": [f"可选：{', '.join(BREAKDOWNS)}"]})
        rows = [
            {
                "code": m.code,
                "name": str(m.name),
                "definition": str(m.definition),
                "unit": m.unit,
                "value": registry.as_number(m.compute(scope)),
            }
            for m in registry.all_metrics("activities")
        ]
        data = {"start": start, "end": end, "metrics": rows, "breakdown": breakdown}
        return Response(s.ActivityFiguresSerializer(data).data)
