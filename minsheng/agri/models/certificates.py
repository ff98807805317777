"""承诺达标合格证: the certificate a producer issues with a batch."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedManager

from ..choices import (
    CertificateBasis,
    CertificateStatus,
    CertificateStyle,
)
from .reference import Commodity
from .registries import Producer


class Certificate(BaseModel):
    """A 承诺达标合格证 issued for one batch. Once voided it is frozen: the actions refuse any further change.

    `token` is what the QR code carries: the printed number is sequential and guessable, the token is not."""

    number = models.CharField(_("合格证编号"), max_length=20, unique=True)
    token = models.CharField(max_length=32, unique=True, editable=False)
    style = models.CharField(_("样式"), max_length=20, choices=CertificateStyle.choices)
    producer = models.ForeignKey(
        Producer, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("开具主体")
    )
    commodity = models.ForeignKey(
        Commodity, on_delete=models.PROTECT, related_name="+", verbose_name=_("品种")
    )
    product_name = models.CharField(_("农产品名称"), max_length=100)
    quantity = models.DecimalField(
        _("数量"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit = models.CharField(_("单位"), max_length=10, default="kg")
    origin = models.CharField(_("产地"), max_length=200)
    contact_phone = models.CharField(_("联系方式"), max_length=20)
    basis = models.CharField(_("承诺依据"), max_length=20, choices=CertificateBasis.choices)
    upstream_numbers = models.CharField(_("上游合格证编号"), max_length=500, blank=True)
    issued_on = models.DateField(_("开具日期"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    pii_fields = ("contact_phone",)
    scope_path = "producer__village__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("承诺达标合格证")
        verbose_name_plural = _("承诺达标合格证")
        ordering = ["-issued_on", "-number"]

    def __str__(self) -> str:
        return self.number
