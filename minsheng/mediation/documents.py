"""The printed papers: 人民调解协议书 (docx and PDF), the case file (卷宗) as one PDF, the petition reply
(答复意见书) and the weekly report (周报) as docx.

PDFs use STSong-Light, a CID font every PDF reader carries, so no font file is embedded and nothing is fetched."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.calendar import TZ

from .choices import OtherRoute, Outcome

FONT = "STSong-Light"


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value, TZ).date()
    return _("%(y)d年%(m)d月%(d)d日") % {"y": value.year, "m": value.month, "d": value.day}


def _party_lines(dispute) -> list[str]:
    lines = []
    for p in dispute.parties.all():
        lines.append(
            _("%(role)s：%(name)s，身份证号：%(id)s，住址：%(addr)s，联系电话：%(phone)s")
            % {
                "role": p.get_role_display(),
                "name": p.name,
                "id": p.id_number or "—",
                "addr": p.address or "—",
                "phone": p.phone or "—",
            }
        )
    return lines


def agreement_sections(dispute) -> list[tuple[str, str]]:
    """第29条's contents, in order: parties; facts, points in dispute and responsibilities; what was agreed, how
    and by when it is performed; the signatures."""
    performance = dispute.performance_method or _("按协议内容履行")
    if dispute.performance_by:
        performance += _("，履行期限：%(d)s") % {"d": _date(dispute.performance_by)}
    return [
        (_("当事人"), "\n".join(_party_lines(dispute))),
        (_("纠纷主要事实、争议事项及各方当事人的责任"), f"{dispute.facts}\n{dispute.disputed_points}"),
        (_("经调解，自愿达成如下协议"), dispute.agreed_terms),
        (_("履行方式、时限"), performance),
        (
            _("说明"),
            _(
                "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
                "本协议一式%(n)d份，当事人各执一份，人民调解委员会留存一份。当事人可以自本协议生效之日起三十日内"
                "共同向人民法院申请司法确认。"
            )
            % {"n": dispute.parties.count() + 1},
        ),
    ]


def agreement_docx(dispute) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(12)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_("人民调解协议书"))
    run.bold = True
    run.font.size = Pt(18)
    number = doc.add_paragraph(dispute.number)
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for heading, text in agreement_sections(dispute):
        p = doc.add_paragraph()
        p.add_run(heading + "：").bold = True
        for line in (text or "").splitlines() or [""]:
            doc.add_paragraph(line)
    doc.add_paragraph("")
    for p in dispute.parties.all():
        doc.add_paragraph(
            _("%(role)s（签名、盖章或按指印）：%(name)s") % {"role": p.get_role_display(), "name": "________"}
        )
    mediators = "、".join(str(m.user) for m in dispute.mediators.filter(active=True))
    doc.add_paragraph(_("人民调解员（签名）：%(m)s") % {"m": mediators})
    doc.add_paragraph(_("人民调解委员会（印章）"))
    doc.add_paragraph(_date(dispute.ended_at))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


class _Pdf:
    """A minimal flowing-text PDF writer on reportlab's canvas (A4, wrapped CJK lines, page breaks)."""

    def __init__(self, title: str):
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        if FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        self.metrics = pdfmetrics
        self.out = io.BytesIO()
        self.page = canvas.Canvas(self.out, pagesize=A4)
        self.page.setTitle(title)
        self.width, self.height = A4
        self.margin = 56
        self.y = self.height - self.margin

    def _need(self, h: float) -> None:
        if self.y - h < self.margin:
            self.new_page()

    def new_page(self) -> None:
        self.page.showPage()
        self.y = self.height - self.margin

    def title(self, text: str, size: int = 18) -> None:
        self._need(size * 2)
        self.page.setFont(FONT, size)
        self.page.drawCentredString(self.width / 2, self.y - size, text)
        self.y -= size * 2.2

    def right(self, text: str, size: int = 11) -> None:
        self.page.setFont(FONT, size)
        self.page.drawRightString(self.width - self.margin, self.y - size, text)
        self.y -= size * 1.8

    def text(self, text: str, size: int = 11, indent: float = 0, bold_heading: str = "") -> None:
        width = self.width - 2 * self.margin - indent
        content = (bold_heading + "：" if bold_heading else "") + (text or "")
        for paragraph in content.splitlines() or [""]:
            line = ""
            for ch in paragraph:
                if self.metrics.stringWidth(line + ch, FONT, size) > width:
                    self._line(line, size, indent)
                    line = ""
                line += ch
            self._line(line, size, indent)

    def _line(self, line: str, size: int, indent: float) -> None:
        self._need(size * 1.6)
        self.page.setFont(FONT, size)
        self.page.drawString(self.margin + indent, self.y - size, line)
        self.y -= size * 1.6

    def gap(self, h: float = 8) -> None:
        self.y -= h

    def finish(self) -> bytes:
        self.page.showPage()
        self.page.save()
        return self.out.getvalue()


