"""The reception window (一窗受理): find the person, see what the platform knows of them and their address,
register the visit with the receiver as 首问, route it. Personal data is masked; a reveal is a POST written to the
audit log first (as on the resident page)."""

from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minsheng.accounts.choices import Cap
from minsheng.core.audit import record
from minsheng.core.masking import mask_id_number, mask_phone
from minsheng.core.models import AuditLog
from minsheng.core.pagination import paginate
from minsheng.core.scoping import get_visible_or_404
from minsheng.org.models import Resident
from minsheng.org.views.people import coarse_address

from .. import actions, forms, queries
from ..choices import Route
from ..filtersets import VisitFilterSet
from ..models import Visit
from .common import PAGE_SIZE, needs, run


def _search(user, term: str):
    term = term.strip()
    if not term:
        return [], []
    compact = term.replace(" ", "").upper()
    residents = Resident.objects.visible_to(user).select_related("node", "household")
    condition = Q(name__icontains=term) | Q(search_key__icontains=compact.lower())
    if compact.isdigit() and len(compact) in (4, 11):
        condition |= Q(phone__endswith=compact)
    if len(compact) == 18:
        condition |= Q(id_number=compact)
    found = list(residents.filter(condition).order_by("name", "pk")[:20])
    visit_q = Q(name__icontains=term)
    if compact.isdigit() and len(compact) in (4, 11):
        visit_q |= Q(phone__endswith=compact)
    if len(compact) == 18:
        visit_q |= Q(id_number=compact)
    walk_ins = list(
        Visit.objects.visible_to(user).filter(visit_q, resident__isnull=True).order_by("-visited_at")[:10]
    )
    return found, walk_ins


def _person(request, resident=None, visit=None, reveal: bool = False):
    """The chosen person: (display dict, history)."""
    user = request.user
    if resident is not None:
        phone, id_number, node, name = resident.phone, resident.id_number, resident.node, resident.name
        address = resident.address
    else:
        phone, id_number, node, name = visit.phone, visit.id_number, visit.node, visit.name
        address = visit.node.full_name
    history = queries.person_history(user, resident=resident, phone=phone, id_number=id_number, node=node)
    shown = {
        "name": name,
        "phone": phone if reveal else mask_phone(phone),
        "id_number": id_number if reveal else mask_id_number(id_number),
        "address": address if reveal else coarse_address(address),
        "node": node,
        "resident": resident,
        "visit": visit,
    }
    return shown, history


@needs(Cap.MEDIATION_RECEIVE)
def desk(request, reveal: bool = False, resident=None):
    user = request.user
    search = forms.SearchForm(request.GET or None)
    term = search.cleaned_data["q"] if search.is_valid() else ""
    residents, walk_ins = _search(user, term)
    person = history = None
    initial = {}
    if resident is None and request.GET.get("resident", "").isdigit():
        resident = (
            Resident.objects.visible_to(user)
            .select_related("node", "household")
            .filter(pk=request.GET["resident"])
            .first()
        )
    walk_in = None
    if resident is None and request.GET.get("visit", "").isdigit():
        walk_in = Visit.objects.visible_to(user).filter(pk=request.GET["visit"]).first()
    if resident is not None or walk_in is not None:
        person, history = _person(request, resident=resident, visit=walk_in, reveal=reveal)
        if resident is not None:
            initial = {"resident": resident.pk, "name": resident.name, "node": resident.node_id}
        else:
            initial = {
                "name": walk_in.name,
                "phone": walk_in.phone,
                "id_number": walk_in.id_number,
                "node": walk_in.node_id,
            }
    form = forms.VisitForm(initial=initial, user=user)
    return render(
        request,
        "mediation/desk/desk.html",
        {
            "search": search,
            "term": term,
            "residents": [(r, mask_phone(r.phone), mask_id_number(r.id_number)) for r in residents],
            "walk_ins": [(v, mask_phone(v.phone)) for v in walk_ins],
            "person": person,
            "history": history,
            "revealed": reveal,
            "can_reveal": resident is not None and user.has_cap("org.view_pii", resident.node),
            "form": form,
            "today_visits": Visit.objects.visible_to(user).select_related("node").order_by("-visited_at")[:8],
        },
    )


@never_cache
@require_POST
@needs(Cap.MEDIATION_RECEIVE)
def desk_reveal(request, pk):
    resident = get_visible_or_404(Resident.objects.select_related("node", "household"), request.user, pk=pk)
    if not request.user.has_cap("org.view_pii", resident.node):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("没有查看完整个人信息的权限"))
    record(
        AuditLog.Action.VIEW_PII, resident, note=_("矛调中心接待窗口查看来访人完整信息"), user=request.user
    )
    return desk(request, reveal=True, resident=resident)


