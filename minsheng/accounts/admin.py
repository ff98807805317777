from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["node"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "phone", "title", "is_active"]
    search_fields = ["username", "display_name", "phone"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("民生"), {"fields": ("display_name", "phone", "title")}),
    )
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "node", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__display_name", "node__name"]
    autocomplete_fields = ["user", "node"]
