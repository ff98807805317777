"""The cluster's organisations and partners: cooperatives and family farms with their members, the 龙头企业's 带动
agreements, the e-commerce incubation centres with their packages. Lists for whoever may see the cluster; the forms
for whoever keeps its records, within their villages. Reads through `visible_to`, changes through actions."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from minsheng.activities.models import Venue
from minsheng.core.forms import apply_action_errors
from minsheng.core.pagination import paginate
from minsheng.core.permissions import require_cap
from minsheng.core.scoping import get_visible_or_404
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from .. import actions, queries
from ..choices import PACKAGE_OFFERS, AgreementKind, OrgKind, Package
from ..forms import AgreementForm, CentreForm, OrganisationForm
from ..models import Agreement, Centre, Grower, Organisation

VIEW = "cluster.view"
RECORD = "cluster.record"


def _villages(user: Any) -> Any:
    return Node.objects.visible_to(user, RECORD).filter(kind=NodeKind.VILLAGE).order_by("name")


def _editable(user: Any, rows: Any) -> None:
    for row in rows:
        row.can_edit = user.has_cap(RECORD, row.village)


def _save(request: HttpRequest, form: Any, save: Any) -> tuple[Any, int]:
    """Run the form's actions in one transaction: (the saved row, 200) or (None, 400) with the refusal on the form."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400
    try:
        with transaction.atomic():
            return save(form.cleaned_data), 200
    except (ValidationError, PermissionDenied) as exc:
        apply_action_errors(form, exc)
    return None, 400


# -- cooperatives and family farms ------------------------------------------------------------------------------


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_cap(user, VIEW)
    q = (request.GET.get("q") or "").strip()
    kind = request.GET.get("kind") or ""
    qs = (
        Organisation.objects.visible_to(user, VIEW)
        .select_related("village")
        .annotate(
            member_count=Count("members", distinct=True), agreement_count=Count("agreements", distinct=True)
        )
        .order_by("village__name", "kind", "name", "pk")
    )
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(leader__contains=q) | Q(village__name__contains=q))
    if kind in OrgKind.values:
        qs = qs.filter(kind=kind)
    page_obj = paginate(request, qs)
    _editable(user, page_obj)
    return render(
        request,
        "cluster/partners/organisations.html",
        {
            "page_obj": page_obj,
            "q": q,
            "kind": kind,
            "kinds": OrgKind.choices,
            "can_record": user.has_cap(RECORD),
        },
    )


def _organisation_form(request: HttpRequest, organisation: Organisation | None) -> HttpResponse:
    user = request.user
    growers = Grower.objects.visible_to(user, RECORD).select_related("village")
    initial: dict[str, Any] = {"kind": OrgKind.COOPERATIVE}
    hidden = 0
    if organisation is not None:
        members = organisation.members.all()
        growers = growers.annotate(
            is_member=Exists(
                Organisation.members.through.objects.filter(
                    organisation_id=organisation.pk, grower_id=OuterRef("pk")
                )
            )
        ).order_by("-is_member", "village__name", "name", "pk")
        initial = {
            "kind": organisation.kind,
            "name": organisation.name,
            "village": organisation.village,
            "leader": organisation.leader,
            "members": list(members.filter(pk__in=growers.values("pk"))),
        }
        hidden = members.exclude(pk__in=growers.values("pk")).count()
    else:
        growers = growers.order_by("village__name", "name", "pk")
    form = OrganisationForm(request.POST or None, initial=initial, villages=_villages(user), growers=growers)

    def save(d: dict[str, Any]) -> Organisation:
        if organisation is None:
            return actions.do_create_organisation(
                actor=user,
                kind=d["kind"],
                name=d["name"],
                village=d["village"],
                leader=d["leader"],
                members=d["members"],
            )
        saved = actions.do_update_organisation(
            organisation, actor=user, kind=d["kind"], name=d["name"], village=d["village"], leader=d["leader"]
        )
        actions.do_set_members(saved, d["members"], actor=user, within=growers)
        return saved

    saved, status = _save(request, form, save)
    if saved is not None:
        messages.success(
            request,
            _("已保存“%(name)s”，成员 %(n)s 户") % {"name": saved.name, "n": saved.members.count()},
        )
        return redirect(f"{reverse('cluster:organisations')}?q={saved.name}")
    return render(
        request,
        "cluster/partners/organisation_form.html",
        {
            "form": form,
            "organisation": organisation,
            "hidden_members": hidden,
            "title": _("编辑%(name)s") % {"name": organisation.name}
            if organisation
            else _("登记合作社/家庭农场"),
        },
        status=status,
    )


@login_required
def organisation_new(request: HttpRequest) -> HttpResponse:
    require_cap(request.user, RECORD)
    return _organisation_form(request, None)


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_visible_or_404(
        Organisation.objects.select_related("village"), request.user, RECORD, pk=pk
    )
    return _organisation_form(request, organisation)


# -- 带动 agreements -------------------------------------------------------------------------------------------


