from django.contrib import admin

from .models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    """Read-only: a retired consumer's heartbeat is deleted here so that `minsheng doctor` stops reporting it."""

    list_display = ["name", "host", "pid", "seen_at"]
    search_fields = ["name", "host"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
