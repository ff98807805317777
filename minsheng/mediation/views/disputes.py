"""Dispute mediation pages: the list, the mediator's case page with one small form per step, the papers."""

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.masking import mask_id_number, mask_phone
from minsheng.core.pagination import paginate
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.spreadsheet import export_workbook, resources
from minsheng.core.views.spreadsheets import xlsx_response

from .. import actions, conf, documents, forms
from ..choices import DisputeType, Outcome, RiskGrade
from ..filtersets import DisputeFilterSet
from ..models import Dispute, Referral
from .common import PAGE_SIZE, needs, run


def _visible(request, pk) -> Dispute:
    return get_visible_or_404(
        Dispute.objects.select_related("case", "node", "visit", "case__key_leader"),
        request.user,
        Cap.MEDIATION_VIEW,
        pk=pk,
    )


@needs(Cap.MEDIATION_VIEW)
def dispute_list(request):
    disputes = Dispute.objects.visible_to(request.user).select_related("case", "node")
    disputes = DisputeFilterSet(request.GET or None, queryset=disputes).qs
    filters = {k: request.GET.get(k, "") for k in ("type", "risk", "outcome")}
    q = request.GET.get("q", "").strip()
    if q:
        disputes = disputes.filter(case__title__icontains=q) | disputes.filter(number__icontains=q)
    page = paginate(request, disputes, per_page=PAGE_SIZE)
    return render(
        request,
        "mediation/disputes/list.html",
        {
            "page_obj": page,
            "types": DisputeType.choices,
            "risks": RiskGrade.choices,
            "outcomes": Outcome.choices,
            "filters": filters,
            "q": q,
            "can_create": request.user.has_cap(Cap.MEDIATION_MEDIATE),
        },
    )


@needs(Cap.MEDIATION_MEDIATE)
def dispute_create(request):
    user = request.user
    form = forms.DisputeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        made = {}

        def step():
            made["d"] = actions.do_open_dispute(
                actor=user,
                node=d["node"],
                type=d["type"],
                source=d["source"],
                facts=d.get("facts") or "",
                people=d.get("people"),
                amount=d.get("amount") or 0,
                mediators=[d["mediator"]] if d.get("mediator") else [],
                parties=[
                    {
                        "role": "applicant",
                        "name": d.get("applicant_name"),
                        "phone": d.get("applicant_phone"),
                        "id_number": d.get("applicant_id_number"),
                    },
                    {
                        "role": "respondent",
                        "name": d.get("respondent_name"),
                        "phone": d.get("respondent_phone"),
                        "id_number": d.get("respondent_id_number"),
                    },
                ],
            )

        if run(request, form, step, _("纠纷已受理")):
            return redirect("mediation:dispute", pk=made["d"].pk)
    return render(request, "mediation/disputes/form.html", {"form": form})


def _forms(dispute, user, data=None, files=None, only=None):
    def make(name, cls, **kw):
        bound = data if only == name else None
        return cls(bound, files if only == name else None, prefix=name, **kw)

    return {
        "session": make("session", forms.SessionForm),
        "assign": make("assign", forms.AssignForm, user=user),
        "object": make("object", forms.ObjectionForm, dispute=dispute),
        "decide": make("decide", forms.ObjectionDecisionForm, user=user),
        "written": make("written", forms.WrittenAgreementForm, dispute=dispute),
        "oral": make("oral", forms.OralAgreementForm, dispute=dispute),
        "fail": make("fail", forms.FailForm),
        "refuse": make("refuse", forms.RefuseForm, dispute=dispute),
        "scan": make("scan", forms.SignedScanForm),
        "judicial": make("judicial", forms.JudicialForm),
        "performance": make("performance", forms.PerformanceForm),
        "refer": make("refer", forms.ReferralForm),
    }


def _step(verb, dispute, user, d):
    if verb == "session":
        return lambda: actions.do_record_session(
            dispute,
            actor=user,
            attendees=d.get("attendees"),
            record=d.get("record"),
            place=d.get("place") or "",
        )
    if verb == "assign":
        return lambda: actions.do_assign_mediator(dispute, actor=user, user=d["user"])
    if verb == "object":
        return lambda: actions.do_object(
            dispute, actor=user, party=d["party"], mediator=d["mediator"], reason=d.get("reason")
        )
    if verb == "decide":
        objection = dispute.objections.filter(pk=d["objection"]).first()
        if objection is None:
            raise Http404
        return lambda: actions.do_decide_objection(
            objection,
            actor=user,
            uphold=d["uphold"],
            reason=d.get("reason"),
            replacement=d.get("replacement"),
        )
    if verb == "written":
        return lambda: actions.do_agree_written(
            dispute,
            actor=user,
            disputed_points=d.get("disputed_points"),
            agreed_terms=d.get("agreed_terms"),
            consents=d.get("consents"),
            performance_method=d.get("performance_method") or "",
            performance_by=d.get("performance_by"),
            amount=d.get("amount") or 0,
        )
    if verb == "oral":
        return lambda: actions.do_agree_oral(
            dispute,
            actor=user,
            record=d.get("record"),
            consents=d.get("consents"),
            amount=d.get("amount") or 0,
            performance_by=d.get("performance_by"),
        )
    if verb == "fail":
        return lambda: actions.do_fail(dispute, actor=user, reason=d.get("reason"), routes=d.get("routes"))
    if verb == "refuse":
        return lambda: actions.do_refuse(dispute, actor=user, party=d["party"], note=d.get("note") or "")
    if verb == "scan":
        return lambda: actions.do_upload_signed(dispute, actor=user, file=d["file"])
    if verb == "judicial":
        return lambda: actions.do_record_judicial(dispute, actor=user, applied_on=d["applied_on"])
    if verb == "performance":
        return lambda: actions.do_follow_up_performance(
            dispute,
            actor=user,
            performance=d["performance"],
            satisfaction=d["satisfaction"],
            note=d.get("note") or "",
        )
    if verb == "refer":
        return lambda: actions.do_refer(
            dispute.case,
            actor=user,
            direction=d["direction"],
            partner=d["partner"],
            partner_name=d.get("partner_name") or "",
            reason=d.get("reason"),
            consent=d.get("consent"),
        )
    raise Http404


