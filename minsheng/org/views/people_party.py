"""Party organisations and members: the 街道党工委 → 社区党委 → 小区党支部 tree, posts, 楼长/单元长, 党员联户."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from minsheng.core.masking import mask_phone
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required

from .. import actions
from ..choices import PartyPost
from ..forms.people import MemberHouseholdsForm, PartyMemberForm
from ..forms.pickers import apply_action_errors
from ..models import Household, PartyMember, PartyOrg
from .people import place_under, require_cap

#: Posts in the order a party organisation lists its people: leadership first, ordinary members last.
POST_ORDER = {value: index for index, value in enumerate(PartyPost.values)}


def _by_post(members):
    """Leadership first; 楼长 and 单元长 in the order of their buildings and units."""
    return sorted(
        members,
        key=lambda m: (POST_ORDER.get(m.post, len(POST_ORDER)), m.led_node.path if m.led_node else "", m.pk),
    )


@staff_required
def party_list(request):
    orgs = list(
        PartyOrg.objects.visible_to(request.user)
        .select_related("node")
        .annotate(member_count=Count("members"))
    )
    # Totals over each subtree, summed from the one list above: every org adds its count to all its ancestors.
    totals: dict[str, int] = {}
    for org in orgs:
        for depth in range(1, org.depth + 1):
            prefix = org.path[: depth * PartyOrg.steplen]
            totals[prefix] = totals.get(prefix, 0) + org.member_count
    top = min((org.depth for org in orgs), default=1)
    for org in orgs:
        org.total_count = totals[org.path]
        org.level = org.depth - top
    return render(request, "org/people/party_list.html", {"orgs": orgs})


@staff_required
def party_detail(request, pk):
    user = request.user
    org = get_visible_or_404(PartyOrg.objects.select_related("node"), user, pk=pk)
    members = _by_post(org.members.select_related("led_node", "resident"))
    parent = PartyOrg.objects.visible_to(user).filter(path=org.path[: -PartyOrg.steplen]).first()
    children = (
        PartyOrg.objects.visible_to(user)
        .filter(path__startswith=org.path, depth=org.depth + 1)
        .annotate(member_count=Count("members"))
    )
    post_counts = [
        (label, sum(1 for m in members if m.post == value))
        for value, label in PartyPost.choices
        if any(m.post == value for m in members)
    ]
    return render(
        request,
        "org/people/party_detail.html",
        {
            "org": org,
            "parent": parent,
            "children": children,
            "members": [
                (m, mask_phone(m.phone), place_under(m.led_node, org.node) if m.led_node else "")
                for m in members
            ],
            "post_counts": post_counts,
            "can_change": user.has_cap("org.change", org.node),
        },
    )


@staff_required
def party_member_create(request, pk):
    org = get_visible_or_404(PartyOrg.objects.select_related("node"), request.user, pk=pk)
    require_cap(request.user, "org.change", org.node)
    form = PartyMemberForm(request.POST or None, user=request.user, party_org=org)
    if request.method == "POST" and form.is_valid():
        try:
            member = actions.add_party_member(party_org=org, actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("已添加党员“%(name)s”") % {"name": member.name})
            return redirect("org:party_member_detail", pk=member.pk)
    return render(request, "org/people/party_member_form.html", {"form": form, "org": org})


@staff_required
def party_member_detail(request, pk):
    """A member's post and led building, and the households they keep in touch with (a POST sets those)."""
    user = request.user
    member = get_visible_or_404(
        PartyMember.objects.select_related("party_org__node", "led_node", "resident"), user, pk=pk
    )
    can_change = user.has_cap("org.change", member.party_org.node)
    form = None
    if can_change:
        linked = Household.objects.visible_to(user, "org.change").filter(contact_members=member)
        form = MemberHouseholdsForm(
            request.POST or None, user=user, member=member, initial={"households": list(linked)}
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("没有权限执行此操作"))
        if form.is_valid():
            try:
                actions.link_member_households(member, form.cleaned_data["households"], actor=user)
            except (ValidationError, PermissionDenied) as exc:
                apply_action_errors(form, exc)
            else:
                messages.success(request, _("已更新联系户"))
                return redirect("org:party_member_detail", pk=member.pk)
    households = [
        (h, place_under(h.node, member.party_org.node))
        for h in Household.objects.visible_to(user).filter(contact_members=member).select_related("node")
    ]
    return render(
        request,
        "org/people/party_member_detail.html",
        {
            "member": member,
            "phone": mask_phone(member.phone),
            "households": households,
            "assignments": member.assignments.visible_to(user).select_related("node"),
            "form": form,
            "can_change": can_change,
        },
    )
