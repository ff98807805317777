"""The field LIMS under /api/v1/agri/: samples (read through the user's scope; another village's sample is 404),
recording a sample with its first rapid test and the repeats (through agri.actions: 403 outside the recorder's
villages, 400 with field messages on bad input), and the commodity search with aliases."""

from django.db import transaction
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from minsheng.accounts.api.base import CapabilityViewMixin

from .. import actions
from ..choices import SampleLevel, SampleStatus
from ..models import Commodity, Sample
from . import serializers as s


def _reading(sample, actor, data):
    return actions.record_rapid_test(
        actor=actor,
        sample=sample,
        method=data["method"],
        delta_a0=data.get("delta_a0"),
        delta_at=data.get("delta_at"),
        pesticide=data.get("pesticide"),
        positive=data.get("positive"),
    )


class SampleViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    # Recording is checked by the actions at the sample's village (村级监管员 and the 街道's recorders), not by a
    # registry-editing capability the supervisors do not hold.
    write_capability = "org.view"
    filterset_fields = {"level": ["exact"], "status": ["exact"], "village": ["exact"]}
    ordering_fields = ["sampled_at"]

    def get_queryset(self):
        return (
            Sample.objects.visible_to(self.request.user)
            .select_related("commodity", "village", "producer", "sampler")
            .prefetch_related("rapid_tests__pesticide", "rapid_tests__tester", "lab_results__pesticide")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return s.FieldRecordInputSerializer
        if self.action == "rapid_tests":
            return s.ReadingInputSerializer
        return s.SampleDetailSerializer if self.action == "retrieve" else s.SampleSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("level", str, enum=SampleLevel.values),
            OpenApiParameter("status", str, enum=SampleStatus.values),
            OpenApiParameter("village", int),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.FieldRecordInputSerializer, responses={201: s.SampleDetailSerializer})
    def create(self, request):
        """抽样 and its first reading in one go: both are recorded or neither."""
        serializer = s.FieldRecordInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            sample = actions.record_sample(
                actor=request.user,
                commodity=data["commodity"],
                village=data["village"],
                level=data["level"],
                producer=data.get("producer"),
                stall=data["stall"],
                certificate_shown=data["certificate_shown"],
            )
            _reading(sample, request.user, data)
        return Response(
            s.SampleDetailSerializer(self.get_queryset().get(pk=sample.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.ReadingInputSerializer, responses={201: s.SampleDetailSerializer})
    @action(detail=True, methods=["post"], url_path="rapid-tests")
    def rapid_tests(self, request, pk=None):
        """A further reading: the repeats a positive or suspect first reading gets."""
        sample = self.get_object()
        serializer = s.ReadingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _reading(sample, request.user, serializer.validated_data)
        return Response(
            s.SampleDetailSerializer(self.get_queryset().get(pk=sample.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class CommodityViewSet(CapabilityViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CommoditySerializer
    filter_backends: list = []

    @extend_schema(parameters=[OpenApiParameter("q", str, description="名称或别名的一部分，如 豆角")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = Commodity.objects.select_related("parent__parent__parent").prefetch_related("aliases")
        q = self.request.query_params.get("q", "").strip()
        if q:
            qs = qs.filter(Q(name__contains=q) | Q(aliases__name__contains=q)).distinct()
        return qs.order_by("pk")
