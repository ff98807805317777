"""One filter set per list, shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minsheng.cases.choices import DONE_STATES, VOID_STATES

from .choices import EventKind, LedgerState, SizeClass, Stage
from .models import Enterprise, EnterpriseEvent, EnterpriseTag, Industry, Problem, Project

#: Ids beyond this are no ids (and would overflow an integer column's comparison on some databases).
MAX_ID = 2**53


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("名称/拼音/信用代码"))
    industry = django_filters.ModelChoiceFilter(queryset=Industry.objects.all(), label=_("行业"))
    size = django_filters.ChoiceFilter(choices=SizeClass.choices, label=_("规模"))
    tag = django_filters.ModelChoiceFilter(
        queryset=EnterpriseTag.objects.all(), field_name="tags", label=_("标签")
    )
    node = django_filters.NumberFilter(
        field_name="node_id", label=_("社区/村"), min_value=1, max_value=MAX_ID
    )

    class Meta:
        model = Enterprise
        fields = ["q", "industry", "size", "tag", "node"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value) | Q(search_key__icontains=value.lower()) | Q(credit_code=value.upper())
        )


class ProjectFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("阶段"))
    owner = django_filters.NumberFilter(
        field_name="owner_id", label=_("负责人"), min_value=1, max_value=MAX_ID
    )
    supervised = django_filters.BooleanFilter(field_name="is_supervised", label=_("督办中"))
    q = django_filters.CharFilter(method="search", label=_("项目/投资方"))

    class Meta:
        model = Project
        fields = ["stage", "owner", "supervised", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(investor__icontains=value) | Q(number=value.strip())
        )


class ProblemFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=LedgerState.choices, method="by_state", label=_("状态"))
    enterprise = django_filters.NumberFilter(
        field_name="enterprise_id", label=_("企业"), min_value=1, max_value=MAX_ID
    )
    q = django_filters.CharFilter(method="search", label=_("企业/问题"))

    class Meta:
        model = Problem
        fields = ["state", "enterprise", "q"]

    def by_state(self, queryset, name, value):
        if value == LedgerState.CLOSED:
            return queryset.filter(closed_at__isnull=False)
        open_items = queryset.filter(closed_at__isnull=True)
        if value == LedgerState.AWAITING:
            return open_items.filter(case__status__in=DONE_STATES)
        if value == LedgerState.VOID:
            return open_items.filter(case__status__in=VOID_STATES)
        return open_items.exclude(case__status__in=DONE_STATES | VOID_STATES)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(case__title__icontains=value)
            | Q(case__number=value.strip())
        )


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("类型"))
    year = django_filters.NumberFilter(
        field_name="held_on__year", label=_("年度"), min_value=2000, max_value=2100
    )

    class Meta:
        model = EnterpriseEvent
        fields = ["kind", "year"]
