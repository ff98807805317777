"""The 承诺达标合格证 on paper: its QR code and the printable A6 PDF (the commitment text of Art. 2 printed on it)."""

import io

import qrcode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import CertificateStatus
from .models import Certificate

COMMITMENT = gettext_lazy("未使用禁用农药、兽药及其他化合物且使用的常规农药、兽药残留不超标。")


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
