"""Territory pages: the org tree, node pages, grids, the grid map, and the JSON pickers every org form uses.

Every read goes through `visible_to(user)` and every single object through `get_visible_or_404`, so a
community-B grid worker gets a 404 for anything of community A. Changes go through org.actions; their
ValidationErrors are shown on the forms in Chinese.
"""

import math
import os
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from minsheng.accounts.choices import Cap
from minsheng.core import navigation, parsing
from minsheng.core.forms import apply_action_errors
from minsheng.core.pagination import paginate
from minsheng.core.permissions import require_cap
from minsheng.core.pinyin import pinyin_key
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required

from .. import actions
from ..choices import ABOVE_STREET_KINDS, ALLOWED_CHILDREN, TERRITORIAL_KINDS, NodeKind
from ..forms.pickers import staff_users_visible_to
from ..forms.territory import GridCreateForm, GridForm, NodeCreateForm, NodeForm
from ..models import EstateProperty, Grid, Household, Node, PartyOrg, Resident

PICKER_LIMIT = 20
#: Children listed on a node page; a 社区 rarely has more, and the tree pages through the rest.
CHILDREN_SHOWN = 200
#: One colour per 社区/村 on the maps, in tree order (chosen to stay apart from each other and from red/blue UI).
PALETTE = [
    "#2f7ed8",
    "#e4572e",
    "#29a36a",
    "#8e5cc7",
    "#f0a202",
    "#17a2b8",
    "#d6336c",
    "#6c8e2f",
    "#b5651d",
    "#4a5fc1",
]


def search_nodes(queryset, text: str):
    """Every word must match a node's name, full name, code prefix or pinyin (full or initials: "cgjd"). The full
    name also matches written without its spaces: "颐和家园2号楼" finds "… 颐和家园 2号楼"."""
    from django.db.models import Value
    from django.db.models.functions import Replace

    queryset = queryset.annotate(compact_name=Replace("full_name", Value(" "), Value("")))
    for term in text.split():
        queryset = queryset.filter(
            Q(name__icontains=term)
            | Q(full_name__icontains=term)
            | Q(compact_name__icontains=term)
            | Q(code__startswith=term)
            | Q(search_key__icontains=term.lower())
        )
    return queryset


def _kinds_param(value: str | None) -> list[str]:
    return [k for k in (value or "").split(",") if k in NodeKind.values]


def scope_roots(user):
    """The tops of the user's visible subtrees: the 街道 for its staff, the 社区 for a community worker."""
    if user.is_superuser:
        return Node.objects.get_root_nodes()
    return Node.objects.filter(path__in=user.scope_paths(Cap.ORG_VIEW))


