"""承诺达标合格证 (《农产品质量安全承诺达标合格证管理办法》, 农业农村部令2025年第4号, in force 2026-02-01):
issue, batch issue, correct, void; the QR code and the printable PDF.

The commitment printed is the one the rules define in Art. 2 (未使用禁用农药、兽药及其他化合物且使用的常规农药、兽药
残留不超标); the basis is one of quality control, own test or commissioned test. A voided certificate is frozen.
"""

import io
import secrets
from decimal import Decimal, InvalidOperation

import qrcode
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.core import clock

from .actions import require_recorder
from .choices import CertificateBasis, CertificateStatus, CertificateStyle
from .models import Certificate

COMMITMENT = gettext_lazy("未使用禁用农药、兽药及其他化合物且使用的常规农药、兽药残留不超标。")
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


def qr_png(url: str) -> bytes:
    image = qrcode.make(url, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def pdf(certificate: Certificate, verify_url: str) -> bytes:
    """A one-page A6 certificate with the QR code. STSong-Light is a CID font every PDF reader carries, so no
    font file is embedded and nothing is fetched."""
    from reportlab.lib.pagesizes import A6
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A6)
    page.setTitle(certificate.number)
    width, height = A6
    page.setFont(font, 13)
    page.drawCentredString(width / 2, height - 14 * mm, str(_("承诺达标合格证")))
    lines = [
        (_("编号"), certificate.number),
        (_("样式"), certificate.get_style_display()),
        (_("农产品名称"), certificate.product_name),
        (_("数量"), f"{certificate.quantity.normalize():f} {certificate.unit}"),
        (_("产地"), certificate.origin),
        (_("开具主体"), certificate.producer.name),
        (_("联系方式"), certificate.contact_phone),
        (_("开具日期"), f"{certificate.issued_on:%Y-%m-%d}"),
        (_("承诺依据"), certificate.get_basis_display()),
    ]
    page.setFont(font, 8)
    y = height - 24 * mm
    for label, value in lines:
        page.drawString(8 * mm, y, f"{label}：{value}")
        y -= 5 * mm
    page.drawString(8 * mm, y - 1 * mm, str(_("我承诺：")) + str(COMMITMENT))
    if certificate.status == CertificateStatus.VOID:
        page.setFont(font, 20)
        page.drawCentredString(width / 2, height / 2, str(_("已作废")))
    page.drawImage(ImageReader(io.BytesIO(qr_png(verify_url))), width - 30 * mm, 6 * mm, 24 * mm, 24 * mm)
    page.showPage()
    page.save()
    return out.getvalue()
