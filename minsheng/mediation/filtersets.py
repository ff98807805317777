"""One filter set per list, shared by the pages' query strings and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import (
    Direction,
    DisputeSource,
    DisputeType,
    Outcome,
    Partner,
    PetitionForm,
    PetitionStage,
    ReferralStatus,
    RiskGrade,
    Route,
)
from .models import Dispute, Petition, Referral, Visit


class VisitFilterSet(django_filters.FilterSet):
    route = django_filters.ChoiceFilter(choices=Route.choices, label=_("分流去向"))
    is_first = django_filters.BooleanFilter(label=_("初信初访"))
    since = django_filters.DateFilter(field_name="visited_at", lookup_expr="date__gte", label=_("起"))
    until = django_filters.DateFilter(field_name="visited_at", lookup_expr="date__lte", label=_("止"))

    class Meta:
        model = Visit
        fields = ["route", "is_first", "since", "until"]


class DisputeFilterSet(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=DisputeType.choices, label=_("纠纷类型"))
    source = django_filters.ChoiceFilter(choices=DisputeSource.choices, label=_("来源"))
    risk = django_filters.ChoiceFilter(choices=RiskGrade.choices, label=_("风险"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("结果"))

    class Meta:
        model = Dispute
        fields = ["type", "source", "risk", "outcome"]


class PetitionFilterSet(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=PetitionStage.choices, label=_("阶段"))
    form = django_filters.ChoiceFilter(choices=PetitionForm.choices, label=_("形式"))
    is_first = django_filters.BooleanFilter(label=_("初信初访"))
    final = django_filters.BooleanFilter(label=_("终结"))

    class Meta:
        model = Petition
        fields = ["stage", "form", "is_first", "final"]


class ReferralFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices, label=_("状态"))
    partner = django_filters.ChoiceFilter(choices=Partner.choices, label=_("对接单位"))
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("方向"))

    class Meta:
        model = Referral
        fields = ["status", "partner", "direction"]