def subtree_counts(model, nodes, user) -> dict[int, int]:
    """How many visible rows of `model` (a registry hanging off `node`) lie under each node: one query per depth."""
    counts = {n.pk: 0 for n in nodes}
    by_depth: dict[int, list[Node]] = {}
    for n in nodes:
        by_depth.setdefault(n.depth, []).append(n)
    for depth, group in by_depth.items():
        length = depth * Node.steplen
        by_path = {n.path: n.pk for n in group}
        common = os.path.commonprefix(list(by_path))
        common = common[: len(common) // Node.steplen * Node.steplen]
        rows = (
            model.objects.visible_to(user)
            .filter(node__path__startswith=common)
            .annotate(prefix=Substr("node__path", 1, length))
            .order_by()
            .values("prefix")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            if row["prefix"] in by_path:
                counts[by_path[row["prefix"]]] = row["n"]
    return counts


def _tree_rows(nodes, user) -> list[dict]:
    nodes = list(nodes)
    households = subtree_counts(Household, nodes, user)
    residents = subtree_counts(Resident, nodes, user)
    return [{"node": n, "households": households[n.pk], "residents": residents[n.pk]} for n in nodes]


# -- home page panel --------------------------------------------------------------------------------------------


def _home_counts(request):
    """The 工作台's counts of what lies in the user's scope, each linking to its list — for those who keep or read
    the registries (org.change or org.view_pii); property staff, supervisors and officers see their work instead."""
    user = request.user
    if not user.has_cap(Cap.ORG_VIEW) or not (user.has_cap(Cap.ORG_CHANGE) or user.has_cap(Cap.ORG_VIEW_PII)):
        return None
    nodes = Node.objects.visible_to(user).aggregate(
        territories=Count("pk", filter=Q(kind__in=TERRITORIAL_KINDS)),
        estates=Count("pk", filter=Q(kind__in=[NodeKind.ESTATE, NodeKind.NATURAL_VILLAGE])),
        buildings=Count("pk", filter=Q(kind=NodeKind.BUILDING)),
    )
    tree = reverse("org:tree")

    def link(url_name):
        try:
            return reverse(url_name)
        except NoReverseMatch:  # a page another app has not shipped yet: the card shows without a link
            return ""

    stats = [
        (_("社区/村"), nodes["territories"], f"{tree}?kind=community,village", "tree"),
        (_("小区/自然村"), nodes["estates"], f"{tree}?kind=estate,natural_village", "building"),
        (_("楼栋"), nodes["buildings"], f"{tree}?kind=building", "building"),
        (_("网格"), Grid.objects.visible_to(user).count(), reverse("org:grid_list"), "grid"),
        (_("户"), Household.objects.visible_to(user).count(), link("org:household_list"), "house"),
        (_("居民"), Resident.objects.visible_to(user).count(), link("org:resident_list"), "people"),
        (_("党组织"), PartyOrg.objects.visible_to(user).count(), link("org:party_list"), "flag"),
    ]
    my_grids = (
        Grid.objects.visible_to(user)
        .filter(Q(worker=user) | Q(deputies=user))
        .select_related("community")
        .distinct()
    )
    return {
        "stats": [{"label": s[0], "count": s[1], "url": s[2], "icon": s[3]} for s in stats],
        "my_grids": list(my_grids),
    }


navigation.register_panel("org/territory/_home_counts.html", _home_counts, order=10)


def _my_places(request):
    """The 工作台's 我的小区 card for whoever works at 小区 (property staff): each place they serve, linked to its
    page, with its property record."""
    user = request.user
    places = sorted(
        {
            m.node
            for m in user.active_memberships
            if m.node.kind in (NodeKind.ESTATE, NodeKind.NATURAL_VILLAGE)
        },
        key=lambda n: n.path,
    )
    if not places:
        return None
    estates = {e.node_id: e for e in EstateProperty.objects.filter(node__in=places).select_related("company")}
    return {"places": [{"node": n, "estate": estates.get(n.pk)} for n in places]}


navigation.register_panel("org/territory/_my_places.html", _my_places, order=6)


# -- the tree ---------------------------------------------------------------------------------------------------


@staff_required
def tree(request):
    """The user's scope roots, expandable with HTMX; a name/pinyin search and a per-kind list share the page."""
    user = request.user
    q = request.GET.get("q", "").strip()[:50]
    kinds = _kinds_param(request.GET.get("kind"))
    results = None
    if q or kinds:
        found = Node.objects.visible_to(user)
        if kinds:
            found = found.filter(kind__in=kinds)
        results = paginate(request, search_nodes(found, q).order_by("depth", "path"))
    context = {"q": q, "kinds": kinds, "kind_labels": [NodeKind(k).label for k in kinds], "results": results}
    if request.headers.get("HX-Target") == "search-results":
        return render(request, "org/territory/_search_results.html", context)
    roots = _tree_rows(scope_roots(user), user)
    # A single root (a community worker's 社区) opens on its children: one click fewer for everyone.
    for row in roots:
        row["open"] = len(roots) == 1 and row["node"].numchild > 0
        row["children"] = _tree_rows(Node.objects.get_children(row["node"]), user) if row["open"] else None
    context["roots"] = roots
    return render(request, "org/territory/tree.html", context)


@staff_required
def tree_children(request, pk):
    node = get_visible_or_404(Node, request.user, pk=pk)
    rows = _tree_rows(Node.objects.get_children(node)[: CHILDREN_SHOWN + 1], request.user)
    return render(
        request,
        "org/territory/_tree_rows.html",
        {"rows": rows[:CHILDREN_SHOWN], "more": len(rows) > CHILDREN_SHOWN, "parent": node},
    )


# -- nodes ------------------------------------------------------------------------------------------------------


def _breadcrumb(node, user):
    """Ancestors, linked where the user may open them (a 社区 worker sees the 街道 by name only)."""
    ancestors = list(Node.objects.get_ancestors(node))
    visible = set(Node.objects.visible_to(user).filter(path__in=[a.path for a in ancestors]))
    return [{"node": a, "linked": a in visible} for a in ancestors]


def _grids_of(node, user):
    grids = Grid.objects.visible_to(user).select_related("community", "worker")
    if node.kind in TERRITORIAL_KINDS:
        return list(grids.filter(community=node))
    if node.kind == NodeKind.STREET:
        return None  # dozens: the page links to the grid list instead
    own_and_above = [node.path[: i * Node.steplen] for i in range(1, node.depth + 1)]
    covering = Q(nodes__path__in=own_and_above)
    if node.lat is not None and node.lng is not None:
        covering |= Q(pk__in=grids.containing(node.lat, node.lng).values("pk"))
    return list(grids.filter(covering).distinct())


@staff_required
def node_detail(request, pk):
    user = request.user
    # Who keeps no registry (property staff: decision 0060) still opens the place they work at — their 小区, its
    # buildings and its property record — through the cases they hold there, without the population registries.
    registries = user.has_cap(Cap.ORG_VIEW)
    place_cap = Cap.ORG_VIEW if registries else Cap.CASES_VIEW
    node = get_visible_or_404(Node, user, place_cap, pk=pk)
    children = _tree_rows(Node.objects.get_children(node)[: CHILDREN_SHOWN + 1], user)
    in_subtree = {"node__path__startswith": node.path}
    estate = None
    if node.kind == NodeKind.ESTATE:
        estate = (
            EstateProperty.objects.visible_to(user, place_cap)
            .filter(node=node)
            .select_related("company")
            .first()
        )
    shapes = [{"geometry": node.geometry, "name": node.name, "main": True}] if node.geometry else []
    shapes += [
        {"geometry": row["node"].geometry, "name": row["node"].name, "main": False}
        for row in children
        if row["node"].geometry
    ]
    can_change = user.has_cap(Cap.ORG_CHANGE, node)
    return render(
        request,
        "org/territory/node_detail.html",
        {
            "node": node,
            "breadcrumb": _breadcrumb(node, user),
            "children": children[:CHILDREN_SHOWN],
            "more_children": len(children) > CHILDREN_SHOWN,
            "grids": _grids_of(node, user),
            "responsible": actions.responsible_for(node),
            "estate": estate,
            "households": Household.objects.visible_to(user).filter(**in_subtree).count(),
            "residents": Resident.objects.visible_to(user).filter(**in_subtree).count(),
            "shapes": shapes,
            "map_tiles": getattr(settings, "MINSHENG_MAP_TILES", ""),
            "can_change": can_change,
            "can_add_child": can_change and bool(ALLOWED_CHILDREN.get(node.kind)),
            "can_add_grid": can_change and node.kind in TERRITORIAL_KINDS,
            # the levels above the 社区 are the system administrator's to reshape (the 行政层级 page)
            "can_reshape": user.is_superuser and node.kind in (*ABOVE_STREET_KINDS, NodeKind.STREET),
            "registries": registries,
        },
    )


@staff_required
def node_create(request, pk):
    """A child of node `pk`."""
    parent = get_visible_or_404(Node, request.user, pk=pk)
    require_cap(request.user, Cap.ORG_CHANGE, parent, message=_("没有权限修改该组织节点"))
    form = NodeCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            node = actions.create_node(parent=parent, actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("已新增：%(name)s") % {"name": node.name})
            return redirect("org:node_detail", pk=node.pk)
    return render(
        request,
        "org/territory/node_form.html",
        {"form": form, "parent": parent, "title": _("在“%(name)s”下新增") % {"name": parent.name}},
    )


@staff_required
def node_edit(request, pk):
    node = get_visible_or_404(Node, request.user, pk=pk)
    require_cap(request.user, Cap.ORG_CHANGE, node, message=_("没有权限修改该组织节点"))
    initial = {
        "name": node.name,
        "code": node.code or "",
        "geometry": node.geometry,
        "case_prefix": node.case_prefix,
    }
    form = NodeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_node(node, actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("org:node_detail", pk=node.pk)
    return render(
        request,
        "org/territory/node_form.html",
        {"form": form, "node": node, "title": _("编辑：%(name)s") % {"name": node.name}},
    )


# -- grids ------------------------------------------------------------------------------------------------------


@staff_required
def grid_list(request):
    user = request.user
    grids = (
        Grid.objects.visible_to(user)
        .select_related("community", "worker")
        .annotate(deputy_count=Count("deputies", distinct=True), node_count=Count("nodes", distinct=True))
        .order_by("code")
    )
    community = None
    community_id = request.GET.get("community", "").strip()
    if community_id:
        territories = Node.objects.visible_to(user).filter(kind__in=TERRITORIAL_KINDS)
        community = territories.filter(pk=community_id).first() if parsing.is_id(community_id) else None
        if community is None:
            messages.warning(request, _("所选社区/村不存在或不在您的范围内，已显示全部网格"))
        else:
            grids = grids.filter(community=community)
    q = request.GET.get("q", "").strip()[:50]
    for term in q.split():
        grids = grids.filter(
            Q(name__icontains=term) | Q(code__startswith=term) | Q(search_key__icontains=term.lower())
        )
    can_add = any(user.has_cap(Cap.ORG_CHANGE, n) for n in scope_roots(user))
    return render(
        request,
        "org/territory/grid_list.html",
        {"page_obj": paginate(request, grids), "q": q, "community": community, "can_add": can_add},
    )


def _grid_feature(grid, colour: str) -> dict:
    worker = grid.worker if grid.worker_id and grid.worker.is_active else None
    return {
        "type": "Feature",
        "geometry": grid.boundary,
        "properties": {
            "id": grid.pk,
            "name": grid.name,
            "code": grid.code,
            "community": grid.community.name,
            "worker": str(worker) if worker else "",
            "fallback": "" if worker else _("无专人负责，由%(name)s兜底") % {"name": grid.community.name},
            "color": colour,
            "url": reverse("org:grid_detail", args=[grid.pk]),
        },
    }


@staff_required
def grid_detail(request, pk):
    user = request.user
    grid = get_visible_or_404(Grid.objects.select_related("community", "worker"), user, pk=pk)
    worker, answering_node = grid.responsible()
    shapes = []
    if grid.community.geometry:
        shapes.append({"geometry": grid.community.geometry, "name": grid.community.name, "main": False})
    if grid.boundary:
        shapes.append({"geometry": grid.boundary, "name": grid.name, "main": True})
    return render(
        request,
        "org/territory/grid_detail.html",
        {
            "grid": grid,
            "worker": worker,
            "answering_node": answering_node,
            "deputies": list(grid.deputies.filter(is_active=True)),
            "covered": list(grid.nodes.all()),
            "shapes": shapes,
            "map_tiles": getattr(settings, "MINSHENG_MAP_TILES", ""),
            "can_change": user.has_cap(Cap.ORG_CHANGE, grid.community),
        },
    )


def _grid_form_initial(grid) -> dict:
    return {
        "name": grid.name,
        "worker": grid.worker_id,
        "deputies": list(grid.deputies.values_list("pk", flat=True)),
        "nodes": list(grid.nodes.values_list("pk", flat=True)),
        "boundary": grid.boundary,
    }


@staff_required
def grid_edit(request, pk):
    user = request.user
    grid = get_visible_or_404(Grid.objects.select_related("community"), user, pk=pk)
    require_cap(user, Cap.ORG_CHANGE, grid.community, message=_("没有权限修改该组织节点"))
    form = GridForm(request.POST or None, user=user, initial=_grid_form_initial(grid))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_grid(grid, actor=user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("网格已保存"))
            return redirect("org:grid_detail", pk=grid.pk)
    return render(
        request,
        "org/territory/grid_form.html",
        {"form": form, "grid": grid, "title": _("编辑网格：%(name)s") % {"name": grid.name}},
    )


@staff_required
def grid_create(request):
    user = request.user
    initial = {}
    community_id = request.GET.get("community", "")
    if parsing.is_id(community_id):
        initial["community"] = community_id
    form = GridCreateForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            grid = actions.create_grid(actor=user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("已新增网格：%(name)s") % {"name": grid.name})
            return redirect("org:grid_detail", pk=grid.pk)
    return render(request, "org/territory/grid_form.html", {"form": form, "title": _("新增网格")})


# -- the grid map -----------------------------------------------------------------------------------------------


@staff_required
def grid_map(request):
    return render(
        request,
        "org/territory/grid_map.html",
        {"map_tiles": getattr(settings, "MINSHENG_MAP_TILES", "")},
    )


@require_GET
@staff_required
def grid_geojson(request):
    """Every visible grid polygon, and the outlines of the 社区/村 they belong to, coloured per 社区/村."""
    user = request.user
    territories = list(Node.objects.visible_to(user).filter(kind__in=TERRITORIAL_KINDS).order_by("path"))
    colour = {n.pk: PALETTE[i % len(PALETTE)] for i, n in enumerate(territories)}
    grids = (
        Grid.objects.visible_to(user)
        .filter(boundary__isnull=False)
        .select_related("community", "worker")
        .order_by("code")
    )
    features = [_grid_feature(g, colour.get(g.community_id, PALETTE[0])) for g in grids if g.boundary]
    outlines = [
        {
            "type": "Feature",
            "geometry": n.geometry,
            "properties": {"id": n.pk, "name": n.name, "color": colour[n.pk]},
        }
        for n in territories
        if n.geometry
    ]
    return JsonResponse(
        {
            "grids": {"type": "FeatureCollection", "features": features},
            "communities": {"type": "FeatureCollection", "features": outlines},
        }
    )


def _coordinate(raw: str | None, low: float, high: float, name: str) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError) as exc:
        raise ValidationError({name: _("请提供数字")}) from exc
    if not math.isfinite(value) or not low <= value <= high:
        raise ValidationError({name: _("应在 %(low)s 到 %(high)s 之间") % {"low": low, "high": high}})
    return value


@require_GET
@staff_required
def grid_locate(request):
    """Which of the user's visible grids contains a point: ?lat=36.505&lng=118.505."""
    errors = {}
    point = {}
    for name, low, high in (("lat", -90.0, 90.0), ("lng", -180.0, 180.0)):
        try:
            point[name] = _coordinate(request.GET.get(name), low, high, name)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        return JsonResponse({"detail": _("经纬度无效"), "errors": errors}, status=400)
    grids = (
        Grid.objects.visible_to(request.user)
        .containing(point["lat"], point["lng"])
        .select_related("community", "worker")
    )
    found = [_grid_feature(g, "")["properties"] for g in grids]
    if found:
        message = _("该点位于：%(names)s") % {"names": "、".join(g["name"] for g in found)}
    else:
        message = _("该点不在您可查看的任何网格内")
    return JsonResponse({"lat": point["lat"], "lng": point["lng"], "grids": found, "message": message})


# -- pickers ----------------------------------------------------------------------------------------------------

#: A form names the capability its places are chosen under (a case's place under cases.create, a project's under
#: enterprise.manage): the search answers within the user's scope for it, so someone without org.view (a village
#: supervisor reporting a case, decision 0060) still finds their places.
_PICKER_CAPABILITIES = set(Cap)


@require_GET
@staff_required
def pick_nodes(request):
    """Picker search over visible nodes: ?q=cgjd&kind=community,village (see static/minsheng/picker.js)."""
    q = request.GET.get("q", "").strip()[:50]
    capability = request.GET.get("cap", Cap.ORG_VIEW)
    if capability not in _PICKER_CAPABILITIES:
        capability = Cap.ORG_VIEW
    nodes = Node.objects.visible_to(request.user, capability)
    kinds = _kinds_param(request.GET.get("kind"))
    if kinds:
        nodes = nodes.filter(kind__in=kinds)
    nodes = search_nodes(nodes, q).order_by("depth", "path")[:PICKER_LIMIT]
    return JsonResponse(
        {
            "results": [
                {
                    "id": n.pk,
                    "text": n.full_name or n.name,
                    "detail": f"{n.get_kind_display()}{' · ' + n.code if n.code else ''}",
                    "kind": n.kind,
                }
                for n in nodes
            ]
        }
    )


@lru_cache(maxsize=4096)
def _name_pinyin(name: str) -> str:
    return pinyin_key(name)


@require_GET
@staff_required
def pick_users(request):
    """Picker search over staff accounts in the user's scope, by name, username or pinyin of the name.

    Accounts carry no stored pinyin key, so pinyin is matched in Python over the (few hundred) staff in scope.
    """
    q = request.GET.get("q", "").strip().lower()[:50]
    users = staff_users_visible_to(request.user).order_by("display_name", "username")
    if not q:
        matches = list(users[:PICKER_LIMIT])
    elif q.isascii() and q.isalpha():
        matches = [
            u
            for u in users.only("pk", "display_name", "username", "title")
            if q in u.username.lower() or q in _name_pinyin(u.display_name or "")
        ]
    else:
        matches = list(users.filter(Q(display_name__icontains=q) | Q(username__icontains=q))[:PICKER_LIMIT])
    return JsonResponse(
        {
            "results": [
                {"id": u.pk, "text": str(u), "detail": u.title or u.username} for u in matches[:PICKER_LIMIT]
            ]
        }
    )
