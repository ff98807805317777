"""Filters of the case lists, shared by the workbench and the API so both answer the same question the same way."""

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minsheng.core import clock, parsing
from minsheng.core.filtersets import FilterSet

from .choices import Channel, Status, Urgency
from .deadlines import overdue_q
from .models import Case, CaseKind, Category


class CaseFilter(FilterSet):
    status = df.MultipleChoiceFilter(choices=Status.choices, label=_("状态"))
    kind = df.ModelChoiceFilter(queryset=CaseKind.objects.all(), to_field_name="code", label=_("类型"))
    channel = df.ChoiceFilter(choices=Channel.choices, label=_("渠道"))
    urgency = df.ChoiceFilter(choices=Urgency.choices, label=_("紧急程度"))
    category = df.CharFilter(method="filter_category", label=_("分类（含下级）"))
    grid = df.NumberFilter(field_name="grid_id", label=_("网格"))
    under = df.NumberFilter(method="filter_under", label=_("地点（含下级）"))
    unit = df.NumberFilter(field_name="lead_unit_id", label=_("主办单位"))
    handler = df.NumberFilter(field_name="handler_id", label=_("承办人"))
    overdue = df.BooleanFilter(method="filter_overdue", label=_("超期"))
    due_before = df.IsoDateTimeFilter(field_name="finish_due", lookup_expr="lte", label=_("办结时限早于"))
    reported_after = df.IsoDateTimeFilter(field_name="reported_at", lookup_expr="gte", label=_("登记晚于"))
    reported_before = df.IsoDateTimeFilter(field_name="reported_at", lookup_expr="lt", label=_("登记早于"))
    q = df.CharFilter(method="filter_q", label=_("搜索"))

    class Meta:
        model = Case
        fields = [
            "status",
            "kind",
            "channel",
            "urgency",
            "category",
            "grid",
            "under",
            "unit",
            "handler",
            "overdue",
        ]

    def filter_category(self, qs, name, value):
        category = Category.objects.filter(code=value).first()
        if category is None and parsing.is_id(value):
            category = Category.objects.filter(pk=value).first()
        if category is None:
            return qs.none()
        return qs.filter(category__path__startswith=category.path)

    def filter_under(self, qs, name, value):
        from minsheng.org.models import Node

        node = Node.objects.filter(pk=value).first()
        return qs.filter(node__path__startswith=node.path) if node else qs.none()

    def filter_overdue(self, qs, name, value):
        overdue = overdue_q(clock.now())
        return qs.filter(overdue) if value else qs.exclude(overdue)

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(search_key__icontains=value.lower())
        )
