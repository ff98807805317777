"""Venues and kinds are configuration the admin edits; events, registrations and check-ins change only through
activities.actions (they carry person-times and hours), so the admin shows them read-only."""

from django.contrib import admin

from .models import CheckIn, Event, EventKind, EventLog, Registration, Series, Venue


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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (Event, Registration, CheckIn, EventLog):
    admin.site.register(model, ReadOnlyAdmin)
