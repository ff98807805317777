"""Configuration of the engine in the admin: kinds, categories, time limits, routing rules, units.

Cases themselves are read-only here: their state changes only through cases.actions (the workbench and the API).
"""

from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Case, CaseEvent, CaseKind, Category, RoutingRule, TimeLimit, Unit


@admin.register(CaseKind)
class CaseKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "requires_follow_up", "reopen_days", "is_active"]


@admin.register(Category)
class CategoryAdmin(TreeAdmin):
    form = movenodeform_factory(Category, exclude=["search_key"])
    list_display = ["name", "code", "is_active"]
    search_fields = ["name", "code", "search_key"]


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = [
        "category",
        "urgency",
        "accept_hours",
        "sign_hours",
        "finish_amount",
        "finish_unit",
        "needs_approval",
    ]
    list_filter = ["urgency", "finish_unit"]
    autocomplete_fields = ["category"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "node", "unit", "territorial", "note"]
    autocomplete_fields = ["category", "node", "unit"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "node", "leader", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "search_key"]
    autocomplete_fields = ["node", "leader", "members"]


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "verb", "actor_name", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "status", "category", "lead_unit", "reported_at", "finish_due"]
    list_filter = ["status", "kind", "channel", "urgency"]
    search_fields = ["number", "title"]
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Case._meta.fields] + ["co_units"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
