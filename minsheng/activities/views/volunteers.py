"""Staff pages of volunteers: the registry, teams, service records to confirm, certificates (PDF, and the public
verification page the QR code opens), and the 积分超市 counter."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.accounts.choices import Cap
from minsheng.core.errors import IllegalTransition
from minsheng.core.forms import apply_action_errors
from minsheng.core.masking import mask_id_number, mask_phone
from minsheng.core.pagination import paginate
from minsheng.core.scoping import get_visible_or_404

from .. import certificates
from ..actions import points, volunteers
from ..choices import RecordStatus
from ..filtersets import RecordFilterSet, VolunteerFilterSet
from ..forms import CertificateForm, MarketItemForm, RecordForm, TeamForm, VolunteerForm
from ..models import Certificate, Exchange, MarketItem, ServiceRecord, Team, Volunteer
from .common import PAGE_SIZE, activities_required, error_text, nodes_for

ACTION_ERRORS = (IllegalTransition, ValidationError, PermissionDenied)


def _as_validation(exc):
    return exc if isinstance(exc, ValidationError) else ValidationError(str(exc))


@activities_required(Cap.ACTIVITIES_VIEW)
def volunteer_list(request):
    qs = (
        Volunteer.objects.visible_to(request.user, Cap.ACTIVITIES_VIEW)
        .select_related("node", "unit")
        .annotate(
            hours=Sum("records__hours", filter=Q(records__status=RecordStatus.CONFIRMED)),
        )
        .order_by("number")
    )
    filterset = VolunteerFilterSet(request.GET or None, queryset=qs)
    page = paginate(request, filterset.qs, per_page=PAGE_SIZE)
    rows = [{"v": v, "phone": mask_phone(v.phone)} for v in page.object_list]
    return render(
        request,
        "activities/volunteers/list.html",
        {"page_obj": page, "rows": rows, "can_manage": request.user.has_cap(Cap.VOLUNTEERS_MANAGE)},
    )


@activities_required(Cap.VOLUNTEERS_MANAGE)
@require_http_methods(["GET", "POST"])
def volunteer_create(request):
    form = VolunteerForm(request.POST or None, nodes=nodes_for(request.user, Cap.VOLUNTEERS_MANAGE))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            volunteer = volunteers.do_register_volunteer(actor=request.user, **data)
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, _as_validation(exc))
        else:
            messages.success(request, _("已登记志愿者 %(n)s") % {"n": volunteer.number})
            return redirect("activities:volunteer", volunteer.pk)
    return render(request, "activities/volunteers/form.html", {"form": form, "title": _("登记志愿者")})


@activities_required(Cap.ACTIVITIES_VIEW)
def volunteer_detail(request, pk):
    volunteer = get_visible_or_404(
        Volunteer.objects.select_related("node", "unit"), request.user, Cap.ACTIVITIES_VIEW, pk=pk
    )
    records = volunteer.records.select_related("team", "shift").order_by("-served_on", "-pk")
    confirmed = records.filter(status=RecordStatus.CONFIRMED).aggregate(h=Sum("hours"), n=Count("pk"))
    account = points.account_of(volunteer)
    can_manage = request.user.has_cap(Cap.VOLUNTEERS_MANAGE, node=volunteer.node)
    return render(
        request,
        "activities/volunteers/detail.html",
        {
            "v": volunteer,
            "phone": mask_phone(volunteer.phone),
            "id_number": mask_id_number(volunteer.id_number),
            "records": records[:50],
            "confirmed": confirmed,
            "balance": points.balance_of(account),
            "movements": account.movements.select_related("transfer").order_by("-transfer__at", "-pk")[:20],
            "certificates": volunteer.certificates.order_by("-issued_at"),
            "teams": volunteer.teams.all(),
            "can_manage": can_manage,
            "certificate_form": CertificateForm(
                initial={
                    "issuer": _("%(n)s居民委员会") % {"n": volunteer.node.name},
                    "handler": str(request.user),
                }
            ),
        },
    )


@activities_required(Cap.VOLUNTEERS_MANAGE)
@require_POST
def certificate_issue(request, pk):
    volunteer = get_visible_or_404(Volunteer, request.user, Cap.ACTIVITIES_VIEW, pk=pk)
    form = CertificateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写证明信息"))
        return redirect("activities:volunteer", volunteer.pk)
    try:
        certificate = volunteers.do_issue_certificate(volunteer, actor=request.user, **form.cleaned_data)
    except ACTION_ERRORS as exc:
        messages.error(request, error_text(exc))
        return redirect("activities:volunteer", volunteer.pk)
    messages.success(request, _("已出具志愿服务证明 %(n)s") % {"n": certificate.number})
    return redirect("activities:volunteer", volunteer.pk)


@activities_required(Cap.ACTIVITIES_VIEW)
@require_GET
def certificate_pdf(request, pk):
    certificate = get_visible_or_404(
        Certificate.objects.select_related("volunteer"), request.user, Cap.ACTIVITIES_VIEW, pk=pk
    )
    verify_url = request.build_absolute_uri(
        reverse("activities_public:verify", args=[certificate.verify_code])
    )
    response = HttpResponse(certificates.pdf(certificate, verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response


@require_GET
def certificate_verify(request, code):
    """Public: what the QR code on a certificate opens. The ID number stays masked."""
    certificate = (
        Certificate.objects.select_related("volunteer").filter(verify_code=code.strip().upper()).first()
    )
    if certificate is None:
        raise Http404
    return render(
        request,
        "activities/volunteers/verify.html",
        {"c": certificate, "id_number": mask_id_number(certificate.volunteer.id_number)},
    )


@activities_required(Cap.ACTIVITIES_VIEW)
def team_list(request):
    teams = (
        Team.objects.visible_to(request.user, Cap.ACTIVITIES_VIEW)
        .select_related("node", "grid", "leader", "unit", "case_unit")
        .annotate(
            member_count=Count("members", distinct=True),
            hours=Sum("records__hours", filter=Q(records__status=RecordStatus.CONFIRMED)),
        )
        .order_by("node__path", "name")
    )
    form = TeamForm(request.POST or None, nodes=nodes_for(request.user, Cap.VOLUNTEERS_MANAGE))
    if request.method == "POST":
        if not request.user.has_cap(Cap.VOLUNTEERS_MANAGE):
            raise PermissionDenied
        if form.is_valid():
            try:
                volunteers.do_create_team(actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                apply_action_errors(form, _as_validation(exc))
            else:
                messages.success(request, _("已建立志愿服务队"))
                return redirect("activities:teams")
    return render(
        request,
        "activities/volunteers/teams.html",
        {
            "page_obj": paginate(request, teams, per_page=PAGE_SIZE),
            "form": form,
            "can_manage": request.user.has_cap(Cap.VOLUNTEERS_MANAGE),
        },
    )


@activities_required(Cap.ACTIVITIES_VIEW)
@require_http_methods(["GET", "POST"])
def record_list(request):
    """服务时长: pending records to confirm (谁记录谁证明), and a form to record service by hand."""
    qs = ServiceRecord.objects.visible_to(request.user, Cap.ACTIVITIES_VIEW).select_related(
        "volunteer", "team", "case", "node"
    )
    filterset = RecordFilterSet(
        request.GET or {"status": RecordStatus.PENDING}, queryset=qs.order_by("-served_on", "-pk")
    )
    form = RecordForm(
        request.POST or None,
        volunteers=Volunteer.objects.visible_to(request.user, Cap.ACTIVITIES_VIEW)
        .filter(status="active")
        .order_by("number"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            volunteers.do_record_service(
                data["volunteer"],
                actor=request.user,
                content=data["content"],
                served_on=data["served_on"],
                hours=data["hours"],
                confirm=data["confirm"],
            )
        except ACTION_ERRORS as exc:
            apply_action_errors(form, _as_validation(exc))
        else:
            messages.success(request, _("已记录服务时长"))
            return redirect("activities:records")
    return render(
        request,
        "activities/volunteers/records.html",
        {
            "page_obj": paginate(request, filterset.qs, per_page=PAGE_SIZE),
            "filterset": filterset,
            "statuses": RecordStatus.choices,
            "form": form,
            "can_manage": request.user.has_cap(Cap.VOLUNTEERS_MANAGE),
        },
    )


@activities_required(Cap.VOLUNTEERS_MANAGE)
@require_POST
def record_decide(request, pk):
    record = get_visible_or_404(ServiceRecord, request.user, Cap.ACTIVITIES_VIEW, pk=pk)
    try:
        if request.POST.get("decision") == "confirm":
            volunteers.do_confirm_record(record, actor=request.user)
            messages.success(request, _("已确认，积分已计入"))
        else:
            volunteers.do_reject_record(record, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("已退回"))
    except ACTION_ERRORS as exc:
        messages.error(request, error_text(exc))
    return redirect("activities:records")


# -- 积分超市 ----------------------------------------------------------------------------------------------------


@activities_required(Cap.ACTIVITIES_VIEW)
@require_http_methods(["GET", "POST"])
def market(request):
    items = (
        MarketItem.objects.visible_to(request.user, Cap.ACTIVITIES_VIEW)
        .select_related("node")
        .order_by("node__path", "points")
    )
    form = MarketItemForm(request.POST or None, nodes=nodes_for(request.user, Cap.VOLUNTEERS_MANAGE))
    if request.method == "POST" and form.is_valid():
        try:
            points.do_add_market_item(actor=request.user, **form.cleaned_data)
        except ACTION_ERRORS as exc:
            apply_action_errors(form, _as_validation(exc))
        else:
            messages.success(request, _("已上架"))
            return redirect("activities:market")
    exchanges = (
        Exchange.objects.visible_to(request.user, Cap.ACTIVITIES_VIEW)
        .select_related("item", "volunteer")
        .order_by("-at")[:30]
    )
    return render(
        request,
        "activities/market/index.html",
        {
            "items": items,
            "form": form,
            "exchanges": exchanges,
            "can_manage": request.user.has_cap(Cap.VOLUNTEERS_MANAGE),
        },
    )


@activities_required(Cap.VOLUNTEERS_MANAGE)
@require_POST
def market_exchange(request, pk):
    """At the counter: the volunteer gives their number, the worker exchanges for them."""
    item = get_visible_or_404(MarketItem, request.user, Cap.ACTIVITIES_VIEW, pk=pk)
    number = (request.POST.get("number") or "").strip().upper()
    volunteer = Volunteer.objects.visible_to(request.user, Cap.ACTIVITIES_VIEW).filter(number=number).first()
    if volunteer is None:
        messages.error(request, _("找不到志愿者编号 %(n)s") % {"n": number or "—"})
        return redirect("activities:market")
    try:
        points.do_exchange(
            item, actor=request.user, volunteer=volunteer, quantity=request.POST.get("quantity") or 1
        )
    except ACTION_ERRORS as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(v)s 已兑换 %(i)s") % {"v": volunteer.name, "i": item.name})
    return redirect("activities:market")
