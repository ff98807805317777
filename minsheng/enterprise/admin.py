"""系统配置 for enterprise services: the reference tables (sections, tags, stage limits, banks) are edited here;
enterprises, projects and ledger items are read-only here — they change through the pages and the actions."""

from django.contrib import admin

from .models import Bank, EnterpriseTag, Industry, StageLimit


@admin.register(StageLimit)
class StageLimitAdmin(admin.ModelAdmin):
    list_display = ("stage", "working_days", "warn_percent", "basis")
    list_editable = ("working_days", "warn_percent")


@admin.register(EnterpriseTag)
class EnterpriseTagAdmin(admin.ModelAdmin):
    list_display = ("name", "color", "order")
    list_editable = ("color", "order")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ("name",)
