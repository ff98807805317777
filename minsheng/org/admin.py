from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import (
    Assignment,
    EstateProperty,
    Grid,
    Household,
    Node,
    PartyMember,
    PartyOrg,
    PropertyCompany,
    Resident,
    ResidentTag,
)


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    """Read-only. The tree changes through the org pages and `org.actions` (a node's 调整隶属 on the 行政层级 page):
    there a move rewrites the full names, the stored scopes and the case-number prefixes below it, which a raw
    edit or a drag here would skip."""

    list_display = ["name", "kind", "code", "full_name"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "search_key"]
    ordering = ["path"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "community", "worker"]
    search_fields = ["code", "name", "search_key"]
    autocomplete_fields = ["community", "worker", "deputies", "nodes"]


@admin.register(PartyOrg)
class PartyOrgAdmin(TreeAdmin):
    form = movenodeform_factory(PartyOrg)
    list_display = ["name", "kind", "node"]
    autocomplete_fields = ["node"]
    search_fields = ["name"]


@admin.register(PartyMember)
class PartyMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "post", "party_org", "led_node"]
    list_filter = ["post"]
    search_fields = ["name"]
    autocomplete_fields = ["party_org", "led_node", "resident", "user", "households"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["kind", "node", "user", "party_member", "valid_from", "valid_to"]
    list_filter = ["kind"]
    autocomplete_fields = ["node", "user", "party_member"]


@admin.register(PropertyCompany)
class PropertyCompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "is_street_led", "contact"]
    search_fields = ["name"]


@admin.register(EstateProperty)
class EstatePropertyAdmin(admin.ModelAdmin):
    list_display = ["node", "status", "company", "is_red_property", "has_owners_committee"]
    list_filter = ["status", "is_red_property", "has_owners_committee"]
    autocomplete_fields = ["node", "company"]


@admin.register(ResidentTag)
class ResidentTagAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["address", "head_name"]
    search_fields = ["address", "head_name"]
    autocomplete_fields = ["node"]


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["name", "gender", "node"]
    search_fields = ["name", "search_key"]
    autocomplete_fields = ["node", "household", "user"]
    list_filter = ["tags"]
