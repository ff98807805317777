"""/api/v1/cluster/: growers, orchards, harvests and sales, techniques, trainings, live-stream sessions, agreements
and the figures.

Reads go through `visible_to`; changes go through the actions, so a refused input answers 400 with field messages
(a sale larger than its harvest, a session for someone never trained), a row outside the caller's scope 404 and a
missing capability 403.
"""

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.accounts.api.base import CapabilityViewMixin
from minsheng.core import metrics as registry

from .. import actions
from ..metrics import METRICS
from ..models import Agreement, Grower, Harvest, Orchard, Sale, StreamSession, Technique, Training
from . import serializers as s

VIEW = "cluster.view"
RECORD = "cluster.record"


class _Base(CapabilityViewMixin):
    read_capability = VIEW
    write_capability = RECORD


class GrowerViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """种植户. Phones are masked unless the caller may see personal data."""

    serializer_class = s.CherryGrowerSerializer
    filterset_fields = ["village"]

    def get_queryset(self):
        return Grower.objects.visible_to(self.request.user, VIEW).select_related("village").order_by("pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["unmasked"] = self.request.user.has_cap("org.view_pii")
        return context


class OrchardViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CherryOrchardSerializer
    filterset_fields = ["village", "variety", "kind", "grower"]

    def get_queryset(self):
        return (
            Orchard.objects.visible_to(self.request.user, VIEW)
            .select_related("village", "grower")
            .order_by("pk")
        )


class HarvestViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    filterset_fields = ["orchard", "season", "grade"]

    def get_queryset(self):
        return Harvest.objects.visible_to(self.request.user, VIEW).order_by("-pk")

    def get_serializer_class(self):
        return s.CherryHarvestInputSerializer if self.action == "create" else s.CherryHarvestSerializer

    @extend_schema(request=s.CherryHarvestInputSerializer, responses={201: s.CherryHarvestSerializer})
    def create(self, request: Request) -> Response:
        data = s.CherryHarvestInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        harvest = actions.do_record_harvest(
            d["orchard"],
            actor=request.user,
            harvested_on=d["harvested_on"],
            yield_kg=d["yield_kg"],
            grade=d["grade"],
        )
        return Response(s.CherryHarvestSerializer(harvest).data, status=status.HTTP_201_CREATED)


class SaleViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    filterset_fields = ["harvest", "channel", "platform"]

    def get_queryset(self):
        return Sale.objects.visible_to(self.request.user, VIEW).order_by("-pk")

    def get_serializer_class(self):
        return s.CherrySaleInputSerializer if self.action == "create" else s.CherrySaleSerializer

    @extend_schema(request=s.CherrySaleInputSerializer, responses={201: s.CherrySaleSerializer})
    def create(self, request: Request) -> Response:
        data = s.CherrySaleInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        sale = actions.do_record_sale(
            d["harvest"],
            actor=request.user,
            channel=d["channel"],
            platform=d["platform"],
            volume_kg=d["volume_kg"],
            price=d["price"],
            sold_on=d["sold_on"],
            buyer=d["buyer"],
        )
        return Response(s.CherrySaleSerializer(sale).data, status=status.HTTP_201_CREATED)


class TechniqueViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CherryTechniqueSerializer

    def get_queryset(self):
        return Technique.objects.visible_to(self.request.user, VIEW).order_by("pk")


class TrainingViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Trainings; registration and check-in are the activities engine's (/api/v1/activities/)."""

    serializer_class = s.CherryTrainingSerializer
    filterset_fields = ["kind", "village"]

    def get_queryset(self):
        return (
            Training.objects.visible_to(self.request.user, VIEW)
            .select_related("event")
            .annotate(
                checkins=Count("event__checkins", distinct=True),
                registered=Count("event__registrations", distinct=True),
            )
            .order_by("-pk")
        )


class SessionViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    filterset_fields = ["seller", "platform"]

    def get_queryset(self):
        return (
            StreamSession.objects.visible_to(self.request.user, VIEW).select_related("seller").order_by("-pk")
        )

    def get_serializer_class(self):
        return s.CherrySessionInputSerializer if self.action == "create" else s.CherrySessionSerializer

    @extend_schema(request=s.CherrySessionInputSerializer, responses={201: s.CherrySessionSerializer})
    def create(self, request: Request) -> Response:
        data = s.CherrySessionInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        session = actions.do_record_session(
            d["seller"],
            actor=request.user,
            platform=d["platform"],
            held_on=d["held_on"],
            products=d["products"],
            orders=d["orders"],
            sales_yuan=d["sales_yuan"],
        )
        return Response(s.CherrySessionSerializer(session).data, status=status.HTTP_201_CREATED)


class AgreementViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CherryAgreementSerializer
    filterset_fields = ["kind", "village"]

    def get_queryset(self):
        return Agreement.objects.visible_to(self.request.user, VIEW).order_by("-pk")


class FiguresView(_Base, APIView):
    """GET /api/v1/cluster/figures/: every figure of the cluster for a period (this year by default)."""

    pagination_class = None  # a short list answered whole

    @extend_schema(parameters=[s.CherryFigureQuery], responses=s.CherryFigureSerializer(many=True))
    def get(self, request: Request) -> Response:
        query = s.CherryFigureQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
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
        return Response(s.CherryFigureSerializer(rows, many=True).data)
