"""API keys for Open311 clients: issued, named and switched off here by the 街道 administrator."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from minsheng.core.admin import ReadOnlyAdmin

from .models import Open311Key, Submission


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "short_key", "created_at"]
    list_filter = ["active"]
    search_fields = ["name"]
    readonly_fields = ["key", "created_at", "updated_at"]
    fields = ["name", "active", "key", "created_at", "updated_at"]

    @admin.display(description=_("密钥"))
    def short_key(self, obj) -> str:
        return f"{obj.key[:6]}…"


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    """Read-only: submissions are written only by the POST requests endpoint."""

    list_display = ["pk", "key", "media_url", "created_at"]
    list_filter = ["key"]
