"""Read-mostly admin for the centre's records: changes go through the pages and the API (the actions), so the admin
lists and searches but does not add or edit."""

from django.contrib import admin

from minsheng.accounts.choices import Cap
from minsheng.core.admin import ReadOnlyAdmin

from .models import Dispute, Petition, ReceptionDay, Referral, Visit, WeeklyReport


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["visited_at", "name", "route", "is_first", "receiver"]
    list_filter = ["route", "is_first"]
    search_fields = ["name", "matter"]


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ["case", "type", "source", "risk", "outcome", "number", "accepted_at"]
    list_filter = ["type", "source", "risk", "outcome"]
    search_fields = ["number", "facts"]


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdmin):
    list_display = ["case", "stage", "form", "petitioner", "acceptance", "replied_at", "final"]
    list_filter = ["stage", "form", "acceptance", "final"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_cap(Cap.PETITION_VIEW)

    def has_module_permission(self, request):
        return request.user.has_cap(Cap.PETITION_VIEW)


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["case", "direction", "partner_name", "status", "successful", "sent_at"]
    list_filter = ["direction", "partner", "status"]


@admin.register(WeeklyReport)
class WeeklyReportAdmin(ReadOnlyAdmin):
    list_display = ["node", "week", "is_zero", "submitted_by"]
    list_filter = ["week", "is_zero"]


@admin.register(ReceptionDay)
class ReceptionDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "leader", "place", "capacity"]
