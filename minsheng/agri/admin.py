"""Reference data and registries in the admin. Samples, tests, certificates and inspections change only through
agri.actions (their state carries legal weight), so the admin shows them read-only."""

from django.contrib import admin

from minsheng.core.admin import ReadOnlyAdmin

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
