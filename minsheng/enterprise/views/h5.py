"""The enterprise H5: a contact proves the phone the registry holds for them with an SMS code, then submits problems,
follows them and confirms 销号 — for their own enterprise only.

Contacts are not accounts (decision 0031): the verified contact ids live in the session. Whatever the phone, the
first step answers the same, so the form cannot be used to learn which numbers are registered.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from minsheng.cases.views.h5 import resident_status, resident_timeline
from minsheng.core import sms
from minsheng.core.badges import badge_class
from minsheng.core.errors import IllegalTransition
from minsheng.core.masking import mask_phone

from .. import actions
from ..choices import LEDGER_COLOURS, LedgerState, RaisedVia
from ..forms import H5CodeForm, H5ConfirmForm, H5PhoneForm, H5ProblemForm
from ..models import Contact, Problem

SESSION_KEY = "enterprise_h5_contacts"
PURPOSE = "enterprise"


def contacts_of(request):
    """The contacts this browser has proved, still allowed to use the H5."""
    ids = request.session.get(SESSION_KEY) or []
    return list(Contact.objects.filter(pk__in=ids, h5_enabled=True).select_related("enterprise"))


def _problems(contacts):
    return Problem.objects.filter(enterprise_id__in={c.enterprise_id for c in contacts}).select_related(
        "case", "enterprise", "case__lead_unit"
    )


def _signed_in(view):
    def wrapper(request, *args, **kwargs):
        contacts = contacts_of(request)
        if not contacts:
            return redirect("enterprise_h5:login")
        request.contacts = contacts
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    """Step 1 sends a code to the phone (only if it is a registered contact); step 2 checks it."""
    step = request.POST.get("step", "phone")
    status = 200
    if request.method == "POST" and step == "phone":
        form = H5PhoneForm(request.POST)
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            known = Contact.objects.filter(phone=phone, h5_enabled=True).exists()
            try:
                if known:
                    sms.send_code(phone, ip=request.META.get("REMOTE_ADDR"), purpose=PURPOSE)
            except sms.RateLimited as exc:
                form.add_error("phone", str(exc))
                status = 429
            except sms.SendFailed as exc:
                form.add_error("phone", str(exc))
                status = 503
            else:
                code_form = H5CodeForm(initial={"phone": phone})
                return render(
                    request,
                    "enterprise/h5/login.html",
                    {"form": code_form, "step": "code", "masked": mask_phone(phone)},
                )
        else:
            status = 400
        return render(request, "enterprise/h5/login.html", {"form": form, "step": "phone"}, status=status)
    if request.method == "POST" and step == "code":
        form = H5CodeForm(request.POST)
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            ids = list(Contact.objects.filter(phone=phone, h5_enabled=True).values_list("pk", flat=True))
            if ids and sms.check_code(phone, form.cleaned_data["code"], purpose=PURPOSE):
                request.session.cycle_key()
                request.session[SESSION_KEY] = ids
                return redirect("enterprise_h5:home")
            form.add_error("code", _("验证码不正确或已过期，请重新获取"))
        return render(
            request,
            "enterprise/h5/login.html",
            {"form": form, "step": "code", "masked": mask_phone(request.POST.get("phone", ""))},
            status=400,
        )
    if contacts_of(request):
        return redirect("enterprise_h5:home")
    return render(request, "enterprise/h5/login.html", {"form": H5PhoneForm(), "step": "phone"})


@require_POST
def logout(request):
    request.session.pop(SESSION_KEY, None)
    return redirect("enterprise_h5:login")


@_signed_in
def home(request):
    problems = list(_problems(request.contacts).order_by("-pk"))
    for p in problems:
        p.state = actions.ledger_state(p)
        p.state_badge = badge_class(LEDGER_COLOURS, p.state)
    awaiting = [p for p in problems if p.state == LedgerState.AWAITING]
    return render(
        request,
        "enterprise/h5/home.html",
        {
            "contacts": request.contacts,
            "problems": problems,
            "awaiting": awaiting,
            "open": sum(1 for p in problems if p.state == LedgerState.OPEN),
            "closed": sum(1 for p in problems if p.state == LedgerState.CLOSED),
        },
    )


@_signed_in
@require_http_methods(["GET", "POST"])
def submit(request):
    contacts = request.contacts
    chosen = contacts[0]
    if len(contacts) > 1 and request.POST.get("contact"):
        chosen = next((c for c in contacts if str(c.pk) == request.POST["contact"]), None)
        if chosen is None:
            raise Http404
    form = H5ProblemForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                problem = actions.do_raise_problem(
                    chosen.enterprise,
                    contact=chosen,
                    raised_via=RaisedVia.H5,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                status = 400
            else:
                messages.success(
                    request, _("已提交，编号 %(n)s。街道将在1个工作日内核实。") % {"n": problem.case.number}
                )
                return redirect("enterprise_h5:problem", problem.pk)
        else:
            status = 400
    return render(request, "enterprise/h5/submit.html", {"form": form, "contacts": contacts}, status=status)


def _own(request, pk) -> Problem:
    problem = _problems(request.contacts).filter(pk=pk).first()
    if problem is None:
        raise Http404
    return problem


@_signed_in
@require_http_methods(["GET", "POST"])
def problem(request, pk):
    item = _own(request, pk)
    state = actions.ledger_state(item)
    form = H5ConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        contact = next(c for c in request.contacts if c.enterprise_id == item.enterprise_id)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["solved"]:
                    actions.do_confirm_close(
                        item,
                        contact=contact,
                        satisfaction=data["satisfaction"] or "satisfied",
                        note=data["note"],
                    )
                    messages.success(request, _("已确认销号，感谢您的评价"))
                else:
                    actions.do_decline_close(item, contact=contact, reason=data["note"])
                    messages.success(request, _("已反馈未解决，街道将安排重新办理"))
                return redirect("enterprise_h5:problem", pk)
            except (ValidationError, PermissionDenied, IllegalTransition) as exc:
                form.add_error(None, exc.messages[0] if hasattr(exc, "messages") else str(exc))
                status = 409 if isinstance(exc, IllegalTransition) else 400
        else:
            status = 400
    return render(
        request,
        "enterprise/h5/problem.html",
        {
            "p": item,
            "short_title": item.short_title,
            "case": item.case,
            "state": state,
            "state_badge": badge_class(LEDGER_COLOURS, state),
            "status": resident_status(item.case),
            "timeline": resident_timeline(item.case),
            "form": form,
            "can_confirm": state == LedgerState.AWAITING,
        },
        status=status,
    )
