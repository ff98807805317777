from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Alarm, Greenhouse, Reading


class AlarmSerializer(serializers.ModelSerializer):
    sensor = serializers.CharField(source="sensor.code", read_only=True)
    sensor_kind = serializers.CharField(source="sensor.kind", read_only=True)
    greenhouse_name = serializers.CharField(source="greenhouse.name", read_only=True)

    class Meta:
        model = Alarm
        fields = [
            "id", "sensor", "sensor_kind", "greenhouse", "greenhouse_name", "type", "severity", "status",
            "acknowledged", "started_at", "last_at", "acked_at", "cleared_at", "count", "assignee", "case", "details",
        ]  # fmt: skip
        read_only_fields = fields


class ClearSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class GreenhouseSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = Greenhouse
        fields = [
            "id", "name", "code", "village", "village_name", "cluster", "crop", "area_mu", "stage", "lat", "lng",
        ]  # fmt: skip
        read_only_fields = fields


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
