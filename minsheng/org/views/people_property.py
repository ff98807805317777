"""Property management: companies (the street-led one gives fallback service) and each 小区's property profile."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from minsheng.core.masking import mask_phone
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required

from .. import actions
from ..choices import NodeKind, PropertyStatus
from ..forms.people import EstatePropertyForm, PropertyCompanyForm, PropertyFilterForm
from ..forms.pickers import apply_action_errors
from ..models import EstateProperty, Node, PropertyCompany
from .people import filter_values, paginate, require_cap

#: Badge colour of each status: fallback and no service are what the street has to act on.
STATUS_BADGE = {
    PropertyStatus.PROFESSIONAL: "badge-green",
    PropertyStatus.STREET_FALLBACK: "badge-orange",
    PropertyStatus.NONE: "badge-red",
    PropertyStatus.SELF_MANAGED: "badge-blue",
}


def _estates(user):
    return Node.objects.visible_to(user).filter(kind=NodeKind.ESTATE)


def _estate_rows(estates, user):
    rows = []
    for estate in estates:
        profile = getattr(estate, "property_profile", None)
        rows.append(
            {
                "estate": estate,
                "profile": profile,
                "badge": STATUS_BADGE.get(profile.status, "badge-gray") if profile else "badge-gray",
                "place": " ".join(estate.full_name.split(" ")[1:-1]),
                "can_edit": user.has_cap("org.change", estate),
            }
        )
    return rows


@staff_required
def property_list(request):
    user = request.user
    form = PropertyFilterForm(request.GET or None, user=user)
    filters = filter_values(form)
    estates = _estates(user)
    if "community" in filters:
        estates = estates.filter(path__startswith=filters["community"].path)

    # Summary over the chosen area, before the status filter, so the counts stay a map of the whole area.
    by_status = {
        row["property_profile__status"]: row["n"]
        for row in estates.order_by().values("property_profile__status").annotate(n=Count("pk"))
    }
    summary = [
        {"value": value, "label": label, "count": by_status.get(value, 0), "badge": STATUS_BADGE[value]}
        for value, label in PropertyStatus.choices
    ]
    summary.append(
        {"value": "unset", "label": _("未登记"), "count": by_status.get(None, 0), "badge": "badge-gray"}
    )

    status = filters.get("status")
    if status == "unset":
        estates = estates.filter(property_profile__isnull=True)
    elif status:
        estates = estates.filter(property_profile__status=status)
    page = paginate(request, estates.select_related("property_profile__company"))
    companies = PropertyCompany.objects.visible_to(user).annotate(estate_count=Count("estates"))
    return render(
        request,
        "org/people/property_list.html",
        {
            "form": form,
            "summary": summary,
            "red_count": estates.filter(property_profile__is_red_property=True).count(),
            "page_obj": page,
            "rows": _estate_rows(page, user),
            "community": filters.get("community"),
            "status": status,
            "companies": companies,
            "can_add_company": user.has_cap("org.change"),
        },
    )


@staff_required
def property_company_detail(request, pk):
    user = request.user
    company = get_visible_or_404(PropertyCompany, user, pk=pk)
    estates = (
        _estates(user).filter(property_profile__company=company).select_related("property_profile__company")
    )
    return render(
        request,
        "org/people/property_company_detail.html",
        {
            "company": company,
            "phone": mask_phone(company.phone),
            "rows": _estate_rows(estates, user),
        },
    )


@staff_required
def property_company_create(request):
    require_cap(request.user, "org.change")
    form = PropertyCompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = actions.create_property_company(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("已添加物业企业“%(name)s”") % {"name": company.name})
            return redirect("org:property_company_detail", pk=company.pk)
    return render(request, "org/people/property_company_form.html", {"form": form})


@staff_required
def estate_property_edit(request, pk):
    estate = get_visible_or_404(_estates(request.user), request.user, pk=pk)
    require_cap(request.user, "org.change", estate)
    profile = EstateProperty.objects.filter(node=estate).select_related("company").first()
    initial = {}
    if profile is not None:
        initial = {
            "status": profile.status,
            "company": profile.company_id,
            "is_red_property": profile.is_red_property,
            "contract_start": profile.contract_start,
            "contract_end": profile.contract_end,
            "has_owners_committee": profile.has_owners_committee,
            "committee_established": profile.committee_established,
            "committee_chair": profile.committee_chair,
        }
    form = EstatePropertyForm(request.POST or None, initial=initial, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_estate_property(estate, actor=request.user, **form.action_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(name)s”的物业信息") % {"name": estate.name})
            return redirect("org:property_list")
    return render(
        request,
        "org/people/estate_property_form.html",
        {
            "form": form,
            "estate": estate,
            "profile": profile,
            "street_led": PropertyCompany.objects.filter(is_street_led=True),
            "responsible": actions.responsible_for(estate),
        },
    )
