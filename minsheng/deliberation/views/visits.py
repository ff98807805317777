"""Visits on the phone (my round, the visit log), campaigns, 联户交心 and 红色管家 teams.

The round and the log are the visitor's own: a household appears there because it is assigned to him, and the
action refuses a log by anyone else. Household addresses are personal data: the round shows the room (the
visitor must find the door); lists for others show the masked address.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.accounts.choices import Cap
from minsheng.accounts.models import User
from minsheng.core.forms import apply_action_errors
from minsheng.core.masking import mask_address
from minsheng.core.pagination import paginate
from minsheng.core.scoping import get_visible_or_404
from minsheng.org.choices import NodeKind
from minsheng.org.models import Grid, Node, PartyMember, ResidentTag

from .. import actions, queries
from ..choices import OPEN_TARGET_STATES, ItemKind, TargetStatus
from ..forms import CampaignForm, ContactForm, VisitForm
from ..models import RedTeam, VisitCampaign, VisitTarget
from .meetings import deliberation_required


@login_required
@require_GET
def my_round(request):
    """我的走访: the households assigned to me still to visit (不在家 ones come back), then today's done ones."""
    mine = VisitTarget.objects.filter(visitor=request.user).select_related("household__node", "campaign")
    todo = mine.filter(status__in=OPEN_TARGET_STATES).order_by(
        "status", "household__node__path", "household__room"
    )
    done = mine.exclude(status__in=OPEN_TARGET_STATES).order_by("-last_visit_at")[:20]
    return render(
        request,
        "deliberation/visits/round.html",
        {"todo": todo, "done": done},
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_log(request, pk):
    target = (
        VisitTarget.objects.filter(pk=pk, visitor=request.user)
        .select_related("household__node", "campaign")
        .first()
    )
    if target is None:
        raise PermissionDenied(_("这户不在您的走访名单上，只有分配的走访人可以记录"))
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        problems = []
        if data["problem"].strip():
            problems.append({"text": data["problem"], "category": data["category"], "kind": ItemKind.PROBLEM})
        try:
            visit = actions.do_record_visit(
                target,
                actor=request.user,
                outcome=data["outcome"],
                notes=data["notes"],
                photos=request.FILES.getlist("photos"),
                problems=problems,
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            opened = [i.case.number for i in visit.items.select_related("case") if i.case]
            text = _("已记录：%(h)s %(o)s") % {
                "h": target.household.head_name,
                "o": visit.get_outcome_display(),
            }
            if opened:
                text += _("；问题已立案 %(n)s") % {"n": "、".join(opened)}
            messages.success(request, text)
            return redirect("deliberation:my_round")
    members = target.household.members.prefetch_related("tags")
    return render(
        request,
        "deliberation/visits/log.html",
        {"target": target, "form": form, "members": members, "history": target.visits.all()[:5]},
    )


# -- campaigns -----------------------------------------------------------------------------------------------------


@deliberation_required
@require_http_methods(["GET", "POST"])
def campaigns(request):
    user = request.user
    can_manage = user.has_cap(Cap.DELIBERATION_MANAGE)
    nodes = (
        list(
            Node.objects.visible_to(user, Cap.DELIBERATION_MANAGE).filter(
                kind__in=(NodeKind.STREET, NodeKind.COMMUNITY, NodeKind.ESTATE)
            )
        )
        if can_manage
        else []
    )
    form = CampaignForm(request.POST or None, nodes=nodes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            campaign = actions.do_create_campaign(actor=user, node=form.nodes[data.pop("node")], **data)
        except ValidationError as exc:
            apply_action_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("deliberation:campaign", campaign.pk)
    rows = (
        VisitCampaign.objects.visible_to(user, Cap.DELIBERATION_VIEW)
        .select_related("node")
        .annotate(
            targeted=Count("targets"),
            visited=Count("targets", filter=Q(targets__status=TargetStatus.VISITED)),
        )
    )
    return render(
        request,
        "deliberation/visits/campaigns.html",
        {"rows": rows, "form": form, "can_manage": can_manage},
    )


@deliberation_required
@require_http_methods(["GET", "POST"])
def campaign_detail(request, pk):
    campaign = get_visible_or_404(
        VisitCampaign.objects.select_related("node", "team"), request.user, Cap.DELIBERATION_VIEW, pk=pk
    )
    user = request.user
    can_manage = user.has_cap(Cap.DELIBERATION_MANAGE, campaign.node)
    if request.method == "POST":
        try:
            if request.POST.get("verb") == "targets":
                node = (
                    Node.objects.visible_to(user, Cap.DELIBERATION_MANAGE)
                    .filter(pk=request.POST.get("node") or 0)
                    .first()
                )
                tag = ResidentTag.objects.filter(pk=request.POST.get("tag") or 0).first()
                grid_ids = [g for g in request.POST.getlist("grids") if g.isdigit()]
                grids = list(Grid.objects.visible_to(user, Cap.DELIBERATION_VIEW).filter(pk__in=grid_ids))
                n = actions.do_add_targets(campaign, actor=user, node=node, grids=grids, tag=tag)
                messages.success(request, _("已加入 %(n)d 户") % {"n": n})
            elif request.POST.get("verb") == "assign":
                visitor = User.objects.filter(pk=request.POST.get("visitor") or 0, is_active=True).first()
                node = (
                    Node.objects.visible_to(user, Cap.DELIBERATION_VIEW)
                    .filter(pk=request.POST.get("node") or 0)
                    .first()
                )
                n = actions.do_assign(campaign, actor=user, visitor=visitor, node=node)
                messages.success(request, _("已分配 %(n)d 户") % {"n": n})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        return redirect("deliberation:campaign", campaign.pk)
    targets = queries.targets(user).filter(campaign=campaign)
    status = request.GET.get("status", "")
    listed = targets.filter(status=status) if status in TargetStatus.values else targets
    page = paginate(request, listed.order_by("household__node__path", "household__room"), per_page=50)
    rows = [{"t": t, "address": mask_address(t.household.address)} for t in page.object_list]
    by_visitor = (
        targets.values("visitor__display_name")
        .annotate(
            n=Count("pk"),
            visited=Count("pk", filter=Q(status=TargetStatus.VISITED)),
            not_home=Count("pk", filter=Q(status=TargetStatus.NOT_HOME)),
        )
        .order_by("visitor__display_name")
    )
    buildings = Node.objects.filter(path__startswith=campaign.node.path, kind=NodeKind.BUILDING).order_by(
        "path"
    )
    team_users = list(campaign.team.members.all()) if campaign.team else []
    staff = (
        User.objects.filter(memberships__node__path__startswith=campaign.node.path[:8], is_active=True)
        .distinct()
        .order_by("display_name")[:200]
    )
    return render(
        request,
        "deliberation/visits/campaign.html",
        {
            "campaign": campaign,
            "coverage": queries.coverage(targets),
            "rows": rows,
            "page_obj": page,
            "by_visitor": by_visitor,
            "can_manage": can_manage,
            "buildings": buildings,
            "visitors": team_users or staff,
            "tags": ResidentTag.objects.all(),
            "grids": Grid.objects.visible_to(user, Cap.DELIBERATION_VIEW)
            .filter(nodes__path__startswith=campaign.node.path)
            .distinct()
            .order_by("code"),
            "status": status,
            "statuses": TargetStatus.choices,
        },
    )


# -- 联户交心 and teams --------------------------------------------------------------------------------------------


@deliberation_required
@require_GET
def linked(request):
    """Overdue 联户 contacts, per party member and per 支部."""
    overdue = queries.overdue_pairs(request.user)
    total = overdue.count()
    pairs = list(overdue[:500])  # a page's worth; the count above is the whole
    by_member: dict = {}
    by_branch: dict = {}
    for pair in pairs:
        member = pair.partymember
        by_member.setdefault(member, []).append(pair)
        by_branch[member.party_org] = by_branch.get(member.party_org, 0) + 1
    return render(
        request,
        "deliberation/linked/overdue.html",
        {
            "by_member": [
                {"member": m, "pairs": [{"p": p, "address": mask_address(p.household.address)} for p in ps]}
                for m, ps in by_member.items()
            ],
            "by_branch": sorted(by_branch.items(), key=lambda kv: -kv[1]),
            "total": total,
            "form": ContactForm(),
        },
    )


@login_required
@require_POST
def linked_contact(request, member_pk):
    """记录联户: the member himself (his account) or a staff member who may record at the household."""
    member = PartyMember.objects.filter(pk=member_pk).select_related("party_org__node").first()
    form = ContactForm(request.POST)
    if member is None or not form.is_valid():
        messages.error(request, _("请检查填写的内容"))
        return redirect("deliberation:linked")
    household = member.households.filter(pk=form.cleaned_data["household"]).first()
    try:
        if household is None:
            raise ValidationError(_("该户不是这名党员的联系户"))
        actions.do_record_contact(
            member,
            household,
            actor=request.user,
            method=form.cleaned_data["method"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request, _("已记录联户：%(m)s → %(h)s") % {"m": member.name, "h": household.head_name}
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("deliberation:linked")


@deliberation_required
@require_http_methods(["GET", "POST"])
def teams(request):
    """红色管家 teams; a manager forms one: a name, the 社区/小区, members (accounts) and the buildings covered."""
    user = request.user
    nodes = Node.objects.visible_to(user, Cap.DELIBERATION_MANAGE).filter(
        kind__in=(NodeKind.COMMUNITY, NodeKind.ESTATE)
    )
    if request.method == "POST":
        node = (
            nodes.filter(pk=request.POST.get("node") or 0).first()
            if user.has_cap(Cap.DELIBERATION_MANAGE)
            else None
        )
        if node is None:
            messages.error(request, _("请选择社区/小区"))
            return redirect("deliberation:teams")
        members = list(
            User.objects.filter(
                pk__in=[v for v in request.POST.getlist("members") if v.isdigit()], is_active=True
            )
        )
        buildings = list(
            Node.objects.filter(
                pk__in=[v for v in request.POST.getlist("buildings") if v.isdigit()], kind=NodeKind.BUILDING
            )
        )
        try:
            actions.do_create_team(
                actor=user,
                name=request.POST.get("name", ""),
                node=node,
                leader=members[0] if members else None,
                members=members,
                buildings=buildings,
            )
            messages.success(request, _("队伍已建立"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        return redirect("deliberation:teams")
    rows = (
        RedTeam.objects.visible_to(user, Cap.DELIBERATION_VIEW)
        .select_related("node", "leader")
        .prefetch_related("members", "buildings")
    )
    can_manage = user.has_cap(Cap.DELIBERATION_MANAGE)
    context = {"rows": rows, "can_manage": can_manage}
    if can_manage:
        paths = user.scope_paths(Cap.DELIBERATION_MANAGE)
        people = User.objects.filter(is_active=True)
        if not user.is_superuser:
            inside = Q()
            for path in paths:
                inside |= Q(memberships__node__path__startswith=path)
            people = people.filter(inside)
        context["nodes"] = nodes.order_by("path")
        context["buildings"] = (
            Node.objects.visible_to(user, Cap.DELIBERATION_MANAGE)
            .filter(kind=NodeKind.BUILDING)
            .order_by("path")[:300]
        )
        context["people"] = people.distinct().order_by("display_name")[:300]
    return render(request, "deliberation/visits/teams.html", context)
