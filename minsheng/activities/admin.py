"""Venues, kinds, series and the points rate are configuration the admin edits; events, registrations and check-ins change only through
activities.actions (they carry person-times and hours), so the admin shows them read-only."""

from django.contrib import admin

from minsheng.core.admin import ReadOnlyAdmin

from .models import (
    Certificate,
    CheckIn,
    DualMember,
    DualUnit,
    Evaluation,
    Event,
    EventKind,
    EventLog,
    Exchange,
    MarketItem,
    NeedItem,
    PointAccount,
    PointRule,
    PointTransfer,
    Project,
    Registration,
    Series,
    ServiceRecord,
    Shift,
    Team,
    Venue,
    Volunteer,
)


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "node", "capacity", "open_air", "is_active")
    list_filter = ("kind", "open_air", "is_active")
    search_fields = ("name", "address")


@admin.register(EventKind)
class EventKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "color", "sort", "is_active")


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "node", "kind", "per_territory")


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin):
    list_display = ("node", "points_per_hour", "max_hours_per_record")


# Everything that carries person-times, hours, points or a 双报到 record changes through the actions only.
for model in (
    Event,
    Registration,
    CheckIn,
    EventLog,
    Volunteer,
    Team,
    Shift,
    ServiceRecord,
    Certificate,
    PointAccount,
    PointTransfer,
    MarketItem,
    Exchange,
    DualUnit,
    DualMember,
    NeedItem,
    Project,
    Evaluation,
):
    admin.site.register(model, ReadOnlyAdmin)