SUCCESS = {
    "session": _("调解记录已保存"),
}


@needs(Cap.MEDIATION_VIEW)
def dispute_detail(request, pk, verb=None):
    user = request.user
    dispute = _visible(request, pk)
    all_forms = _forms(
        dispute, user, request.POST if verb else None, request.FILES if verb else None, only=verb
    )
    if verb:
        form = all_forms.get(verb)
        if form is None:
            raise Http404
        if form.is_valid() and run(
            request, form, _step(verb, dispute, user, form.cleaned_data), SUCCESS.get(verb, _("已保存"))
        ):
            return redirect("mediation:dispute", pk=dispute.pk)
    dispute.refresh_from_db()
    parties = [
        (p, mask_phone(p.phone), mask_id_number(p.id_number))
        for p in dispute.parties.select_related("resident")
    ]
    return render(
        request,
        "mediation/disputes/detail.html",
        {
            "dispute": dispute,
            "case": dispute.case,
            "parties": parties,
            "mediators": dispute.mediators.select_related("user"),
            "objections": dispute.objections.select_related("party", "mediator__user", "decided_by"),
            "pending_objections": dispute.objections.filter(decision="pending").select_related(
                "party", "mediator__user"
            ),
            "sessions": dispute.sessions.select_related("recorded_by"),
            "referrals": Referral.objects.visible_to(user).filter(case=dispute.case),
            "forms": all_forms,
            "open_verb": verb,
            "pending": dispute.outcome == Outcome.PENDING,
            "agreed": dispute.outcome in (Outcome.WRITTEN, Outcome.ORAL),
            "can_mediate": user.has_cap(Cap.MEDIATION_MEDIATE, dispute.node),
            "items": documents.dossier_items(dispute),
            "now_dt": clock.now(),
            "soon_dt": clock.now() + dt.timedelta(days=conf.get("remind_days_before")),
        },
    )


@require_POST
@needs(Cap.MEDIATION_MEDIATE)
def dispute_act(request, pk, verb):
    return dispute_detail(request, pk, verb=verb)


def _file(content: bytes, name: str, mime: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@needs(Cap.MEDIATION_VIEW)
def agreement_file(request, pk, fmt):
    dispute = _visible(request, pk)
    if dispute.outcome != Outcome.WRITTEN:
        raise Http404
    name = _("人民调解协议书-%(n)s") % {"n": dispute.number}
    if fmt == "docx":
        return _file(documents.agreement_docx(dispute), f"{name}.docx", DOCX)
    return _file(documents.agreement_pdf(dispute), f"{name}.pdf", "application/pdf")


@needs(Cap.MEDIATION_VIEW)
def signed_scan(request, pk):
    dispute = _visible(request, pk)
    if not dispute.signed_scan:
        raise Http404
    import mimetypes

    mime = mimetypes.guess_type(dispute.signed_scan.name)[0] or "application/octet-stream"
    return _file(dispute.signed_scan.read(), dispute.signed_scan.name.rsplit("/", 1)[-1], mime)


@needs(Cap.MEDIATION_VIEW)
def dossier(request, pk):
    dispute = _visible(request, pk)
    name = _("卷宗-%(n)s") % {"n": dispute.number or dispute.case.number}
    return _file(documents.dossier_pdf(dispute, compiled_by=request.user), f"{name}.pdf", "application/pdf")


@needs(Cap.MEDIATION_VIEW)
def ledger(request, which):
    """The dispute or petition 台账 as xlsx; `?unmasked=1` for holders of org.view_pii (audited per export)."""
    resource_class = resources("mediation").get(f"mediation-{which}")
    if resource_class is None or not request.user.has_cap(resource_class.export_capability):
        raise Http404
    resource = resource_class(request.user)
    unmasked = request.GET.get("unmasked") == "1"
    return xlsx_response(lambda out: export_workbook(resource, out, unmasked=unmasked), resource.sheet_title)
