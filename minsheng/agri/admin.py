"""Reference data and registries in the admin. Samples, tests, certificates and inspections change only through
agri.actions (their state carries legal weight), so the admin shows them read-only."""

from django.contrib import admin

from .models import (
    AgriInputStore,
    Certificate,
    Commodity,
    CommodityAlias,
    MaximumResidueLimit,
    Pesticide,
    PesticideRule,
    Producer,
    Sample,
    StandardDoc,
    StoreInspection,
)

for model in (StandardDoc, Commodity, CommodityAlias, Pesticide, MaximumResidueLimit, PesticideRule):
    admin.site.register(model)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (Producer, AgriInputStore, Sample, Certificate, StoreInspection):
    admin.site.register(model, ReadOnlyAdmin)

# Ledgers, campaigns, tasks and duty change through agri.actions.ledgers; the admin shows them read-only.
from .models import (  # noqa: E402
    Campaign,
    DutyShift,
    PublicityRecord,
    ResponsibilityLetter,
    SamplingTask,
    WasteRecovery,
)

for model in (ResponsibilityLetter, PublicityRecord, WasteRecovery, Campaign, SamplingTask, DutyShift):
    admin.site.register(model, ReadOnlyAdmin)
