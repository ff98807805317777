"""会议纪要 printed: a Word document (python-docx) to edit and file, a PDF (reportlab) to post or hand out, and the
QR code participants scan to sign in.

The PDF uses STSong-Light, a CID font every PDF reader carries, so no font file is embedded and nothing is fetched.
"""

import io

import qrcode
from django.utils.translation import gettext as _

from minsheng.core.calendar import TZ

from . import queries
from .actions.meetings import headcount
from .choices import ParticipantRole, TopicSource


def qr_png(url: str) -> bytes:
    image = qrcode.make(url, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _sections(meeting) -> list[tuple[str, list[str]]]:
    """The minutes as headed lists of lines — one source for both printouts."""
    roles = dict(ParticipantRole.choices)
    start = meeting.starts_at.astimezone(TZ)
    end = meeting.ends_at.astimezone(TZ)
    counts = headcount(meeting)
    head = [
        _("会议类型：%(k)s") % {"k": meeting.kind.name},
        _("时间：%(d)s %(s)s–%(e)s") % {"d": f"{start:%Y-%m-%d}", "s": f"{start:%H:%M}", "e": f"{end:%H:%M}"},
        _("地点：%(p)s（%(n)s）") % {"p": meeting.place, "n": meeting.node.full_name or meeting.node.name},
        _("召集人：%(c)s") % {"c": meeting.convenor},
        _("参会人数：共%(n)d人（%(detail)s）")
        % {
            "n": sum(counts.values()),
            "detail": "，".join(f"{roles.get(r, r)}{n}人" for r, n in counts.items()),
        },
    ]
    attendees = [
        f"{a.name}（{a.get_role_display()}{('·' + a.organisation) if a.organisation else ''}）"
        for a in meeting.attendance.all()
    ]
    agenda = []
    for topic in meeting.topics.select_related("carried_item__case"):
        if topic.source == TopicSource.CARRIED and topic.carried_item:
            outcome = queries.item_outcome(topic.carried_item)
            agenda.append(_("【遗留】%(t)s —— %(s)s") % {"t": topic.title, "s": outcome["label"]})
        else:
            agenda.append(f"{topic.title}（{topic.get_source_display()}）")
    items = []
    for n, item in enumerate(meeting.items.select_related("case").order_by("pk"), start=1):
        outcome = queries.item_outcome(item)
        number = f" {item.case.number}" if item.case else ""
        who = f"（{item.raised_by}）" if item.raised_by else ""
        items.append(f"{n}. {item.text}{who} —— {outcome['label']}{number}")
    votes = [
        _("%(s)s：参与表决%(pa)s㎡/%(po)d人，同意%(ya)s㎡/%(yo)d人，%(r)s")
        % {
            "s": v.subject,
            "pa": v.participating_area,
            "po": v.participating_owners,
            "ya": v.yes_area,
            "yo": v.yes_owners,
            "r": v.get_result_display(),
        }
        for v in meeting.votes.all()
    ]
    sections = [("", head)]
    if attendees:
        sections.append((_("签到人员"), ["、".join(attendees)]))
    sections.append((_("议程"), agenda or [_("（无）")]))
    sections.append((_("会议纪要"), meeting.minutes.splitlines() or [_("（未填写）")]))
    sections.append((_("提出的事项及办理情况"), items or [_("（无）")]))
    if votes:
        sections.append((_("表决"), votes))
    return sections


def docx(meeting) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    # Word picks the East Asian font from its own attribute; without it Chinese falls back to the Latin font.
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")
    document.add_heading(_("%(t)s 会议纪要") % {"t": meeting.title}, level=1)
    for heading, lines in _sections(meeting):
        if heading:
            document.add_heading(heading, level=2)
        for line in lines:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf(meeting) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=8)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=18, spaceBefore=8, spaceAfter=2)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=16, wordWrap="CJK")
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, title=meeting.title)
    story = [Paragraph(escape(_("%(t)s 会议纪要") % {"t": meeting.title}), title)]
    for head, lines in _sections(meeting):
        if head:
            story.append(Paragraph(escape(head), heading))
        for line in lines:
            story.append(Paragraph(escape(line) or "&nbsp;", body))
    story.append(Spacer(1, 6 * mm))
    doc.build(story)
    return out.getvalue()
