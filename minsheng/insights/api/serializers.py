from rest_framework import serializers

from minsheng.core import parsing


class MetricSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    unit = serializers.CharField()
    domain = serializers.CharField()
    drill_down = serializers.BooleanField()


class ValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    node = serializers.IntegerField(allow_null=True)
    value = serializers.FloatField(allow_null=True, help_text="rates in percent, one decimal")
    previous = serializers.FloatField(allow_null=True)


class RowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    label = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="the row's page, empty when the domain has none")

    def get_label(self, obj) -> str:
        return str(obj)

    def get_url(self, obj) -> str:
        metric = self.context.get("metric")
        return metric.row_url(obj) if metric is not None and metric.row_url else ""


def _in_calendar(value):
    """A date the product can compute a period (and the period before it) for: core.parsing's calendar."""
    try:
        return parsing.parse_date(value)
    except parsing.InvalidValue as exc:
        raise serializers.ValidationError(str(exc)) from None


class ScopeQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    period = serializers.ChoiceField(choices=["week", "month", "quarter", "year"], required=False)
    node = serializers.IntegerField(required=False, min_value=1)

    def validate_start(self, value):
        return _in_calendar(value)

    def validate_end(self, value):
        return _in_calendar(value)

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": "结束日期早于开始日期"})
        return attrs