def _agreement_into(pdf: _Pdf, dispute) -> None:
    pdf.title(_("人民调解协议书"))
    pdf.right(dispute.number)
    for heading, text in agreement_sections(dispute):
        pdf.text(text, bold_heading=heading)
        pdf.gap()
    for p in dispute.parties.all():
        pdf.text(_("%(role)s（签名、盖章或按指印）：________") % {"role": p.get_role_display()})
    mediators = "、".join(str(m.user) for m in dispute.mediators.filter(active=True))
    pdf.text(_("人民调解员（签名）：%(m)s") % {"m": mediators})
    pdf.text(_("人民调解委员会（印章）"))
    pdf.right(_date(dispute.ended_at))


def agreement_pdf(dispute) -> bytes:
    pdf = _Pdf(dispute.number)
    _agreement_into(pdf, dispute)
    return pdf.finish()


def dossier_items(dispute) -> list[dict]:
    """The 司法部 template's 13 items: whether each is present in the record, and whether it is required."""
    has_written = dispute.outcome == Outcome.WRITTEN
    ended = dispute.outcome != Outcome.PENDING
    return [
        {"name": _("调解申请书 / 受理登记表"), "required": True, "present": True},
        {"name": _("人民调解权利义务告知书"), "required": True, "present": dispute.sessions.exists()},
        {
            "name": _("当事人身份证明"),
            "required": True,
            "present": all(p.id_number or p.resident_id for p in dispute.parties.all()),
        },
        {"name": _("授权委托书"), "required": False, "present": False},
        {"name": _("调查记录"), "required": False, "present": False},
        {"name": _("证据材料"), "required": False, "present": bool(dispute.signed_scan)},
        {"name": _("调解记录"), "required": True, "present": dispute.sessions.exists()},
        {
            "name": _("调解协议书"),
            "required": dispute.outcome in (Outcome.WRITTEN, Outcome.ORAL),
            "present": has_written or bool(dispute.oral_record),
        },
        {"name": _("履行凭证"), "required": False, "present": dispute.performance == "full"},
        {"name": _("回访记录"), "required": False, "present": dispute.followed_up_at is not None},
        {"name": _("司法确认材料"), "required": False, "present": dispute.judicial_applied_on is not None},
        {"name": _("卷宗情况说明"), "required": False, "present": ended},
        {"name": _("封底"), "required": True, "present": True},
    ]


