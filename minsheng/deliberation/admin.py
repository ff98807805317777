"""Configuration in the admin: meeting kinds (name, channel, default roles). Meetings, visits and contacts change
only through the actions, so they are read-only here."""

from django.contrib import admin

from .models import Meeting, MeetingKind, MeetingSeries, RedTeam, VisitCampaign


@admin.register(MeetingKind)
class MeetingKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "channel", "order", "is_active")
    list_editable = ("order", "is_active")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "node", "frequency", "holiday_policy", "is_active")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "node", "starts_at", "status")
    list_filter = ("kind", "status")


@admin.register(RedTeam)
class RedTeamAdmin(ReadOnlyAdmin):
    list_display = ("name", "node", "leader")


@admin.register(VisitCampaign)
class VisitCampaignAdmin(ReadOnlyAdmin):
    list_display = ("title", "node", "starts_on", "ends_on")
