"""The agri office's ledgers under /api/v1/agri/: responsibility letters (with the coverage), publicity, packaging
waste (with totals), campaigns, sampling tasks (weekly compliance, counting a sample towards a task, pre-holiday
suggestions), holiday duty (with the holiday periods of the calendar) and pass rates by level/commodity/campaign.

Reads go through `visible_to(user, "agri.view")`; writes through agri.actions.ledgers, which check `agri.record` or
`agri.manage` at the row's node (403), and answer bad input with field messages (400)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from minsheng.accounts.api.base import CapabilityViewMixin, ScopedRelatedField
from minsheng.core import clock
from minsheng.core.calendar import holiday_periods
from minsheng.org.models import Node

from .. import actions, metrics, queries
from ..choices import LetterLevel, SampleLevel, TaskKind
from ..models import (
    AgriInputStore,
    Campaign,
    CampaignProduct,
    Commodity,
    DutyShift,
    Pesticide,
    Producer,
    PublicityRecord,
    ResponsibilityLetter,
    Sample,
    SamplingTask,
    WasteRecovery,
)
from .serializers import PlainChoiceField


def _today() -> dt.date:
    return timezone.localdate(clock.now())


def _date_param(request, name: str) -> dt.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ApiValidationError({name: "日期格式应为 YYYY-MM-DD"}) from None


def _int_param(request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiValidationError({name: "应为整数"}) from None


class AgriLedgerMixin(CapabilityViewMixin):
    read_capability = "agri.view"
    # The actions decide at the row's node (agri.record or agri.manage); the gate only needs agri.view.
    write_capability = "agri.view"


# -- letters ---------------------------------------------------------------------------------------------------


class LetterSerializer(serializers.ModelSerializer):
    level = serializers.CharField(read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    producer_name = serializers.CharField(source="producer.name", default=None, read_only=True)
    supervisor_name = serializers.CharField(source="supervisor.display_name", default=None, read_only=True)
    has_scan = serializers.SerializerMethodField()

    class Meta:
        model = ResponsibilityLetter
        fields = [
            "id",
            "level",
            "year",
            "signed_on",
            "village",
            "village_name",
            "supervisor",
            "supervisor_name",
            "producer",
            "producer_name",
            "party_a",
            "party_b",
            "note",
            "has_scan",
        ]

    def get_has_scan(self, obj) -> bool:
        return bool(obj.scan)


class LetterInputSerializer(serializers.Serializer):
    level = PlainChoiceField(LetterLevel.choices)
    year = serializers.IntegerField()
    signed_on = serializers.DateField()
    village = ScopedRelatedField(capability="agri.record", queryset=Node.objects.all(), required=False)
    supervisor = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False
    )
    producer = ScopedRelatedField(capability="agri.view", queryset=Producer.objects.all(), required=False)
    party_a = serializers.CharField(max_length=100)
    party_b = serializers.CharField(max_length=100)
    scan = serializers.FileField(required=False)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class ScanInputSerializer(serializers.Serializer):
    scan = serializers.FileField()


class CoverageSerializer(serializers.Serializer):
    level = serializers.CharField()
    covered = serializers.IntegerField()
    total = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class LetterViewSet(
    AgriLedgerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    filterset_fields = {"year": ["exact"], "level": ["exact"], "village": ["exact"]}

    def get_queryset(self):
        return ResponsibilityLetter.objects.visible_to(self.request.user, "agri.view").select_related(
            "village", "supervisor", "producer"
        )

    def get_serializer_class(self):
        return LetterInputSerializer if self.action == "create" else LetterSerializer

    @extend_schema(request=LetterInputSerializer, responses={201: LetterSerializer})
    def create(self, request):
        data = self._valid(LetterInputSerializer)
        letter = actions.record_letter(actor=request.user, **data)
        return Response(LetterSerializer(letter).data, status=status.HTTP_201_CREATED)

    def _valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=ScanInputSerializer, responses={200: LetterSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def scan(self, request, pk=None):
        """Upload (or replace) the scan of the signed letter: PDF, JPG or PNG up to 10 MB."""
        letter = self.get_object()
        data = self._valid(ScanInputSerializer)
        actions.attach_scan(actor=request.user, letter=letter, scan=data["scan"])
        return Response(LetterSerializer(letter).data)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="年度，默认今年")],
        responses={200: CoverageSerializer(many=True)},
    )
    @action(detail=False, methods=["get"])
    def coverage(self, request):
        """Villages, supervisors and producers with a letter of the year over all of them, in the user's scope."""
        year = _int_param(request, "year", _today().year)
        rows = [
            {"level": level, "covered": c.covered, "total": c.total, "rate": c.rate}
            for level, c in metrics.letter_coverage(year, user=request.user).items()
        ]
        return Response(CoverageSerializer(rows, many=True).data)


