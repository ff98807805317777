"""Clusters, greenhouses, devices and the threshold sets in the admin; alarms change only through iot.actions."""

from django.contrib import admin

from minsheng.core.admin import ReadOnlyAdmin

from .models import (
    Alarm,
    Cluster,
    CombinedCondition,
    CombinedRule,
    Gateway,
    Greenhouse,
    Sensor,
    Threshold,
    ThresholdOverride,
    ThresholdSet,
)


class ThresholdInline(admin.TabularInline):
    model = Threshold
    extra = 0


@admin.register(ThresholdSet)
class ThresholdSetAdmin(admin.ModelAdmin):
    inlines = [ThresholdInline]


for model in (Cluster, Greenhouse, Gateway, Sensor):
    admin.site.register(model)


@admin.register(Alarm)
class AlarmAdmin(ReadOnlyAdmin):
    """Alarms are raised and closed by the rules and the handlers' actions, never by hand."""


@admin.register(ThresholdOverride)
class ThresholdOverrideAdmin(admin.ModelAdmin):
    """Cluster or greenhouse overrides of the default thresholds (the staff page edits the same rows)."""

    list_display = ("__str__", "kind", "stage", "day_min", "day_max", "night_min", "night_max", "severity")
    list_filter = ("kind", "stage", "cluster")


class CombinedConditionInline(admin.TabularInline):
    model = CombinedCondition
    extra = 2
    min_num = 1


@admin.register(CombinedRule)
class CombinedRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "logic", "severity", "cluster", "greenhouse", "is_active")
    list_filter = ("is_active", "logic", "severity")
    inlines = [CombinedConditionInline]
