"""Filters for the organisation registries, shared by the API and the list pages.

References to other rows are plain ids (a NumberFilter), not ModelChoiceFilters: an id outside the user's scope
simply matches nothing, instead of answering "that id exists" with a different error than an unknown one.
"""

import django_filters
from django.db.models import Q, Subquery
from django.utils.translation import gettext_lazy as _

from minsheng.core.filtersets import FilterSet

from .choices import AssignmentKind, NodeKind, PartyOrgKind, PartyPost, PropertyStatus
from .models import Assignment, EstateProperty, Grid, Household, Node, PartyMember, PartyOrg, Resident


def _node_path(node_id):
    return Subquery(Node.objects.filter(pk=node_id).values("path")[:1])


class UnderFilterSet(FilterSet):
    """`under=<node id>`: rows anywhere in that node's subtree — one prefix query on the row's scope path."""

    under = django_filters.NumberFilter(method="filter_under", label=_("所属节点（含下级）"))

    def filter_under(self, queryset, name, value):
        return queryset.filter(**{f"{queryset.model.scope_path}__startswith": _node_path(value)})


class NodeFilterSet(UnderFilterSet):
    kind = django_filters.ChoiceFilter(choices=NodeKind.choices, label=_("类型"))
    parent = django_filters.NumberFilter(method="filter_parent", label=_("上级节点（直接下级）"))
    search = django_filters.CharFilter(method="filter_search", label=_("名称、区划代码或拼音"))

    class Meta:
        model = Node
        fields = ["kind", "parent", "under", "search"]

    def filter_parent(self, queryset, name, value):
        parent = Node.objects.filter(pk=value)
        return queryset.filter(
            path__startswith=Subquery(parent.values("path")[:1]),
            depth=Subquery(parent.values("depth")[:1]) + 1,
        )

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value) | Q(code__startswith=value) | Q(search_key__icontains=value.lower())
        )


class GridFilterSet(UnderFilterSet):
    community = django_filters.NumberFilter(field_name="community_id", label=_("所属社区/村"))
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("网格员"))
    search = django_filters.CharFilter(method="filter_search", label=_("名称、编码或拼音"))

    class Meta:
        model = Grid
        fields = ["community", "worker", "under", "search"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value) | Q(code__startswith=value) | Q(search_key__icontains=value.lower())
        )


class PartyOrgFilterSet(UnderFilterSet):
    kind = django_filters.ChoiceFilter(choices=PartyOrgKind.choices, label=_("类型"))
    node = django_filters.NumberFilter(field_name="node_id", label=_("所在组织节点"))

    class Meta:
        model = PartyOrg
        fields = ["kind", "node", "under"]


class PartyMemberFilterSet(UnderFilterSet):
    party_org = django_filters.NumberFilter(field_name="party_org_id", label=_("所在党组织"))
    post = django_filters.ChoiceFilter(choices=PartyPost.choices, label=_("职务"))
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("姓名"))

    class Meta:
        model = PartyMember
        fields = ["party_org", "post", "under", "search"]


class AssignmentFilterSet(UnderFilterSet):
    kind = django_filters.ChoiceFilter(choices=AssignmentKind.choices, label=_("类型"))
    node = django_filters.NumberFilter(field_name="node_id", label=_("负责节点"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("当前有效"))

    class Meta:
        model = Assignment
        fields = ["kind", "node", "under", "current"]

    def filter_current(self, queryset, name, value):
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class EstatePropertyFilterSet(UnderFilterSet):
    status = django_filters.ChoiceFilter(choices=PropertyStatus.choices, label=_("物业状态"))
    company = django_filters.NumberFilter(field_name="company_id", label=_("物业企业"))
    is_red_property = django_filters.BooleanFilter(label=_("红色物业"))

    class Meta:
        model = EstateProperty
        fields = ["status", "company", "is_red_property", "under"]


class HouseholdFilterSet(UnderFilterSet):
    node = django_filters.NumberFilter(field_name="node_id", label=_("地址节点"))
    search = django_filters.CharFilter(field_name="head_name", lookup_expr="icontains", label=_("户主姓名"))

    class Meta:
        model = Household
        fields = ["node", "under", "search"]


class ResidentFilterSet(UnderFilterSet):
    tag = django_filters.CharFilter(field_name="tags__code", label=_("标签代码"))
    household = django_filters.NumberFilter(field_name="household_id", label=_("所属户"))
    search = django_filters.CharFilter(method="filter_search", label=_("姓名、拼音或手机号后四位"))

    class Meta:
        model = Resident
        fields = ["under", "tag", "household", "search"]

    def filter_search(self, queryset, name, value):
        """Name or pinyin; four digits also match the phone's last four (what a caller reads out on the phone).

        Only the last four: a full number would let anyone confirm a masked phone by guessing it.
        """
        value = value.strip()
        condition = Q(search_key__icontains=value.lower())
        if len(value) == 4 and value.isdigit():
            condition |= Q(phone__endswith=value)
        return queryset.filter(condition)
