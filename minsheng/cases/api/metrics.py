"""GET /api/v1/cases/metrics/ and /api/v1/cases/efficiency/: the figures of cases.metrics and the board of
cases.efficiency over the cases the caller may see — the numbers the workbench pages show, for dashboards and
reports elsewhere. Bad parameters answer 400 with a message per field.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.accounts.api.base import CapabilityViewMixin, ScopedRelatedField
from minsheng.accounts.choices import Cap
from minsheng.org.models import Node

from .. import efficiency, metrics
from ..choices import Channel
from ..models import Case, CaseKind, Category


class PeriodQuery(serializers.Serializer):
    start = serializers.DateField(required=False, help_text=_("登记日期从（含）"))
    end = serializers.DateField(required=False, help_text=_("登记日期至（含）"))
    node = ScopedRelatedField(
        capability=Cap.CASES_VIEW, queryset=Node.objects.all(), required=False, help_text=_("区域（含下级）")
    )

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": _("结束日期不能早于开始日期")})
        return attrs


class MetricsQuery(PeriodQuery):
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.all(), required=False, help_text=_("分类编码（含下级）")
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    kind = serializers.SlugRelatedField(slug_field="code", queryset=CaseKind.objects.all(), required=False)
    by = serializers.ChoiceField(choices=list(metrics.DIMENSIONS), required=False, help_text=_("分组维度"))
    depth = serializers.IntegerField(
        min_value=1, max_value=5, required=False, help_text=_("按区域/分类分组的层级")
    )
    working_hours = serializers.BooleanField(default=False, help_text=_("同时计算工作小时口径的平均办理时长"))


class EfficiencyQuery(PeriodQuery):
    by = serializers.ChoiceField(choices=list(efficiency.BOARDS), default="lead_unit")


def _query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _cases(request, q: dict):
    return metrics.filter_cases(
        Case.objects.visible_to(request.user),
        start=q.get("start"),
        end=q.get("end"),
        node=q.get("node"),
        category=q.get("category"),
        channel=q.get("channel"),
        kind=q.get("kind"),
    )


class MetricsView(CapabilityViewMixin, APIView):
    read_capability = Cap.CASES_VIEW

    @extend_schema(parameters=[MetricsQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """Every figure for the period, and with ?by= one row per group; rates are 0–1 or null."""
        q = _query(MetricsQuery, request)
        qs = _cases(request, q)
        data = {
            "summary": metrics.summary(qs, working_hours=q["working_hours"]).as_dict(),
            "definitions": [
                {"key": d.key, "label": str(d.label), "formula": str(d.formula), "rate": d.rate}
                for d in metrics.DEFINITIONS
            ],
        }
        if q.get("by"):
            rows = metrics.breakdown(qs, by=q["by"], depth=q.get("depth"), working_hours=q["working_hours"])
            data["by"] = q["by"]
            data["breakdown"] = [
                {"key": row.key, "label": row.label, **row.metrics.as_dict()} for row in rows
            ]
        return Response(data)


class EfficiencyView(CapabilityViewMixin, APIView):
    read_capability = Cap.CASES_VIEW

    @extend_schema(parameters=[EfficiencyQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """The efficiency board per unit or per handler, red cards first, with the rules each row broke."""
        q = _query(EfficiencyQuery, request)
        board = efficiency.board(_cases(request, q), by=q["by"])
        return Response(
            {"by": q["by"], "rules": efficiency.card_rules(), "rows": [r.as_dict() for r in board]}
        )