@require_POST
@needs(Cap.MEDIATION_RECEIVE)
def visit_create(request):
    user = request.user
    form = forms.VisitForm(request.POST, user=user)
    created = {}
    if form.is_valid():
        data = form.cleaned_data
        resident = forms.resident_or_none(user, data.get("resident"))

        def step():
            created["visit"] = actions.do_register_visit(
                actor=user,
                node=data.get("node"),
                resident=resident,
                name=data.get("name") or "",
                phone=data.get("phone") or "",
                id_number=data.get("id_number") or "",
                visitors=data.get("visitors") or 1,
                matter=data.get("matter") or "",
            )

        if run(request, form, step, _("来访已登记，请分流")):
            return redirect("mediation:visit", pk=created["visit"].pk)
    return render(request, "mediation/desk/visit_form.html", {"form": form})


@needs(Cap.MEDIATION_VIEW)
def visit_list(request):
    visits = Visit.objects.visible_to(request.user).select_related("node", "receiver", "case")
    data = request.GET.copy()
    if data.get("repeat") == "1":
        data["is_first"] = "false"
    visits = VisitFilterSet(data or None, queryset=visits).qs
    route = request.GET.get("route", "")
    page = paginate(request, visits, per_page=PAGE_SIZE)
    return render(
        request,
        "mediation/desk/visit_list.html",
        {
            "page_obj": page,
            "rows": [(v, mask_phone(v.phone)) for v in page],
            "routes": Route.choices,
            "route": route,
        },
    )


@needs(Cap.MEDIATION_VIEW)
def visit_detail(request, pk):
    user = request.user
    visit = get_visible_or_404(
        Visit.objects.select_related("node", "receiver", "case", "repeat_of", "related_case"),
        user,
        Cap.MEDIATION_VIEW,
        pk=pk,
    )
    form = forms.RouteForm(
        request.POST or None, user=user, initial={"route": Route.DISPUTE, "people": visit.visitors}
    )
    if request.method == "POST" and form.is_valid():
        result = {}

        def step():
            result["obj"] = _route(visit, user, form.cleaned_data)

        if run(request, form, step, _("已分流")):
            return redirect(_landing(result["obj"], visit))
    return render(
        request,
        "mediation/desk/visit_detail.html",
        {
            "visit": visit,
            "form": form,
            "phone": mask_phone(visit.phone),
            "can_route": user.has_cap(Cap.MEDIATION_RECEIVE, visit.node),
        },
    )


def _route(visit, user, data):
    route = data["route"]
    details = {}
    if route == Route.DISPUTE:
        respondent = forms.resident_or_none(user, data.get("respondent_resident"))
        details = {
            "type": data.get("type") or "",
            "source": data.get("source") or "applied",
            "facts": visit.matter,
            "amount": data.get("amount") or 0,
            "people": data.get("people") or None,
            "mediators": [data.get("mediator")] if data.get("mediator") else [],
            "parties": [
                {
                    "role": "applicant",
                    "resident": visit.resident,
                    "name": visit.name,
                    "phone": visit.phone,
                    "id_number": visit.id_number,
                },
                {
                    "role": "respondent",
                    "resident": respondent,
                    "name": data.get("respondent_name") or "",
                    "phone": data.get("respondent_phone") or "",
                },
            ],
        }
    elif route == Route.PETITION:
        details = {
            "kind": data.get("petition_kind") or "claim",
            "acknowledge_final": data.get("acknowledge_final"),
        }
    elif route == Route.REFERRAL:
        details = {
            "partner": data.get("partner") or "",
            "partner_name": data.get("partner_name") or "",
            "reason": visit.matter,
            "consent": data.get("consent"),
        }
    return actions.do_route_visit(visit, actor=user, route=route, answer=data.get("answer") or "", **details)


def _landing(obj, visit):
    from minsheng.cases.models import Case

    from ..models import Dispute, Petition, Referral

    if isinstance(obj, Dispute):
        return f"/mediation/disputes/{obj.pk}/"
    if isinstance(obj, Petition):
        return f"/mediation/petitions/{obj.pk}/"
    if isinstance(obj, Referral):
        return f"/mediation/referrals/{obj.pk}/"
    if isinstance(obj, Case):
        return f"/cases/{obj.pk}/"
    return f"/mediation/visits/{visit.pk}/"
