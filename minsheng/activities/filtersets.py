"""One filter set per list, shared by the pages and the API. References are plain ids: an id outside the user's
scope matches nothing rather than answering "exists"."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import EventStatus, RecordSource, RecordStatus, TeamKind, VolunteerStatus
from .models import Event, ServiceRecord, Volunteer


def _subtree(queryset, field: str, node_id):
    from minsheng.org.models import Node

    node = Node.objects.filter(pk=node_id).only("path").first()
    if node is None:
        return queryset.none()
    return queryset.filter(**{f"{field}__startswith": node.path})


class EventFilterSet(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind__code", label=_("类型"))
    status = django_filters.ChoiceFilter(choices=EventStatus.choices, label=_("状态"))
    node = django_filters.NumberFilter(method="filter_node", label=_("社区/村（含下级）"))
    venue = django_filters.NumberFilter(field_name="venue_id", label=_("场地"))
    series = django_filters.NumberFilter(field_name="series_id", label=_("系列"))
    start_after = django_filters.DateFilter(
        field_name="start", lookup_expr="date__gte", label=_("开始日期自")
    )
    start_before = django_filters.DateFilter(
        field_name="start", lookup_expr="date__lte", label=_("开始日期至")
    )
    search = django_filters.CharFilter(method="filter_search", label=_("名称或主办方"))

    class Meta:
        model = Event
        fields = ["kind", "status", "node", "venue", "series", "start_after", "start_before", "search"]

    def filter_node(self, queryset, name, value):
        return _subtree(queryset, "node__path", value)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(title__contains=value) | Q(organiser_name__contains=value))
            if value
            else queryset
        )


class VolunteerFilterSet(django_filters.FilterSet):
    node = django_filters.NumberFilter(method="filter_node", label=_("社区/村（含下级）"))
    team = django_filters.NumberFilter(field_name="teams", label=_("队伍"))
    status = django_filters.ChoiceFilter(choices=VolunteerStatus.choices, label=_("状态"))
    party = django_filters.BooleanFilter(field_name="is_party_member", label=_("党员"))
    search = django_filters.CharFilter(method="filter_search", label=_("姓名、编号或技能"))

    class Meta:
        model = Volunteer
        fields = ["node", "team", "status", "party", "search"]

    def filter_node(self, queryset, name, value):
        return _subtree(queryset, "node__path", value)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__contains=value) | Q(number__iexact=value) | Q(skills__contains=value))


class RecordFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RecordStatus.choices, label=_("状态"))
    source = django_filters.ChoiceFilter(choices=RecordSource.choices, label=_("来源"))
    team = django_filters.NumberFilter(field_name="team_id", label=_("队伍"))
    team_kind = django_filters.ChoiceFilter(
        field_name="team__kind", choices=TeamKind.choices, label=_("队伍类型")
    )
    volunteer = django_filters.NumberFilter(field_name="volunteer_id", label=_("志愿者"))
    served_after = django_filters.DateFilter(field_name="served_on", lookup_expr="gte", label=_("服务日期自"))
    served_before = django_filters.DateFilter(
        field_name="served_on", lookup_expr="lte", label=_("服务日期至")
    )

    class Meta:
        model = ServiceRecord
        fields = ["status", "source", "team", "team_kind", "volunteer", "served_after", "served_before"]