# -- publicity and waste -----------------------------------------------------------------------------------------


class PublicitySerializer(serializers.ModelSerializer):
    village = ScopedRelatedField(capability="agri.record", queryset=Node.objects.all())

    class Meta:
        model = PublicityRecord
        fields = ["id", "given_on", "village", "place", "material", "quantity", "recipients"]
        extra_kwargs = {"quantity": {"min_value": 1}}


class PublicityViewSet(
    AgriLedgerMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = PublicitySerializer
    filterset_fields = {"village": ["exact"], "given_on": ["gte", "lte"]}

    def get_queryset(self):
        return PublicityRecord.objects.visible_to(self.request.user, "agri.view").select_related("village")

    def perform_create(self, serializer):
        serializer.instance = actions.record_publicity(actor=self.request.user, **serializer.validated_data)


class WasteSerializer(serializers.ModelSerializer):
    village = ScopedRelatedField(capability="agri.record", queryset=Node.objects.all(), required=False)
    store = ScopedRelatedField(capability="agri.view", queryset=AgriInputStore.objects.all(), required=False)

    class Meta:
        model = WasteRecovery
        fields = ["id", "recovered_on", "village", "store", "kg", "note"]


class WasteTotalsSerializer(serializers.Serializer):
    total_kg = serializers.DecimalField(max_digits=14, decimal_places=2)
    by_village = inline_serializer(
        "WasteByVillage",
        {
            "village_id": serializers.IntegerField(),
            "village__name": serializers.CharField(),
            "kg": serializers.DecimalField(max_digits=14, decimal_places=2),
        },
        many=True,
    )
    by_store = inline_serializer(
        "WasteByStore",
        {
            "store_id": serializers.IntegerField(),
            "store__name": serializers.CharField(),
            "kg": serializers.DecimalField(max_digits=14, decimal_places=2),
        },
        many=True,
    )
    by_month = inline_serializer(
        "WasteByMonth",
        {"month": serializers.DateField(), "kg": serializers.DecimalField(max_digits=14, decimal_places=2)},
        many=True,
    )


class WasteViewSet(AgriLedgerMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = WasteSerializer
    filterset_fields = {"village": ["exact"], "store": ["exact"], "recovered_on": ["gte", "lte"]}

    def get_queryset(self):
        return WasteRecovery.objects.visible_to(self.request.user, "agri.view").select_related(
            "village", "store"
        )

    def perform_create(self, serializer):
        serializer.instance = actions.record_waste(actor=self.request.user, **serializer.validated_data)

    @extend_schema(
        parameters=[OpenApiParameter("start", OpenApiTypes.DATE), OpenApiParameter("end", OpenApiTypes.DATE)],
        responses={200: WasteTotalsSerializer},
    )
    @action(detail=False, methods=["get"])
    def totals(self, request):
        """Kilograms recovered in the period: the total and the sums by village, store and month."""
        totals = metrics.waste_totals(
            self.get_queryset(), start=_date_param(request, "start"), end=_date_param(request, "end")
        )
        data = {
            "total_kg": totals.total_kg,
            "by_village": totals.by_village,
            "by_store": totals.by_store,
            "by_month": [
                {
                    "month": row["month"].date() if hasattr(row["month"], "date") else row["month"],
                    "kg": row["kg"],
                }
                for row in totals.by_month
            ],
        }
        return Response(WasteTotalsSerializer(data).data)


# -- campaigns ---------------------------------------------------------------------------------------------------


class CampaignProductSerializer(serializers.ModelSerializer):
    commodity = serializers.PrimaryKeyRelatedField(queryset=Commodity.objects.all())
    commodity_name = serializers.CharField(source="commodity.name", read_only=True)
    pesticides = serializers.PrimaryKeyRelatedField(
        queryset=Pesticide.objects.all(), many=True, required=False
    )
    pesticide_names = serializers.SlugRelatedField(
        source="pesticides", slug_field="name", many=True, read_only=True
    )

    class Meta:
        model = CampaignProduct
        fields = ["commodity", "commodity_name", "pesticides", "pesticide_names", "source"]


class CampaignSerializer(serializers.ModelSerializer):
    products = CampaignProductSerializer(many=True, required=False)

    class Meta:
        model = Campaign
        fields = ["id", "name", "start", "end", "basis", "description", "products"]


class CampaignViewSet(
    AgriLedgerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CampaignSerializer

    def get_queryset(self):
        return Campaign.objects.visible_to(self.request.user, "agri.view").prefetch_related(
            "products__commodity", "products__pesticides"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        products = [
            (p["commodity"], p.get("pesticides", []), p.get("source", "")) for p in data.pop("products", [])
        ]
        serializer.instance = actions.create_campaign(actor=self.request.user, products=products, **data)


# -- sampling tasks ----------------------------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    kind = PlainChoiceField(TaskKind.choices, required=False, default=TaskKind.ROUTINE)
    level = PlainChoiceField(SampleLevel.choices)
    node = ScopedRelatedField(capability="agri.manage", queryset=Node.objects.all())
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), required=False, allow_null=True
    )
    commodity = serializers.PrimaryKeyRelatedField(
        queryset=Commodity.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = SamplingTask
        fields = [
            "id",
            "name",
            "kind",
            "level",
            "node",
            "campaign",
            "commodity",
            "start",
            "end",
            "weekly_quota",
            "target",
            "holiday",
        ]
        read_only_fields = ["holiday"]


class TaskWeekSerializer(serializers.Serializer):
    iso_year = serializers.IntegerField()
    iso_week = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    count = serializers.IntegerField()
    minimum = serializers.IntegerField(allow_null=True)
    met = serializers.BooleanField(allow_null=True)


class AssignInputSerializer(serializers.Serializer):
    sample = ScopedRelatedField(capability="agri.view", queryset=Sample.objects.all())


class PreHolidaySerializer(serializers.Serializer):
    holiday = serializers.CharField(source="period.name")
    holiday_start = serializers.DateField(source="period.start")
    holiday_end = serializers.DateField(source="period.end")
    start = serializers.DateField()
    end = serializers.DateField()
    name = serializers.CharField()
    task = serializers.IntegerField(source="task.pk", default=None)


class TaskViewSet(
    AgriLedgerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TaskSerializer
    filterset_fields = {"level": ["exact"], "kind": ["exact"], "campaign": ["exact"]}

    def get_queryset(self):
        return queries.visible_tasks(self.request.user).select_related("campaign", "node", "commodity")

    def perform_create(self, serializer):
        serializer.instance = actions.create_task(actor=self.request.user, **serializer.validated_data)

    @extend_schema(responses={200: TaskWeekSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def compliance(self, request, pk=None):
        """Samples counted towards the task per ISO week of its period, against the weekly quota."""
        task = self.get_object()
        weeks = metrics.task_compliance(task, samples=Sample.objects.visible_to(request.user, "agri.view"))
        return Response(
            TaskWeekSerializer(
                [{**w.__dict__, "met": w.met} for w in weeks],
                many=True,
            ).data
        )

    @extend_schema(request=AssignInputSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Count one sample towards this task (same level, within the period, the commodity and the node)."""
        task = self.get_object()
        serializer = AssignInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        actions.assign_sample(actor=request.user, sample=serializer.validated_data["sample"], task=task)
        return Response(TaskSerializer(task).data)

    @extend_schema(responses={200: PreHolidaySerializer(many=True)})
    @action(detail=False, methods=["get"], url_path="pre-holiday")
    def pre_holiday(self, request):
        """The suggested 节前抽检: the N working days before each coming holiday period, with the task if made."""
        suggestions = queries.pre_holiday_suggestions(_today(), tasks=self.get_queryset())
        return Response(PreHolidaySerializer(suggestions, many=True).data)


# -- holiday duty ------------------------------------------------------------------------------------------------


class DutySerializer(serializers.ModelSerializer):
    node = ScopedRelatedField(capability="agri.manage", queryset=Node.objects.all())
    person = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.filter(is_active=True))
    person_name = serializers.CharField(source="person.display_name", read_only=True)

    class Meta:
        model = DutyShift
        fields = ["id", "day", "holiday", "node", "person", "person_name", "leader", "phone", "note"]
        read_only_fields = ["holiday"]


class HolidayPeriodSerializer(serializers.Serializer):
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class DutyViewSet(
    AgriLedgerMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = DutySerializer
    filterset_fields = {"day": ["exact", "gte", "lte"], "holiday": ["exact"]}

    def get_queryset(self):
        return queries.visible_duty(self.request.user).select_related("person", "node")

    def perform_create(self, serializer):
        serializer.instance = actions.assign_duty(actor=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        actions.remove_duty(actor=self.request.user, shift=instance)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="年份，默认今年")],
        responses={200: HolidayPeriodSerializer(many=True)},
    )
    @action(detail=False, methods=["get"])
    def holidays(self, request):
        """The statutory holiday periods of the year from the working-day calendar (empty if not covered yet)."""
        year = _int_param(request, "year", _today().year)
        if not 2000 <= year <= 2100:
            raise ApiValidationError({"year": "年份超出范围"})
        return Response(HolidayPeriodSerializer(holiday_periods(year), many=True).data)


# -- pass rates --------------------------------------------------------------------------------------------------


class PassRateRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    passed = serializers.IntegerField()
    failed = serializers.IntegerField()
    pending = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class PassRateViewSet(AgriLedgerMixin, viewsets.GenericViewSet):
    serializer_class = PassRateRowSerializer

    def get_queryset(self):
        return Sample.objects.visible_to(self.request.user, "agri.view")

    @extend_schema(
        parameters=[
            OpenApiParameter("by", str, enum=["level", "commodity", "campaign"], required=True),
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
        ],
        responses={200: PassRateRowSerializer(many=True)},
    )
    def list(self, request):
        """Pass rate grouped by level, commodity or campaign; cancelled and invalid samples left out."""
        by = request.query_params.get("by", "level")
        if by not in ("level", "commodity", "campaign"):
            raise ApiValidationError({"by": "可选 level、commodity、campaign"})
        rows = metrics.pass_rate_table(
            self.get_queryset(), by=by, start=_date_param(request, "start"), end=_date_param(request, "end")
        )
        data = [
            {"label": label, "passed": r.passed, "failed": r.failed, "pending": r.pending, "rate": r.rate}
            for label, r in rows
        ]
        return Response(PassRateRowSerializer(data, many=True).data)


def register(router) -> None:
    router.register("letters", LetterViewSet, basename="letter")
    router.register("publicity", PublicityViewSet, basename="publicity")
    router.register("waste", WasteViewSet, basename="waste")
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("tasks", TaskViewSet, basename="task")
    router.register("duty", DutyViewSet, basename="duty")
    router.register("pass-rates", PassRateViewSet, basename="pass-rate")
