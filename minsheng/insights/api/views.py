"""Every registered figure over the API: the list, a value for a period and subtree, and the rows behind it."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from minsheng.accounts.api.base import CapabilityViewMixin
from minsheng.accounts.choices import Cap
from minsheng.core import metrics
from minsheng.core.metrics import MetricError, Scope
from minsheng.core.scoping import get_visible_or_404
from minsheng.org.models import Node

from .. import periods
from . import serializers as s


class _Base(CapabilityViewMixin, GenericAPIView):
    read_capability = Cap.INSIGHTS_VIEW
    write_capability = Cap.INSIGHTS_VIEW
    filter_backends = ()  # a figure's rows are narrowed by its scope, not by model filters

    def metric(self):
        try:
            return metrics.get(self.kwargs["code"])
        except MetricError:
            raise Http404 from None

    def scope(self):
        q = s.ScopeQuerySerializer(data=self.request.query_params)
        q.is_valid(raise_exception=True)
        data = q.validated_data
        if data.get("start") and data.get("end"):
            period = periods.Period(data["start"], data["end"])
        else:
            period = periods.current(data.get("period", "month"))
        node = None
        if data.get("node"):
            node = get_visible_or_404(
                Node.objects.visible_to(self.request.user, Cap.INSIGHTS_VIEW), pk=data["node"]
            )
        return period, node


class MetricList(_Base):
    serializer_class = s.MetricSerializer
    pagination_class = None

    @extend_schema(responses=s.MetricSerializer(many=True))
    def get(self, request):
        rows = [
            {
                "code": m.code,
                "name": str(m.name),
                "definition": str(m.definition),
                "unit": m.unit,
                "domain": m.domain,
                "drill_down": m.rows is not None,
            }
            for m in metrics.all_metrics()
        ]
        return Response(s.MetricSerializer(rows, many=True).data)


class MetricValue(_Base):
    serializer_class = s.ValueSerializer
    pagination_class = None

    @extend_schema(parameters=[s.ScopeQuerySerializer], responses=s.ValueSerializer)
    def get(self, request, code):
        metric = self.metric()
        period, node = self.scope()
        prev = period.previous()
        data = {
            "code": metric.code,
            "start": period.start,
            "end": period.end,
            "node": node.pk if node else None,
            "value": metrics.as_number(metric.compute(Scope(request.user, period.start, period.end, node))),
            "previous": metrics.as_number(metric.compute(Scope(request.user, prev.start, prev.end, node))),
        }
        return Response(s.ValueSerializer(data).data)


class MetricRows(_Base):
    serializer_class = s.RowSerializer

    @extend_schema(parameters=[s.ScopeQuerySerializer], responses=s.RowSerializer(many=True))
    def get(self, request, code):
        metric = self.metric()
        if metric.rows is None:
            raise Http404
        period, node = self.scope()
        qs = metric.rows(Scope(request.user, period.start, period.end, node))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.RowSerializer(page, many=True, context={"metric": metric}).data)