def dossier_pdf(dispute, *, compiled_by) -> bytes:
    """The case file (卷宗) assembled from the record: cover, contents with missing required items flagged, then
    each item the record holds."""
    number = dispute.number or _("（%(y)d）人调字第____号") % {
        "y": timezone.localtime(dispute.accepted_at, TZ).year
    }
    pdf = _Pdf(_("卷宗 %(n)s") % {"n": number})
    pdf.gap(80)
    pdf.title(_("人民调解卷宗"), 26)
    pdf.gap(30)
    mediators = "、".join(str(m.user) for m in dispute.mediators.filter(active=True))
    for label, value in (
        (_("卷名"), dispute.case.title),
        (_("卷号"), number),
        (_("调解员"), mediators),
        (_("受理日期"), _date(dispute.accepted_at)),
        (_("结案日期"), _date(dispute.ended_at) or _("尚未结案")),
        (_("立卷人"), str(compiled_by)),
        (_("立卷日期"), _date(timezone.now())),
        (_("保管期限"), _("长期")),
    ):
        pdf.text(value, size=14, indent=60, bold_heading=label)
    pdf.new_page()
    pdf.title(_("卷内目录"), 16)
    items = dossier_items(dispute)
    for i, item in enumerate(items, start=1):
        flag = _("✔ 已归档") if item["present"] else (_("✘ 缺失（必须）") if item["required"] else _("— 无"))
        flag = flag.replace("✔", "[有]").replace("✘", "[缺]")
        pdf.text(f"{i:>2}. {item['name']}  {flag}")
    pdf.new_page()
    pdf.title(_("受理登记表"), 16)
    for label, value in (
        (_("案件编号"), dispute.case.number),
        (_("纠纷类型"), dispute.get_type_display()),
        (_("案件来源"), dispute.get_source_display()),
        (
            _("风险等级"),
            dispute.get_risk_display()
            + (" — " + "；".join(dispute.risk_reasons) if dispute.risk_reasons else ""),
        ),
        (_("涉及人数"), str(dispute.people)),
        (_("争议金额（元）"), f"{dispute.amount:.2f}"),
        (_("受理时间"), _date(dispute.accepted_at)),
        (_("调解期限"), _date(dispute.mediation_due)),
    ):
        pdf.text(value, bold_heading=label)
    pdf.text("\n".join(_party_lines(dispute)), bold_heading=_("当事人"))
    pdf.text(dispute.facts, bold_heading=_("纠纷简要情况"))
    objections = list(dispute.objections.select_related("party", "mediator__user"))
    if objections:
        pdf.gap()
        pdf.text("", bold_heading=_("回避申请及决定"))
        for o in objections:
            pdf.text(
                _("%(p)s申请%(m)s回避，理由：%(r)s；决定：%(d)s，理由：%(dr)s")
                % {
                    "p": o.party.name,
                    "m": o.mediator.user,
                    "r": o.reason,
                    "d": o.get_decision_display(),
                    "dr": o.decision_reason or "—",
                }
            )
    for s in dispute.sessions.all():
        pdf.new_page()
        pdf.title(_("调解记录"), 16)
        pdf.text(_date(s.held_at) + " " + (s.place or ""), bold_heading=_("时间地点"))
        pdf.text(s.attendees, bold_heading=_("参加人员"))
        pdf.text(s.record, bold_heading=_("记录"))
    if dispute.outcome == Outcome.WRITTEN:
        pdf.new_page()
        _agreement_into(pdf, dispute)
    elif dispute.outcome == Outcome.ORAL:
        pdf.new_page()
        pdf.title(_("口头协议记录"), 16)
        pdf.text(dispute.oral_record)
    if dispute.followed_up_at:
        pdf.new_page()
        pdf.title(_("回访记录"), 16)
        pdf.text(dispute.number or dispute.case.number, bold_heading=_("协议编号"))
        pdf.text(dispute.get_performance_display(), bold_heading=_("履行情况"))
        pdf.text(_date(dispute.followed_up_at), bold_heading=_("回访日期"))
    pdf.new_page()
    pdf.title(_("办理过程"), 16)
    from minsheng.cases.views.workbench_case import EVENT_LABELS

    for e in dispute.case.events.all():
        label = EVENT_LABELS.get(e.verb) or e.extra.get("label") or e.verb
        line = f"{timezone.localtime(e.created_at, TZ):%Y-%m-%d %H:%M}  {label}  {e.actor_name}"
        pdf.text(line + (f"：{e.note[:200]}" if e.note and e.verb != "register" else ""), size=10)
    pdf.new_page()
    pdf.title(_("卷宗情况说明"), 16)
    summary = dispute.end_note or _("调解进行中")
    if dispute.outcome == Outcome.FAILED:
        summary += "\n" + _("已告知途径：") + "、".join(str(OtherRoute(r).label) for r in dispute.routes_told)
    pdf.text(summary)
    pdf.gap(40)
    pdf.title(_("封底"), 16)
    pdf.text(
        _("本卷共 %(n)d 项材料。立卷人：%(u)s")
        % {"n": sum(1 for i in items if i["present"]), "u": compiled_by}
    )
    return pdf.finish()


