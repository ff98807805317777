"""Filters of the agri registries for the API. References are plain ids (an id outside the user's scope matches
nothing rather than answering "exists"), as in org.filtersets."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minsheng.core.filtersets import FilterSet

from .choices import CheckResult, ProducerKind
from .models import AgriInputStore, Producer, StoreInspection


class ProducerFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(choices=ProducerKind.choices, label=_("类型"))
    village = django_filters.NumberFilter(field_name="village_id", label=_("所在村"))
    crop = django_filters.CharFilter(method="filter_crop", label=_("种植品种（名称）"))
    search = django_filters.CharFilter(method="filter_search", label=_("名称、拼音或信用代码"))

    class Meta:
        model = Producer
        fields = ["kind", "village", "crop", "search"]

    def filter_crop(self, queryset, name, value):
        return queryset.filter(crops__name=value.strip()).distinct()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__contains=value)
            | Q(search_key__contains=value.lower())
            | Q(credit_code__iexact=value)
            | Q(subject_code__iexact=value)
        )


class StoreFilterSet(FilterSet):
    village = django_filters.NumberFilter(field_name="village_id", label=_("所在村"))
    designated_outlet = django_filters.BooleanFilter(label=_("限用农药定点经营"))
    search = django_filters.CharFilter(method="filter_search", label=_("名称或许可证号"))

    class Meta:
        model = AgriInputStore
        fields = ["village", "designated_outlet", "search"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(licence_no__icontains=value))


class InspectionFilterSet(FilterSet):
    store = django_filters.NumberFilter(field_name="store_id", label=_("门店"))
    month = django_filters.DateFilter(label=_("检查月份（该月1日）"))
    findings = django_filters.BooleanFilter(method="filter_findings", label=_("有不符合项"))

    class Meta:
        model = StoreInspection
        fields = ["store", "month", "findings"]

    def filter_findings(self, queryset, name, value):
        has = Q(items__result=CheckResult.NO)
        return (queryset.filter(has) if value else queryset.exclude(has)).distinct()
