"""承诺达标合格证 (《农产品质量安全承诺达标合格证管理办法》, 农业农村部令2025年第4号, in force 2026-02-01):
issue, batch issue, correct, void (the QR code and the PDF are printing.py's).

The commitment printed is the one the rules define in Art. 2 (未使用禁用农药、兽药及其他化合物且使用的常规农药、兽药
残留不超标); the basis is one of quality control, own test or commissioned test. A voided certificate is frozen.
"""

import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import clock

from ..choices import CertificateBasis, CertificateStatus, CertificateStyle
from ..models import Certificate
from .samples import require_recorder

NUMBER_PREFIX = "HGZ"

#: Fields a correction may change while the certificate is valid.
EDITABLE = ("product_name", "quantity", "unit", "origin", "contact_phone", "basis", "upstream_numbers")


def _next_number(day) -> str:
    """HGZ + issue date + a four-digit sequence of that day: HGZ20260520-0001."""
    prefix = f"{NUMBER_PREFIX}{day:%Y%m%d}-"
    last = Certificate.objects.filter(number__startswith=prefix).order_by("-number").first()
    sequence = int(last.number[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _clean(fields: dict) -> dict:
    errors = {}
    if fields.get("style") not in CertificateStyle.values:
        errors["style"] = _("请选择合格证样式")
    if fields.get("basis") not in CertificateBasis.values:
        errors["basis"] = _("请选择承诺依据")
    try:
        fields["quantity"] = Decimal(str(fields.get("quantity")))
    except (InvalidOperation, TypeError):
        errors["quantity"] = _("数量必须是数字")
    for name in ("product_name", "origin", "contact_phone", "unit", "upstream_numbers"):
        fields[name] = str(fields.get(name) or "").strip()
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def issue_certificate(
    *,
    actor,
    producer,
    commodity,
    style: str,
    quantity,
    basis: str,
    origin: str,
    contact_phone: str,
    product_name: str = "",
    unit: str = "kg",
    upstream_numbers: str = "",
) -> Certificate:
    require_recorder(actor, producer.village)
    fields = _clean(
        {
            "style": style,
            "basis": basis,
            "quantity": quantity,
            "product_name": product_name or (commodity.name if commodity else ""),
            "origin": origin,
            "contact_phone": contact_phone,
            "unit": unit or "kg",
            "upstream_numbers": upstream_numbers,
        }
    )
    today = timezone.localdate(clock.now())
    certificate = Certificate(
        number=_next_number(today),
        token=secrets.token_urlsafe(16),
        producer=producer,
        commodity=commodity,
        issued_on=today,
        issued_by=actor,
        **fields,
    )
    certificate.full_clean(
        exclude=["number", "producer", "commodity", "issued_by", "token"], validate_unique=False
    )
    for attempt in range(3):
        # two issuers at the same moment may draw the same number: the unique index refuses one, who draws again
        try:
            with transaction.atomic():
                certificate.save()
            return certificate
        except IntegrityError:
            if attempt == 2:
                raise
            certificate.pk = None
            certificate.number = _next_number(today)
    return certificate


def issue_batch(*, actor, count: int, **fields) -> list[Certificate]:
    """批量开具: `count` certificates of the same batch description (one per package or vehicle)."""
    if not 1 <= count <= 500:
        raise ValidationError({"count": _("一次可开具1至500张")})
    with transaction.atomic():
        return [issue_certificate(actor=actor, **fields) for _i in range(count)]


@transaction.atomic
def correct_certificate(*, actor, certificate: Certificate, **changes) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    require_recorder(actor, certificate.producer.village)
    if certificate.status == CertificateStatus.VOID:
        raise ValidationError(_("已作废的合格证不能修改"))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("这些字段不能修改：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    current = {name: getattr(certificate, name) for name in EDITABLE}
    fields = _clean({**current, **changes, "style": certificate.style})
    for name in EDITABLE:
        setattr(certificate, name, fields[name])
    certificate.full_clean(exclude=["producer", "commodity", "issued_by", "token"], validate_unique=False)
    certificate.save()
    return certificate


@transaction.atomic
def void_certificate(*, actor, certificate: Certificate, reason: str) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    require_recorder(actor, certificate.producer.village)
    if certificate.status == CertificateStatus.VOID:
        raise ValidationError(_("该合格证已作废"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写作废原因")})
    certificate.status = CertificateStatus.VOID
    certificate.void_reason = reason.strip()[:200]
    certificate.voided_at = clock.now()
    certificate.save(update_fields=["status", "void_reason", "voided_at", "updated_at"])
    return certificate
