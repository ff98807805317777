"""The registries: producers (生产经营主体) and agri-input stores (农资店)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import BaseModel
from minsheng.core.pinyin import pinyin_key
from minsheng.core.scoping import ScopedManager

from ..choices import (
    ProducerKind,
)
from .reference import Commodity


class Producer(BaseModel):
    """A 生产经营主体 in a village: the party a failed sample is traced back to."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=ProducerKind.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    subject_code = models.CharField(_("主体码"), max_length=40, blank=True)
    village = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="agri_producers", verbose_name=_("所在村")
    )
    crops = models.ManyToManyField(
        Commodity, blank=True, related_name="producers", verbose_name=_("种植品种")
    )
    area_mu = models.DecimalField(_("面积(亩)"), max_digits=10, decimal_places=2, null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    search_key = models.CharField(max_length=300, blank=True, editable=False)

    pii_fields = ("phone",)
    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("生产经营主体")
        verbose_name_plural = _("生产经营主体")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Searching by pinyin (wjz, wangjiazhuang) is how a supervisor finds 王家庄 on a phone keyboard.
        self.search_key = pinyin_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)


class AgriInputStore(BaseModel):
    name = models.CharField(_("名称"), max_length=100)
    licence_no = models.CharField(_("农药经营许可证号"), max_length=50, blank=True)
    designated_outlet = models.BooleanField(_("限用农药定点经营"), default=False)
    village = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="agri_stores", verbose_name=_("所在村")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)

    scope_path = "village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("农资门店")
        verbose_name_plural = _("农资门店")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
