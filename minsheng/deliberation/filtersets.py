"""Filters of the meeting and visit lists, shared by the pages and the API."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from .choices import MeetingStatus, TargetStatus
from .models import Meeting, MeetingKind, VisitTarget


class MeetingFilter(df.FilterSet):
    kind = df.ModelChoiceFilter(queryset=MeetingKind.objects.all(), to_field_name="code", label=_("类型"))
    status = df.ChoiceFilter(choices=MeetingStatus.choices, label=_("状态"))
    under = df.NumberFilter(method="filter_under", label=_("地点（含下级）"))
    starts_after = df.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte", label=_("开始晚于"))
    starts_before = df.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt", label=_("开始早于"))
    series = df.NumberFilter(field_name="series_id", label=_("例会"))

    class Meta:
        model = Meeting
        fields = ["kind", "status", "under", "starts_after", "starts_before", "series"]

    def filter_under(self, queryset, name, value):
        from minsheng.org.models import Node

        node = Node.objects.filter(pk=value).first()
        return queryset.filter(node__path__startswith=node.path) if node else queryset.none()


class TargetFilter(df.FilterSet):
    campaign = df.NumberFilter(field_name="campaign_id", label=_("走访活动"))
    status = df.ChoiceFilter(choices=TargetStatus.choices, label=_("状态"))
    mine = df.BooleanFilter(method="filter_mine", label=_("只看分配给我的"))

    class Meta:
        model = VisitTarget
        fields = ["campaign", "status", "mine"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(visitor=self.request.user) if value else queryset