def petition_reply_docx(petition) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    label = {
        "original": _("信访事项答复意见书"),
        "review": _("信访事项复查意见书"),
        "re_review": _("信访事项复核意见书"),
    }
    run = title.add_run(str(label[petition.stage]))
    run.bold = True
    run.font.size = Pt(18)
    doc.add_paragraph(petition.reply_number).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(_("信访人：%(n)s") % {"n": petition.petitioner})
    doc.add_paragraph(_("信访事项：%(m)s") % {"m": petition.matter})
    doc.add_paragraph(_("受理日期：%(d)s") % {"d": _date(petition.noticed_at)})
    for line in petition.reply_text.splitlines():
        doc.add_paragraph(line)
    if petition.stage == "re_review":
        doc.add_paragraph(_("本复核意见为最终意见。信访人以同一事实和理由提出的信访事项，不再受理。"))
    else:
        step = _("复查") if petition.stage == "original" else _("复核")
        doc.add_paragraph(
            _("如对本意见不服，可自收到本意见书之日起%(d)d日内向上一级机关申请%(s)s。") % {"d": 30, "s": step}
        )
    doc.add_paragraph(_date(petition.replied_at)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def weekly_docx(analysis: dict) -> bytes:
    """周报: the week's reports, who has not reported, the figures by type, area and risk, and the resolution list."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(
        _("矛盾纠纷排查化解周报（%(a)s—%(b)s）") % {"a": analysis["week"], "b": analysis["week_end"]}
    )
    run.bold = True
    run.font.size = Pt(16)
    doc.add_paragraph(
        _(
            "本周应报%(due)d个，已报%(done)d个（零报告%(zero)d个），未报%(missing)d个；排查发现矛盾纠纷%(items)d件，"
            "受理调解%(accepted)d件，调解终结%(ended)d件，其中成功%(settled)d件。"
        )
        % analysis["totals"]
    )
    if analysis["missing"]:
        doc.add_paragraph(_("未上报：%(n)s") % {"n": "、".join(n.name for n in analysis["missing"])})
    for heading, rows in (
        (_("按类型"), analysis["by_type"]),
        (_("按区域"), analysis["by_area"]),
        (_("按风险"), analysis["by_risk"]),
    ):
        doc.add_paragraph(heading).runs[0].bold = True
        table = doc.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text = str(heading)
        table.rows[0].cells[1].text = str(_("件数"))
        for label, n in rows:
            cells = table.add_row().cells
            cells[0].text = str(label)
            cells[1].text = str(n)
    doc.add_paragraph(_("本周化解清单")).runs[0].bold = True
    for d in analysis["resolved"]:
        doc.add_paragraph(f"{d.case.number} {d.case.title} — {d.get_outcome_display()}", style="List Bullet")
    if analysis["repeat_people"]:
        doc.add_paragraph(_("重复来访人员和地点")).runs[0].bold = True
        for label, n in analysis["repeat_people"] + analysis["repeat_places"]:
            doc.add_paragraph(f"{label}：{n}", style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
