"""Residents and households: the registry pages staff use every day.

Lists always show personal data masked. A detail page shows it masked too; a user who holds org.view_pii at the
person's node may ask for the full values with a POST, which is written to the audit log before the values are
sent, and only that one response carries them (PIPL: each unmasked view is deliberate and recorded).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minsheng.core.audit import record
from minsheng.core.masking import mask_address, mask_id_number, mask_phone
from minsheng.core.models import AuditLog
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required

from .. import actions
from ..forms.people import (
    HouseholdFilterForm,
    HouseholdForm,
    ResidentFilterForm,
    ResidentForm,
)
from ..forms.pickers import apply_action_errors
from ..models import Household, Node, PartyMember, Resident

PAGE_SIZE = 50


def paginate(request, queryset):
    """One page of rows; a missing, malformed or too large ?page= falls back to a valid page (never a 500)."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def require_cap(user, capability: str, node: Node | None = None) -> None:
    if not user.has_cap(capability, node):
        raise PermissionDenied(_("没有权限执行此操作"))


def filter_values(form) -> dict:
    """The filters that validated; an invalid one is shown with its error and simply not applied."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}


def coarse_address(address: str) -> str:
    """An address down to the 小区/村 with the rest masked. Every row of a deployment shares the street (the tree's
    root), so it is left out: "颐和社区 颐和家园 ****" rather than "城关街道 颐和社区 ****"."""
    masked = mask_address(address)
    _street, _, below = masked.partition(" ")
    return below or masked


def place_under(node: Node, base: Node) -> str:
    """A node's name below `base`, enough to tell the many "1单元" apart: "1号楼 1单元" under 颐和家园."""
    return node.full_name.removeprefix(base.full_name).strip() or node.name


# -- residents -------------------------------------------------------------------------------------


@dataclass
class PersonalData:
    """What a page shows of a resident's personal fields: masked, unless this response was an audited reveal."""

    phone: str
    id_number: str
    address: str
    masked: bool

    @classmethod
    def of(cls, resident: Resident, *, reveal: bool = False) -> "PersonalData":
        if reveal:
            return cls(resident.phone, resident.id_number, resident.address, masked=False)
        return cls(
            mask_phone(resident.phone),
            mask_id_number(resident.id_number),
            coarse_address(resident.address),
            masked=True,
        )


def apply_resident_search(queryset, term: str):
    """Name, pinyin (full or initials: "zs" finds 张三) or the last four digits of the phone."""
    term = term.strip().lower()
    compact = term.replace(" ", "")
    condition = Q(name__icontains=term) | Q(search_key__icontains=compact)
    if compact.isdigit() and len(compact) == 4:
        condition |= Q(phone__endswith=compact)
    return queryset.filter(condition)


@staff_required
def resident_list(request):
    form = ResidentFilterForm(request.GET or None, user=request.user)
    filters = filter_values(form)
    residents = (
        Resident.objects.visible_to(request.user).select_related("node", "household").prefetch_related("tags")
    )
    if "node" in filters:
        residents = residents.filter(node__path__startswith=filters["node"].path)
    if "tag" in filters:
        residents = residents.filter(tags=filters["tag"])
    if "q" in filters:
        residents = apply_resident_search(residents, filters["q"])
    page = paginate(request, residents.order_by("pk"))
    rows = [(r, PersonalData.of(r)) for r in page]
    return render(
        request,
        "org/people/resident_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "can_change": request.user.has_cap("org.change"),
        },
    )


def _resident_page(request, resident: Resident, *, reveal: bool):
    user = request.user
    party_member = (
        PartyMember.objects.visible_to(user)
        .filter(resident=resident)
        .select_related("party_org__node", "led_node")
        .first()
    )
    household = resident.household
    return render(
        request,
        "org/people/resident_detail.html",
        {
            "resident": resident,
            "personal": PersonalData.of(resident, reveal=reveal),
            "revealed": reveal,
            "household": household,
            "household_members": (
                Resident.objects.visible_to(user).filter(household=household).exclude(pk=resident.pk)
                if household
                else []
            ),
            "party_member": party_member,
            "led_place": (
                place_under(party_member.led_node, party_member.party_org.node)
                if party_member and party_member.led_node
                else ""
            ),
            "responsible": actions.responsible_for(resident.node),
            "can_reveal": user.has_cap("org.view_pii", resident.node),
            "can_change": user.has_cap("org.change", resident.node),
        },
    )


def _visible_resident(request, pk):
    queryset = Resident.objects.select_related("node", "household__node").prefetch_related("tags")
    return get_visible_or_404(queryset, request.user, pk=pk)


@staff_required
def resident_detail(request, pk):
    return _resident_page(request, _visible_resident(request, pk), reveal=False)


