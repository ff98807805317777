"""The printed 志愿服务证明 (民政部令第67号: the volunteer's name, ID type and number, volunteer number; hours and
content; the issuer, person in charge, handler and contact; the certificate number and date) and the QR codes:
one on the certificate that anyone can scan to verify it, one on a resident's phone that the door scans."""

import io

import qrcode
import qrcode.image.svg
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from minsheng.core.masking import mask_id_number

from .choices import CertificateStatus
from .models import Certificate


def qr_png(text: str) -> bytes:
    image = qrcode.make(text, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def qr_svg(text: str) -> str:
    """An inline SVG QR code: the resident's check-in code, drawn on the page with no request of its own."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308 — generated from our own token


def pdf(certificate: Certificate, verify_url: str) -> bytes:
    """A4 portrait. STSong-Light is a CID font every PDF reader carries: nothing embedded, nothing fetched."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    v = certificate.volunteer
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setTitle(certificate.number)
    width, height = A4
    page.setFont(font, 22)
    page.drawCentredString(width / 2, height - 30 * mm, _("志愿服务证明"))
    page.setFont(font, 10)
    page.drawRightString(width - 20 * mm, height - 40 * mm, _("证明编号：%(n)s") % {"n": certificate.number})
    page.setFont(font, 12)
    y = height - 55 * mm
    body = _(
        "兹证明 %(name)s（证件类型：%(idt)s，证件号码：%(idn)s，志愿者编号：%(no)s）于 %(a)s 至 %(b)s 期间"
        "参加志愿服务 %(n)d 次，累计志愿服务时长 %(h)s 小时。"
    ) % {
        "name": v.name,
        "idt": v.get_id_type_display(),
        "idn": mask_id_number(v.id_number) if v.id_number else "—",
        "no": v.number,
        "a": f"{certificate.period_start:%Y年%m月%d日}",
        "b": f"{certificate.period_end:%Y年%m月%d日}",
        "n": certificate.record_count,
        "h": certificate.hours,
    }
    for line in _wrap(body, 38):
        page.drawString(20 * mm, y, line)
        y -= 7 * mm
    y -= 3 * mm
    page.setFont(font, 10)
    page.drawString(20 * mm, y, _("服务明细（日期 / 内容 / 时长 / 确认）："))
    y -= 6 * mm
    items = certificate.items
    shown = items[:24]
    for item in shown:
        line = f"{item['date']}  {item['content'][:34]}  {item['hours']} {_('小时')}  {item.get('confirmed_by', '')[:14]}"
        page.drawString(24 * mm, y, line)
        y -= 5.5 * mm
    if len(items) > len(shown):
        page.drawString(
            24 * mm, y, _("…… 另有 %(n)d 条记录，扫码核验可查看全部") % {"n": len(items) - len(shown)}
        )
        y -= 5.5 * mm
    y = min(y, 80 * mm)
    page.setFont(font, 11)
    lines = [
        _("出具单位：%(v)s（盖章）") % {"v": certificate.issuer},
        _("负责人：%(v)s    经办人：%(h)s    联系电话：%(c)s")
        % {"v": certificate.person_in_charge, "h": certificate.handler, "c": certificate.contact},
        _("出具日期：%(d)s") % {"d": f"{timezone.localtime(certificate.issued_at):%Y年%m月%d日}"},
    ]
    for line in lines:
        page.drawString(20 * mm, y, line)
        y -= 7 * mm
    page.setFont(font, 8)
    page.drawString(
        20 * mm, 18 * mm, _("本证明依据志愿服务记录出具（谁记录谁证明），扫描右侧二维码核验真伪。")
    )
    page.drawImage(ImageReader(io.BytesIO(qr_png(verify_url))), width - 50 * mm, 12 * mm, 30 * mm, 30 * mm)
    if certificate.status == CertificateStatus.REVOKED:
        page.setFont(font, 48)
        page.setFillColorRGB(0.8, 0.1, 0.1)
        page.drawCentredString(width / 2, height / 2, _("已作废"))
    page.showPage()
    page.save()
    return out.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]
