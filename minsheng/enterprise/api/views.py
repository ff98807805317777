"""/api/v1/enterprise/: the registry, the pipeline, the ledger, 一企一策, events, policies and the figures.

Reads go through `visible_to`; every change goes through the actions, so a refused transition answers 409, a bad
value 400 with field messages, a row outside the caller's scope 404 and a missing capability 403.
"""

import datetime as dt

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.accounts.api.base import CapabilityViewMixin
from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core import metrics as registry

from .. import actions, filtersets, queries
from ..choices import RaisedVia
from ..metrics import METRICS
from ..models import Bank, EnterpriseEvent, Plan, Policy, Visit
from . import serializers as s


def _data(serializer_class, request, **context):
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class EnterpriseViewSet(
    CapabilityViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """企业名录. Contacts' phones are masked."""

    read_capability = Cap.ENTERPRISE_VIEW
    write_capability = Cap.ENTERPRISE_MANAGE
    filterset_class = filtersets.EnterpriseFilter
    ordering_fields = ["name", "pk"]

    def get_queryset(self):
        return queries.enterprises(self.request.user).prefetch_related("contacts").order_by("name", "pk")

    def get_serializer_class(self):
        if self.action == "create":
            return s.EnterpriseInputSerializer
        if self.action == "contacts":
            return s.EntContactInputSerializer
        return s.EnterpriseDetailSerializer if self.action == "retrieve" else s.EnterpriseSerializer

    @extend_schema(request=s.EnterpriseInputSerializer, responses={201: s.EnterpriseDetailSerializer})
    def create(self, request):
        data = _data(s.EnterpriseInputSerializer, request)
        enterprise = actions.create_enterprise(actor=request.user, **data)
        return Response(s.EnterpriseDetailSerializer(enterprise).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EntContactInputSerializer, responses={201: s.EntContactSerializer})
    @action(detail=True, methods=["post"])
    def contacts(self, request, pk=None):
        enterprise = self.get_object()
        contact = actions.add_contact(
            enterprise, actor=request.user, **_data(s.EntContactInputSerializer, request)
        )
        return Response(s.EntContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ProjectViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """招商项目. Any staff member may POST a lead (and is credited); the stage actions need enterprise.manage."""

    read_capability = Cap.ENTERPRISE_VIEW
    write_capability = Cap.ENTERPRISE_VIEW
    filterset_class = filtersets.ProjectFilter
    ordering_fields = ["stage_entered_at", "pk"]

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        return (
            queries.projects(self.request.user)
            .prefetch_related("signings", "funds", "events__actor")
            .order_by("-pk")
        )

    def get_serializer_class(self):
        return {
            "create": s.EntLeadInputSerializer,
            "advance": s.EntAdvanceInputSerializer,
            "lose": s.EntLoseInputSerializer,
            "signings": s.EntSigningInputSerializer,
            "milestones": s.EntMilestoneInputSerializer,
            "funds": s.EntFundsInputSerializer,
            "supervise": s.EntSuperviseInputSerializer,
            "retrieve": s.EntProjectDetailSerializer,
        }.get(self.action, s.EntProjectSerializer)

    def _answer(self, project, code=status.HTTP_200_OK):
        project = self.get_queryset().get(pk=project.pk)
        return Response(s.EntProjectDetailSerializer(project).data, status=code)

    @extend_schema(request=s.EntLeadInputSerializer, responses={201: s.EntProjectDetailSerializer})
    def create(self, request):
        """全员线索收集: any staff member submits a lead."""
        project = actions.do_submit_lead(actor=request.user, **_data(s.EntLeadInputSerializer, request))
        if not request.user.has_cap(Cap.ENTERPRISE_VIEW, project.node):
            return Response(s.EntProjectSerializer(project).data, status=status.HTTP_201_CREATED)
        return self._answer(project, status.HTTP_201_CREATED)

    @extend_schema(request=s.EntAdvanceInputSerializer, responses=s.EntProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        return self._answer(
            actions.do_advance(
                self.get_object(), actor=request.user, **_data(s.EntAdvanceInputSerializer, request)
            )
        )

    @extend_schema(request=s.EntLoseInputSerializer, responses=s.EntProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def lose(self, request, pk=None):
        return self._answer(
            actions.do_lose(self.get_object(), actor=request.user, **_data(s.EntLoseInputSerializer, request))
        )

    @extend_schema(request=s.EntSigningInputSerializer, responses={201: s.EntProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def signings(self, request, pk=None):
        project = self.get_object()
        actions.do_record_signing(project, actor=request.user, **_data(s.EntSigningInputSerializer, request))
        return self._answer(project, status.HTTP_201_CREATED)

    @extend_schema(request=s.EntMilestoneInputSerializer, responses={201: s.EntProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def milestones(self, request, pk=None):
        project = self.get_object()
        actions.do_record_milestone(
            project, actor=request.user, **_data(s.EntMilestoneInputSerializer, request)
        )
        return self._answer(project, status.HTTP_201_CREATED)

    @extend_schema(request=s.EntFundsInputSerializer, responses={201: s.EntProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def funds(self, request, pk=None):
        project = self.get_object()
        actions.do_record_funds(project, actor=request.user, **_data(s.EntFundsInputSerializer, request))
        return self._answer(project, status.HTTP_201_CREATED)

    @extend_schema(request=s.EntSuperviseInputSerializer, responses=s.EntProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        return self._answer(
            actions.do_supervise(
                self.get_object(), actor=request.user, **_data(s.EntSuperviseInputSerializer, request)
            )
        )


class ProblemViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """企业问题台账: each item is a case of kind 企业诉求; 销号 needs the enterprise's confirmation with evidence."""

    read_capability = Cap.ENTERPRISE_VIEW
    write_capability = Cap.ENTERPRISE_MANAGE
    filterset_class = filtersets.ProblemFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return queries.problems(self.request.user).order_by("-pk")

    def get_serializer_class(self):
        return {
            "create": s.EntProblemInputSerializer,
            "confirm": s.EntConfirmInputSerializer,
            "decline": s.EntDeclineInputSerializer,
        }.get(self.action, s.EntProblemSerializer)

    @extend_schema(request=s.EntProblemInputSerializer, responses={201: s.EntProblemSerializer})
    def create(self, request):
        data = dict(_data(s.EntProblemInputSerializer, request))
        enterprise = data.pop("enterprise")
        visit = data.get("visit")
        problem = actions.do_raise_problem(
            enterprise, actor=request.user, raised_via=RaisedVia.VISIT if visit else RaisedVia.CADRE, **data
        )
        return Response(
            s.EntProblemSerializer(self.get_queryset().get(pk=problem.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request={"multipart/form-data": s.EntConfirmInputSerializer}, responses=s.EntProblemSerializer
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """销号 recorded by the 包靠 cadre: the enterprise's words and the evidence (a signed confirmation)."""
        problem = self.get_object()
        actions.do_confirm_close(problem, actor=request.user, **_data(s.EntConfirmInputSerializer, request))
        return Response(s.EntProblemSerializer(self.get_queryset().get(pk=problem.pk)).data)

    @extend_schema(request=s.EntDeclineInputSerializer, responses=s.EntProblemSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The enterprise says it is not solved: the case goes back to its handler."""
        problem = self.get_object()
        actions.do_decline_close(problem, actor=request.user, **_data(s.EntDeclineInputSerializer, request))
        return Response(s.EntProblemSerializer(self.get_queryset().get(pk=problem.pk)).data)


class VisitViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """组团式服务走访."""

    read_capability = Cap.ENTERPRISE_VIEW
    write_capability = Cap.ENTERPRISE_MANAGE

    def get_queryset(self):
        return (
            Visit.objects.visible_to(self.request.user)
            .prefetch_related("units")
            .order_by("-visited_on", "-pk")
        )

    def get_serializer_class(self):
        return s.EntVisitInputSerializer if self.action == "create" else s.EntVisitSerializer

    @extend_schema(request=s.EntVisitInputSerializer, responses={201: s.EntVisitSerializer})
    def create(self, request):
        data = dict(_data(s.EntVisitInputSerializer, request))
        visit = actions.do_record_visit(data.pop("enterprise"), actor=request.user, **data)
        return Response(s.EntVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class PlanViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """一企一策."""

    read_capability = Cap.ENTERPRISE_VIEW
    write_capability = Cap.ENTERPRISE_MANAGE

    def get_permissions(self):
        if self.action == "review":
            self.write_capability = Cap.ENTERPRISE_SUPERVISE
        return super().get_permissions()

    def get_queryset(self):
        return (
            Plan.objects.visible_to(self.request.user)
            .prefetch_related("needs", "actions__owner")
            .order_by("-pk")
        )

    def get_serializer_class(self):
        return {"create": s.EntPlanInputSerializer, "review": s.EntReviewInputSerializer}.get(
            self.action, s.EntPlanSerializer
        )

    @extend_schema(request=s.EntPlanInputSerializer, responses={201: s.EntPlanSerializer})
    def create(self, request):
        data = dict(_data(s.EntPlanInputSerializer, request))
        needs = [(n["kind"], n["description"]) for n in data.pop("needs")]
        plan = actions.do_create_plan(data.pop("enterprise"), actor=request.user, needs=needs, **data)
        return Response(s.EntPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EntReviewInputSerializer, responses=s.EntPlanSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """小微企业工作委员会 审议."""
        plan = actions.do_review_plan(
            self.get_object(), actor=request.user, **_data(s.EntReviewInputSerializer, request)
        )
        return Response(s.EntPlanSerializer(plan).data)


class EventViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Trainings, 政银企对接, 送政策进企业."""

    read_capability = Cap.ENTERPRISE_VIEW
    write_capability = Cap.ENTERPRISE_MANAGE
    filterset_class = filtersets.EventFilter

    def get_queryset(self):
        return (
            EnterpriseEvent.objects.visible_to(self.request.user)
            .prefetch_related("enterprises", "banks", "policies", "outcomes")
            .order_by("-held_on", "-pk")
        )

    def get_serializer_class(self):
        return {
            "create": s.EntEventInputSerializer,
            "outcomes": s.EntOutcomeInputSerializer,
            "retrieve": s.EntEventDetailSerializer,
        }.get(self.action, s.EntEventSerializer)

    @extend_schema(request=s.EntEventInputSerializer, responses={201: s.EntEventDetailSerializer})
    def create(self, request):
        event = actions.do_record_event(actor=request.user, **_data(s.EntEventInputSerializer, request))
        return Response(
            s.EntEventDetailSerializer(self.get_queryset().get(pk=event.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.EntOutcomeInputSerializer, responses=s.EntOutcomeSerializer)
    @action(detail=True, methods=["post"])
    def outcomes(self, request, pk=None):
        """One enterprise–bank pair's 意向 / 授信 / 放款 (each its own amount; a repeat updates the pair)."""
        event = self.get_object()
        outcome = actions.do_record_outcome(
            event, actor=request.user, **_data(s.EntOutcomeInputSerializer, request)
        )
        return Response(s.EntOutcomeSerializer(outcome).data)


class BankViewSet(CapabilityViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    read_capability = Cap.ENTERPRISE_VIEW
    write_capability = Cap.ENTERPRISE_MANAGE
    serializer_class = s.EntBankSerializer
    queryset = Bank.objects.order_by("pk")


class PolicyViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The policy library, the enterprises each policy matches, and deliveries."""

    read_capability = Cap.ENTERPRISE_VIEW
    write_capability = Cap.ENTERPRISE_MANAGE

    def get_queryset(self):
        return (
            Policy.objects.visible_to(self.request.user)
            .prefetch_related("tags", "industries")
            .order_by("-issued_on", "-pk")
        )

    def get_serializer_class(self):
        return {
            "create": s.EntPolicyInputSerializer,
            "deliveries": s.EntDeliveryInputSerializer,
            "matches": s.EntMatchSerializer,
        }.get(self.action, s.EntPolicySerializer)

    @extend_schema(request=s.EntPolicyInputSerializer, responses={201: s.EntPolicySerializer})
    def create(self, request):
        policy = actions.do_add_policy(actor=request.user, **_data(s.EntPolicyInputSerializer, request))
        return Response(s.EntPolicySerializer(policy).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.EntMatchSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def matches(self, request, pk=None):
        """Who should be told: the matching enterprises, each with the day it was told (or null)."""
        policy = self.get_object()
        delivered = dict(policy.deliveries.values_list("enterprise_id", "delivered_on"))
        rows = [
            {"enterprise": e.pk, "name": e.name, "delivered_on": delivered.get(e.pk)}
            for e in queries.matching_enterprises(policy, request.user).order_by("name")
        ]
        return Response(s.EntMatchSerializer(rows, many=True).data)

    @extend_schema(request=s.EntDeliveryInputSerializer, responses={201: s.EntDeliverySerializer})
    @action(detail=True, methods=["post"])
    def deliveries(self, request, pk=None):
        policy = self.get_object()
        data = dict(_data(s.EntDeliveryInputSerializer, request))
        delivery = actions.do_deliver_policy(
            policy, actor=request.user, enterprise=data.pop("enterprise"), **data
        )
        return Response(s.EntDeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)


class FiguresView(CapabilityViewMixin, APIView):
    """GET /api/v1/enterprise/figures/: every enterprise-services figure for a period (this year by default)."""

    pagination_class = None  # a short list answered whole

    read_capability = Cap.ENTERPRISE_VIEW

    @extend_schema(parameters=[s.EntFigureQuery], responses=s.EntFigureSerializer(many=True))
    def get(self, request):
        query = s.EntFigureQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = clock.today()
        start = query.validated_data.get("start") or dt.date(today.year, 1, 1)
        end = query.validated_data.get("end") or today
        if start > end:
            start = end
        scope = registry.Scope(viewer=request.user, start=start, end=end)
        rows = [
            {
                "code": m.code,
                "name": str(m.name),
                "definition": str(m.definition),
                "unit": m.unit,
                "value": registry.as_number(m.compute(scope)),
            }
            for m in METRICS
        ]
        return Response(s.EntFigureSerializer(rows, many=True).data)