@never_cache
@require_POST
@staff_required
def resident_reveal(request, pk):
    resident = _visible_resident(request, pk)
    if not request.user.has_cap("org.view_pii", resident.node):
        raise PermissionDenied(_("没有查看完整个人信息的权限"))
    record(
        AuditLog.Action.VIEW_PII,
        resident,
        note=_("查看居民完整信息（手机号、身份证号、地址）"),
        user=request.user,
    )
    return _resident_page(request, resident, reveal=True)


def _resident_form_page(request, form, resident=None):
    return render(request, "org/people/resident_form.html", {"form": form, "resident": resident})


@staff_required
def resident_create(request):
    require_cap(request.user, "org.change")
    initial = {}
    if request.method == "GET" and request.GET.get("household"):
        household = get_visible_or_404(Household, request.user, "org.change", pk=request.GET["household"])
        initial = {"node": household.node_id, "household": household.pk}
    form = ResidentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            resident = actions.register_resident(actor=request.user, **form.action_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("已登记居民“%(name)s”") % {"name": resident.name})
            return redirect("org:resident_detail", pk=resident.pk)
    return _resident_form_page(request, form)


@staff_required
def resident_edit(request, pk):
    resident = _visible_resident(request, pk)
    require_cap(request.user, "org.change", resident.node)
    initial = {
        "name": resident.name,
        "gender": resident.gender,
        "birth_date": resident.birth_date,
        "node": resident.node_id,
        "household": resident.household_id,
        "relation": resident.relation,
        "tags": [tag.code for tag in resident.tags.all()],
        "note": resident.note,
    }
    form = ResidentForm(request.POST or None, user=request.user, initial=initial, resident=resident)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_resident(resident, actor=request.user, **form.action_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(name)s”的信息") % {"name": resident.name})
            return redirect("org:resident_detail", pk=resident.pk)
    return _resident_form_page(request, form, resident)


@staff_required
def resident_household_options(request):
    """The <option>s of the household select for the address chosen on the resident form (HTMX)."""
    form = ResidentForm(user=request.user, initial={"node": request.GET.get("node")})
    return render(request, "org/people/_household_options.html", {"field": form["household"]})


# -- households ------------------------------------------------------------------------------------


@staff_required
def household_list(request):
    form = HouseholdFilterForm(request.GET or None, user=request.user)
    filters = filter_values(form)
    households = (
        Household.objects.visible_to(request.user)
        .select_related("node")
        .annotate(member_count=Count("members"))
    )
    if "node" in filters:
        households = households.filter(node__path__startswith=filters["node"].path)
    if "q" in filters:
        term = filters["q"].strip()
        households = households.filter(Q(head_name__icontains=term) | Q(address__icontains=term))
    page = paginate(request, households.order_by("node__path", "room", "pk"))
    rows = [(h, coarse_address(h.address)) for h in page]
    return render(
        request,
        "org/people/household_list.html",
        {"form": form, "page_obj": page, "rows": rows, "can_change": request.user.has_cap("org.change")},
    )


def _household_page(request, household: Household, *, reveal: bool):
    user = request.user
    return render(
        request,
        "org/people/household_detail.html",
        {
            "household": household,
            "address": household.address if reveal else coarse_address(household.address),
            "revealed": reveal,
            "members": [
                (r, PersonalData.of(r))
                for r in Resident.objects.visible_to(user)
                .filter(household=household)
                .select_related("node", "household")
                .prefetch_related("tags")
            ],
            "contact_members": PartyMember.objects.visible_to(user)
            .filter(households=household)
            .select_related("party_org"),
            "can_reveal": user.has_cap("org.view_pii", household.node),
            "can_change": user.has_cap("org.change", household.node),
        },
    )


def _visible_household(request, pk):
    return get_visible_or_404(Household.objects.select_related("node"), request.user, pk=pk)


@staff_required
def household_detail(request, pk):
    return _household_page(request, _visible_household(request, pk), reveal=False)


@never_cache
@require_POST
@staff_required
def household_reveal(request, pk):
    household = _visible_household(request, pk)
    if not request.user.has_cap("org.view_pii", household.node):
        raise PermissionDenied(_("没有查看完整个人信息的权限"))
    record(AuditLog.Action.VIEW_PII, household, note=_("查看户的完整地址"), user=request.user)
    return _household_page(request, household, reveal=True)


@staff_required
def household_create(request):
    require_cap(request.user, "org.change")
    form = HouseholdForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            household = actions.register_household(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(
                request, _("已登记户“%(name)s”") % {"name": household.head_name or household.room}
            )
            return redirect("org:household_detail", pk=household.pk)
    return render(request, "org/people/household_form.html", {"form": form})
