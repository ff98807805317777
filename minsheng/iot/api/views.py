"""The HTTP door for devices without MQTT: the same payloads as the broker's topics."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.accounts.api.base import CapabilityViewMixin
from minsheng.accounts.choices import Cap
from minsheng.core.scoping import get_visible_or_404

from .. import actions, retention, summary
from ..devices import GatewayTokenAuthentication, IsGateway
from ..ingest import ingest
from ..models import Alarm, Greenhouse, Sensor
from ..views.greenhouses import _cluster_rows
from .serializers import (
    AlarmSerializer,
    ClearSerializer,
    ClusterSerializer,
    GreenhouseSerializer,
    RangeSerializer,
    SensorSeriesSerializer,
    SeriesPointSerializer,
    represent,
)

MAX_BODY = 1024 * 1024


class GatewayTokenScheme(OpenApiAuthenticationExtension):
    """Documents the devices' `Authorization: Device <token>` header in the OpenAPI schema."""

    target_class = "minsheng.iot.devices.GatewayTokenAuthentication"
    name = "deviceToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Device <token>"}


class IngestView(APIView):
    """POST a SenML pack or plain JSON readings, authenticated as a gateway (`Authorization: Device <token>`).

    200 with counts when anything was accepted (the rejected records listed with reasons); 400 when nothing was.
    """

    authentication_classes = [GatewayTokenAuthentication]
    permission_classes = [IsGateway]

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT, "application/senml+json": OpenApiTypes.OBJECT},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 413: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        body = request.body
        if len(body) > MAX_BODY:
            return Response({"detail": _("数据包过大")}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        # The raw body, not request.data: the ingestion core decodes it and explains JSON errors itself.
        stats = ingest(body, gateway=request.auth)
        ok = stats.stored + stats.duplicates > 0 or not stats.rejected
        return Response(stats.as_dict(), status=status.HTTP_200_OK if ok else status.HTTP_400_BAD_REQUEST)


class IotViewMixin(CapabilityViewMixin):
    """The gate every app's API has (and the token's user in the audit log); each action checks `iot.handle` at
    the alarm's village itself, so writing needs no more than reading here."""

    read_capability = Cap.IOT_VIEW
    write_capability = Cap.IOT_VIEW


class AlarmViewSet(IotViewMixin, viewsets.ReadOnlyModelViewSet):
    """Alarms in the user's scope, newest first; `?status=active|cleared`, `?acknowledged=true|false`."""

    serializer_class = AlarmSerializer
    filterset_fields = ["status", "acknowledged", "severity", "greenhouse"]

    def get_queryset(self):
        return (
            Alarm.objects.visible_to(self.request.user, Cap.IOT_VIEW)
            .select_related("sensor", "greenhouse", "case")
            .order_by("-last_at", "-pk")
        )

    def _act(self, action, **kwargs):
        alarm = action(self.get_object(), actor=self.request.user, **kwargs)
        return Response(AlarmSerializer(alarm).data)

    @extend_schema(request=None, responses=AlarmSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._act(actions.acknowledge)

    @extend_schema(request=ClearSerializer, responses=AlarmSerializer)
    @action(detail=True, methods=["post"])
    def clear(self, request, pk=None):
        serializer = ClearSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._act(actions.clear, note=serializer.validated_data.get("note", ""))


class GreenhouseViewSet(IotViewMixin, viewsets.ReadOnlyModelViewSet):
    """Greenhouses in the user's scope, each with the roll-up of its active alarms."""

    serializer_class = GreenhouseSerializer
    filterset_fields = ["village", "cluster", "stage"]

    def get_queryset(self):
        return Greenhouse.objects.visible_to(self.request.user, Cap.IOT_VIEW).select_related("village")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._summaries = summary.by_greenhouse([g.pk for g in page])
        return page

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "_summaries", None) is not None:
            context["summaries"] = self._summaries
        return context

    @extend_schema(parameters=[RangeSerializer], responses=SensorSeriesSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def readings(self, request, pk=None):
        """The readings of the greenhouse's active sensors in `?start=&end=` (ISO 8601; default the last 24 h, at
        most 31 days), one entry per sensor: raw readings inside the raw retention window, hourly means with
        min/max/count before it. Two queries for the readings, whatever the number of sensors."""
        greenhouse = self.get_object()
        span = RangeSerializer(data=request.query_params)
        span.is_valid(raise_exception=True)
        sensors = list(greenhouse.sensors.filter(is_active=True).order_by("kind", "code"))
        series = retention.series_of(sensors, span.validated_data["start"], span.validated_data["end"])
        # Points as plain dicts (the schema is SensorSeriesSerializer's): a serializer instance per point cost
        # ≈ 0.2 ms, 60 of the 120 ms of a greenhouse-day (docs/benchmarks.md).
        rows = [
            {
                "sensor": s.pk,
                "code": s.code,
                "kind": s.kind,
                "unit": s.unit,
                "points": represent(series[s.pk]),
            }
            for s in sensors
        ]
        return Response(rows)


class ClusterSummaryView(IotViewMixin, generics.GenericAPIView):
    """Clusters holding greenhouses in the user's scope (id null: greenhouses in no cluster), with the roll-up of
    those greenhouses' active alarms."""

    serializer_class = ClusterSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return Greenhouse.objects.visible_to(self.request.user, Cap.IOT_VIEW)

    @extend_schema(responses=ClusterSerializer(many=True))
    def get(self, request):
        rows = []
        for row in _cluster_rows(self.get_queryset()):
            cluster = row["cluster"]
            rows.append(
                {
                    "id": cluster.pk if cluster else None,
                    "name": cluster.name if cluster else _("未划片区"),
                    "code": cluster.code if cluster else "",
                    "greenhouses": row["greenhouses"],
                    "alarm_summary": row["summary"].as_dict(),
                }
            )
        return Response(ClusterSerializer(rows, many=True).data)


class SensorReadingsView(IotViewMixin, generics.GenericAPIView):
    """Readings of one sensor in `?start=&end=` (ISO 8601; default the last 24 h, at most 31 days).

    Raw readings inside the raw retention window; before it (they are purged) hourly means with min/max/count.
    """

    serializer_class = SeriesPointSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(parameters=[RangeSerializer], responses=SeriesPointSerializer(many=True))
    def get(self, request, *args, **kwargs):
        sensor = get_visible_or_404(Sensor, request.user, Cap.IOT_VIEW, pk=self.kwargs["pk"])
        span = RangeSerializer(data=request.query_params)
        span.is_valid(raise_exception=True)
        points = retention.series(sensor, span.validated_data["start"], span.validated_data["end"])
        return Response(represent(points))
