"""The field LIMS under /api/v1/agri/: samples (read through the user's scope; another village's sample is 404),
recording a sample with its first rapid test and the repeats (through agri.actions: 403 outside the recorder's
villages, 400 with field messages on bad input), and the commodity search with aliases."""

import datetime as dt
import json

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from minsheng.accounts.api.base import CapabilityViewMixin
from minsheng.core import clock

from .. import actions, filtersets, queries
from ..choices import SampleLevel, SampleStatus
from ..models import AgriInputStore, Certificate, Commodity, Producer, Sample, StoreInspection
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
        card_invalid=data.get("card_invalid", False),
    )


class SampleViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    # Reading needs agri.view; recording agri.record somewhere, and the actions check it at the sample's village
    # (a 村级监管员 records only in his own villages).
    read_capability = "agri.view"
    write_capability = "agri.record"
    filterset_fields = {"level": ["exact"], "status": ["exact"], "village": ["exact"]}
    ordering_fields = ["sampled_at"]

    def get_queryset(self):
        return (
            Sample.objects.visible_to(self.request.user, "agri.view")
            .select_related("commodity", "village", "producer", "sampler")
            .prefetch_related("rapid_tests__pesticide", "rapid_tests__tester", "lab_results__pesticide")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return s.FieldRecordInputSerializer
        if self.action == "rapid_tests":
            return s.ReadingInputSerializer
        if self.action == "lab_results":
            return s.LabInputSerializer
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
                follow_up_of=data.get("follow_up_of"),
            )
            if data.get("task") is not None:
                actions.assign_sample(actor=request.user, sample=sample, task=data["task"])
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

    @extend_schema(request=s.LabInputSerializer, responses={201: s.SampleDetailSerializer})
    @action(detail=True, methods=["post"], url_path="lab-results")
    def lab_results(self, request, pk=None):
        """定量确证: each pesticide's mg/kg, judged on the sample date (limit in force, or banned on that crop)."""
        sample = self.get_object()
        serializer = s.LabInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = [(row["pesticide"], row["mg_per_kg"]) for row in serializer.validated_data["results"]]
        actions.record_lab_results(actor=request.user, sample=sample, results=rows)
        return Response(
            s.SampleDetailSerializer(self.get_queryset().get(pk=sample.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses=s.SampleSerializer(many=True))
    @action(detail=False, url_path="awaiting-follow-up")
    def awaiting_follow_up(self, request):
        """跟踪复抽 tasks: failed samples not yet sampled again."""
        qs = actions.awaiting_follow_up(self.get_queryset()).order_by("sampled_at")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.SampleSerializer(page, many=True).data)


# -- registries and inspections ----------------------------------------------------------------------------


class RegistryViewSet(
    CapabilityViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Create and update go through agri.actions: 403 outside the recorder's villages, 400 on bad input."""

    read_capability = "agri.view"
    write_capability = "agri.record"
    http_method_names = ["get", "post", "patch", "head", "options"]


class ProducerViewSet(RegistryViewSet):
    """生产经营主体. `search` matches the name, its pinyin (wjz) and the credit or subject code."""

    filterset_class = filtersets.ProducerFilterSet
    ordering_fields = ["name", "pk"]

    def get_queryset(self):
        return (
            Producer.objects.visible_to(self.request.user, "agri.view")
            .select_related("village")
            .prefetch_related("crops")
        )

    def get_serializer_class(self):
        return s.ProducerDetailSerializer if self.action == "retrieve" else s.ProducerSerializer

    def retrieve(self, request, *args, **kwargs):
        producer = self.get_object()
        samples = (
            Sample.objects.visible_to(request.user, "agri.view")
            .filter(producer=producer)
            .select_related("commodity")
            .prefetch_related("follow_ups")
        )
        certificates = Certificate.objects.visible_to(request.user, "agri.view").filter(producer=producer)
        context = {**self.get_serializer_context(), "samples": samples, "certificates": certificates}
        return Response(s.ProducerDetailSerializer(producer, context=context).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        crops = data.pop("crops", [])
        serializer.instance = actions.create_producer(actor=self.request.user, crops=crops, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        crops = data.pop("crops", None)
        serializer.instance = actions.update_producer(
            actor=self.request.user, producer=serializer.instance, crops=crops, **data
        )


class StoreViewSet(RegistryViewSet):
    """农资门店."""

    serializer_class = s.StoreSerializer
    filterset_class = filtersets.StoreFilterSet
    ordering_fields = ["name", "pk"]

    def get_queryset(self):
        return AgriInputStore.objects.visible_to(self.request.user, "agri.view").select_related("village")

    def perform_create(self, serializer):
        serializer.instance = actions.create_store(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = actions.update_store(
            actor=self.request.user, store=serializer.instance, **serializer.validated_data
        )


class InspectionViewSet(
    CapabilityViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """农资门店检查: a tri-state checklist; any "no" opens a rectification case, `recheck_of` links the re-check."""

    read_capability = "agri.view"
    write_capability = "agri.record"
    filterset_class = filtersets.InspectionFilterSet
    ordering_fields = ["inspected_at"]

    def get_queryset(self):
        return (
            StoreInspection.objects.visible_to(self.request.user, "agri.view")
            .select_related("store", "inspector", "case")
            .prefetch_related("items", "photos")
        )

    def get_serializer_class(self):
        return s.InspectionInputSerializer if self.action == "create" else s.InspectionSerializer

    @extend_schema(request=s.InspectionInputSerializer, responses={201: s.InspectionSerializer})
    def create(self, request):
        data = request.data
        if hasattr(data, "getlist"):
            # multipart: answers/notes come as JSON strings beside the photo files.
            data = {key: data.get(key) for key in ("store", "recheck_of", "note")}
            for key in ("answers", "notes"):
                raw = request.data.get(key)
                try:
                    data[key] = json.loads(raw) if raw else ({} if key == "notes" else None)
                except ValueError:
                    return Response({key: [_("须为JSON对象")]}, status=status.HTTP_400_BAD_REQUEST)
            data = {k: v for k, v in data.items() if v is not None}
        serializer = s.InspectionInputSerializer(data=data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        v = serializer.validated_data
        photos = [("", f) for f in request.FILES.getlist("photos")]
        for code in v["answers"]:
            photos += [(code, f) for f in request.FILES.getlist(f"photo_{code}")]
        inspection = actions.record_inspection(
            actor=request.user,
            store=v["store"],
            answers=v["answers"],
            notes=v.get("notes", {}),
            recheck_of=v.get("recheck_of"),
            note=v.get("note", ""),
            photos=photos,
        )
        return Response(
            s.InspectionSerializer(
                self.get_queryset().get(pk=inspection.pk), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[OpenApiParameter("month", str, description="YYYY-MM，默认本月")],
        responses={
            200: {
                "type": "object",
                "properties": {
                    "month": {"type": "string"},
                    "inspected": {"type": "integer"},
                    "stores": {"type": "integer"},
                    "rows": {"type": "array", "items": {"type": "object"}},
                },
            }
        },
    )
    @action(detail=False)
    def schedule(self, request):
        """The month's due list: each store, its 村级监管员, done or not, and the coverage."""
        today = timezone.localdate(clock.now())
        try:
            month = dt.datetime.strptime(request.query_params.get("month", ""), "%Y-%m").date()
        except ValueError:
            if request.query_params.get("month"):
                return Response({"month": [_("格式应为 YYYY-MM")]}, status=status.HTTP_400_BAD_REQUEST)
            month = today.replace(day=1)
        rows = queries.schedule(
            month.year, month.month, stores=AgriInputStore.objects.visible_to(request.user, "agri.view")
        )
        return Response(
            {
                "month": f"{month:%Y-%m}",
                "inspected": sum(1 for r in rows if r.done),
                "stores": len(rows),
                "rows": [
                    {
                        "store": r.store.pk,
                        "store_name": r.store.name,
                        "village": r.store.village.name,
                        "supervisors": [str(u) for u in r.supervisors],
                        "done": r.done,
                        "inspection": r.inspection.pk if r.inspection else None,
                        "case": r.inspection.case_id if r.inspection else None,
                    }
                    for r in rows
                ],
            }
        )


class CommodityViewSet(CapabilityViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CommoditySerializer
    read_capability = "agri.view"
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
