"""Clusters, greenhouses, devices and the threshold sets in the admin; alarms change only through iot.actions."""

from django.contrib import admin

from .models import Alarm, Cluster, Gateway, Greenhouse, Sensor, Threshold, ThresholdSet


class ThresholdInline(admin.TabularInline):
    model = Threshold
    extra = 0


@admin.register(ThresholdSet)
class ThresholdSetAdmin(admin.ModelAdmin):
    inlines = [ThresholdInline]


for model in (Cluster, Greenhouse, Gateway, Sensor):
    admin.site.register(model)


@admin.register(Alarm)
class AlarmAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
