from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import summary
from ..models import Alarm, Greenhouse, Reading


class AlarmSerializer(serializers.ModelSerializer):
    sensor = serializers.CharField(source="sensor.code", read_only=True)
    sensor_kind = serializers.CharField(source="sensor.kind", read_only=True)
    greenhouse_name = serializers.CharField(source="greenhouse.name", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)
    case_status = serializers.CharField(source="case.status", read_only=True, default=None)
    handled_by_case = serializers.BooleanField(read_only=True)

    class Meta:
        model = Alarm
        fields = [
            "id", "sensor", "sensor_kind", "greenhouse", "greenhouse_name", "type", "severity", "status",
            "acknowledged", "started_at", "last_at", "acked_at", "cleared_at", "count", "assignee", "case",
            "case_number", "case_status", "handled_by_case", "details",
        ]  # fmt: skip
        read_only_fields = fields


class ClearSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AlarmSummarySerializer(serializers.Serializer):
    """Active alarms rolled up: total, count per severity, the highest severity, unacknowledged."""

    total = serializers.IntegerField()
    by_severity = serializers.DictField(child=serializers.IntegerField())
    highest = serializers.CharField(allow_null=True)
    highest_label = serializers.CharField()
    unacknowledged = serializers.IntegerField()


class GreenhouseSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    alarm_summary = serializers.SerializerMethodField()

    class Meta:
        model = Greenhouse
        fields = [
            "id", "name", "code", "village", "village_name", "cluster", "crop", "area_mu", "stage", "lat", "lng",
            "alarm_summary",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(AlarmSummarySerializer)
    def get_alarm_summary(self, obj) -> dict:
        """From the page's summaries the view put in the context (one query per page), else one query."""
        summaries = self.context.get("summaries")
        if summaries is None:
            summaries = summary.by_greenhouse([obj.pk])
        return summaries.get(obj.pk, summary.Summary()).as_dict()


class ClusterSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    code = serializers.CharField()
    greenhouses = serializers.IntegerField()
    alarm_summary = AlarmSummarySerializer()


class ReadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reading
        fields = ["ts", "value"]


class SeriesPointSerializer(serializers.Serializer):
    """A raw reading, or (before the raw retention window) an hourly mean with its min, max and count."""

    ts = serializers.DateTimeField()
    value = serializers.FloatField()
    min = serializers.FloatField(required=False)
    max = serializers.FloatField(required=False)
    count = serializers.IntegerField(required=False)


def represent(points: list[dict]) -> list[dict]:
    """What SeriesPointSerializer(points, many=True).data gives (ISO 8601 in the current time zone, "Z" for UTC),
    without a serializer per point: DRF's field cost ≈ 0.3 ms a timestamp under load, most of a greenhouse-day's
    answer (docs/benchmarks.md)."""
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    out = []
    for point in points:
        text = point["ts"].astimezone(zone).isoformat()
        out.append({**point, "ts": text[:-6] + "Z" if text.endswith("+00:00") else text})
    return out


class SensorSeriesSerializer(serializers.Serializer):
    """One sensor of a greenhouse with its points in the range asked for."""

    sensor = serializers.IntegerField()
    code = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.CharField()
    points = SeriesPointSerializer(many=True)


class RangeSerializer(serializers.Serializer):
    """A time range of at most 31 days (start defaults to 24 h before end, end to now)."""

    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)

    def validate(self, attrs):
        import datetime as dt

        from minsheng.core import clock

        end = attrs.get("end") or clock.now()
        start = attrs.get("start") or end - dt.timedelta(hours=24)
        if start >= end:
            raise serializers.ValidationError({"start": _("开始时间必须早于结束时间")})
        if end - start > dt.timedelta(days=31):
            raise serializers.ValidationError({"end": _("时间范围不能超过31天")})
        return {"start": start, "end": end}
