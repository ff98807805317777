"""Monthly agri-input store inspections: the visit, its checklist items and photos."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedManager

from ..choices import (
    CheckResult,
)
from .registries import AgriInputStore


class StoreInspection(BaseModel):
    """A monthly inspection of an agri-input store; a 不符合 item opens a rectification case, and the re-check is
    another inspection pointing back at this one."""

    store = models.ForeignKey(AgriInputStore, on_delete=models.PROTECT, related_name="inspections")
    month = models.DateField(_("检查月份"), help_text=_("该月1日"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    inspected_at = models.DateTimeField(_("检查时间"))
    recheck_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rechecks",
        verbose_name=_("复查"),
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("整改"),
    )
    rectify_by = models.DateTimeField(
        _("整改期限"), null=True, blank=True, help_text=_("有不符合项时告知门店的整改期限，到期复查")
    )

    scope_path = "store__village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("农资门店检查")
        verbose_name_plural = _("农资门店检查")
        ordering = ["-inspected_at"]

    @property
    def findings(self):
        return [item for item in self.items.all() if item.result == CheckResult.NO]

    @property
    def recheck_overdue(self) -> bool:
        from minsheng.core import clock

        return bool(self.rectify_by and self.rectify_by < clock.now() and not self.rechecks.exists())


class InspectionItem(BaseModel):
    inspection = models.ForeignKey(StoreInspection, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("检查项"), max_length=30)
    result = models.CharField(_("结果"), max_length=5, choices=CheckResult.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["inspection", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "code"], name="agri_inspection_item_unique")
        ]


def inspection_photo_path(instance, filename: str) -> str:
    return f"agri/inspections/{instance.inspection_id}/{filename}"


class InspectionPhoto(BaseModel):
    """Evidence taken at the counter: a photo of one checklist item (`code`) or of the visit as a whole (blank)."""

    inspection = models.ForeignKey(StoreInspection, on_delete=models.CASCADE, related_name="photos")
    code = models.CharField(_("检查项"), max_length=30, blank=True)
    file = models.FileField(_("照片"), upload_to=inspection_photo_path)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")
        ordering = ["inspection", "pk"]
