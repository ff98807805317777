"""Agricultural product quality-safety supervision, one module per area: reference data, registries, samples and
tests, certificates, store inspections, ledgers. Everything is importable from here (`from .models import Sample`);
migrations refer to the upload paths as `minsheng.agri.models.<function>`.
"""

from .certificates import Certificate
from .inspections import InspectionItem, InspectionPhoto, StoreInspection, inspection_photo_path
from .ledgers import (
    Campaign,
    CampaignProduct,
    DutyShift,
    PublicityRecord,
    ResponsibilityLetter,
    SamplingTask,
    WasteRecovery,
    letter_scan_path,
)
from .reference import (
    Commodity,
    CommodityAlias,
    CommodityQuerySet,
    MaximumResidueLimit,
    Pesticide,
    PesticideRule,
    StandardDoc,
)
from .registries import AgriInputStore, Producer
from .samples import LabResult, RapidTest, Sample

__all__ = [
    "AgriInputStore",
    "Campaign",
    "CampaignProduct",
    "Certificate",
    "Commodity",
    "CommodityAlias",
    "CommodityQuerySet",
    "DutyShift",
    "InspectionItem",
    "InspectionPhoto",
    "LabResult",
    "MaximumResidueLimit",
    "Pesticide",
    "PesticideRule",
    "Producer",
    "PublicityRecord",
    "RapidTest",
    "ResponsibilityLetter",
    "Sample",
    "SamplingTask",
    "StandardDoc",
    "StoreInspection",
    "WasteRecovery",
    "inspection_photo_path",
    "letter_scan_path",
]
