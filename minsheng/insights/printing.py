"""The work report and the 效能通报 as Word (python-docx) and PDF (reportlab; STSong-Light is a CID font every PDF
reader carries, so no font file is embedded — as agri's certificates)."""

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx(
    title: str, subtitle: str, head: Sequence[str], rows: Sequence[Sequence[str]], note: str = ""
) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(title, 0)
    doc.add_paragraph(subtitle)
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    if note:
        doc.add_paragraph(note)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf(
    title: str, subtitle: str, head: Sequence[str], rows: Sequence[Sequence[str]], note: str = ""
) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    h1 = ParagraphStyle("h1", fontName=font, fontSize=18, leading=24, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, title=title)
    data = [[Paragraph(str(h), body) for h in head]] + [[Paragraph(str(c), body) for c in r] for r in rows]
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [Paragraph(title, h1), Paragraph(subtitle, body), Spacer(1, 4 * mm), table]
    if note:
        story += [Spacer(1, 3 * mm), Paragraph(note, body)]
    doc.build(story)
    return out.getvalue()


def report_table(rows) -> tuple[list[str], list[list[str]]]:
    head = [_("指标"), _("原文数字"), _("本期数值"), _("口径")]
    body = [
        [
            str(r["label"]),
            r["article"],
            r["value"] if r["metric"] else _("未接入"),
            str(r["metric"].definition) if r["metric"] else "",
        ]
        for r in rows
    ]
    return head, body


def efficiency_table(registered, records) -> tuple[list[str], list[list[str]]]:
    head = [_("对象"), _("类别"), *[str(d.label) for d in registered], _("计分"), _("亮牌")]
    body = [
        [
            r.label,
            _("个人") if r.kind == "person" else _("单位"),
            *[str(r.by_duty.get(d.code, 0)) for d in registered],
            str(r.score),
            r.card_label,
        ]
        for r in records
    ]
    return head, body