@login_required
def agreements(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_cap(user, VIEW)
    q = (request.GET.get("q") or "").strip()
    kind = request.GET.get("kind") or ""
    qs = (
        Agreement.objects.visible_to(user, VIEW)
        .select_related("village", "organisation", "grower")
        .order_by("-signed_on", "-pk")
    )
    if q:
        qs = qs.filter(
            Q(enterprise_name__contains=q)
            | Q(organisation__name__contains=q)
            | Q(grower__name__contains=q)
            | Q(subject__contains=q)
        )
    if kind in AgreementKind.values:
        qs = qs.filter(kind=kind)
    page_obj = paginate(request, qs)
    _editable(user, page_obj)
    return render(
        request,
        "cluster/partners/agreements.html",
        {
            "page_obj": page_obj,
            "q": q,
            "kind": kind,
            "kinds": AgreementKind.choices,
            "can_record": user.has_cap(RECORD),
        },
    )


def _agreement_form(request: HttpRequest, agreement: Agreement | None) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {}
    if agreement is not None:
        initial = {
            f: getattr(agreement, f)
            for f in ("kind", "organisation", "grower", "subject", "volume_kg", "amount_yuan", "signed_on")
        }
        initial["enterprise"] = agreement.enterprise_id
    form = AgreementForm(
        request.POST or None,
        initial=initial,
        enterprises=list(queries.leading_enterprises()),
        organisations=Organisation.objects.visible_to(user, RECORD).order_by("name"),
        growers=Grower.objects.visible_to(user, RECORD)
        .select_related("village")
        .order_by("village__name", "name"),
    )

    def save(d: dict[str, Any]) -> Agreement:
        fields = {
            "actor": user,
            "enterprise": queries.enterprise(d["enterprise"]),
            "kind": d["kind"],
            "subject": d["subject"],
            "signed_on": d["signed_on"],
            "organisation": d["organisation"],
            "grower": d["grower"],
            "volume_kg": d["volume_kg"],
            "amount_yuan": d["amount_yuan"],
        }
        if agreement is None:
            return actions.do_record_agreement(**fields)
        return actions.do_update_agreement(agreement, **fields)

    saved, status = _save(request, form, save)
    if saved is not None:
        messages.success(request, _("已保存%(name)s的带动协议") % {"name": saved.enterprise_name})
        return redirect("cluster:agreements")
    return render(
        request,
        "cluster/form.html",
        {
            "form": form,
            "title": _("编辑带动协议") if agreement else _("登记带动协议"),
            "back": reverse("cluster:agreements"),
        },
        status=status,
    )


@login_required
def agreement_new(request: HttpRequest) -> HttpResponse:
    require_cap(request.user, RECORD)
    return _agreement_form(request, None)


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_visible_or_404(Agreement, request.user, RECORD, pk=pk)
    return _agreement_form(request, agreement)


# -- incubation centres -----------------------------------------------------------------------------------------


@login_required
def centres(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_cap(user, VIEW)
    qs = (
        Centre.objects.visible_to(user, VIEW)
        .select_related("village", "venue")
        .annotate(
            training_count=Count("trainings", distinct=True), session_count=Count("sessions", distinct=True)
        )
        .order_by("village__name", "name", "pk")
    )
    page_obj = paginate(request, qs)
    _editable(user, page_obj)
    for c in page_obj:
        c.package_rows = [(Package(p).label, PACKAGE_OFFERS[Package(p)]) for p in c.packages]
    return render(
        request,
        "cluster/partners/centres.html",
        {"page_obj": page_obj, "can_record": user.has_cap(RECORD)},
    )


def _centre_form(request: HttpRequest, centre: Centre | None) -> HttpResponse:
    user = request.user
    venues = (
        Venue.objects.visible_to(user, RECORD).filter(is_active=True).select_related("node").order_by("name")
    )
    initial: dict[str, Any] = {}
    if centre is not None:
        initial = {"name": centre.name, "packages": centre.packages, "venue": centre.venue}
    form = CentreForm(
        request.POST or None,
        initial=initial,
        villages=_villages(user),
        venues=venues,
        editing=centre is not None,
    )

    def save(d: dict[str, Any]) -> Centre:
        if centre is None:
            return actions.do_create_centre(
                actor=user,
                name=d["name"],
                village=d["village"],
                venue=d["venue"],
                packages=d["packages"],
                address=d["address"],
            )
        return actions.do_update_centre(
            centre, actor=user, name=d["name"], packages=d["packages"], venue=d["venue"]
        )

    saved, status = _save(request, form, save)
    if saved is not None:
        messages.success(request, _("已保存“%(name)s”") % {"name": saved.name})
        return redirect("cluster:centres")
    return render(
        request,
        "cluster/form.html",
        {
            "form": form,
            "title": _("编辑孵化中心") if centre else _("新建孵化中心"),
            "back": reverse("cluster:centres"),
        },
        status=status,
    )


@login_required
def centre_new(request: HttpRequest) -> HttpResponse:
    require_cap(request.user, RECORD)
    return _centre_form(request, None)


@login_required
def centre_edit(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_visible_or_404(
        Centre.objects.select_related("village", "venue"), request.user, RECORD, pk=pk
    )
    return _centre_form(request, centre)
