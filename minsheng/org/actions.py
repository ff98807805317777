"""Every change to the organisation registries goes through these functions.

Views, the API, the xlsx importer, the admin-facing commands and the demo loader all call them, so validation,
permission checks, derived fields and the audit trail are the same whichever door a change comes through.
Each takes the acting user as `actor`; `actor=None` means the system itself (migrations, the demo bootstrap).
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.accounts.models import User
from minsheng.core import clock
from minsheng.core.permissions import require_cap

from .choices import ALLOWED_CHILDREN, TERRITORIAL_KINDS, NodeKind, PartyPost, PropertyStatus
from .models import (
    Assignment,
    EstateProperty,
    Grid,
    Household,
    Node,
    PartyMember,
    PartyOrg,
    PropertyCompany,
    Resident,
    ResidentTag,
)
from .validators import birth_date_from_id, gender_from_id


def _clean_and_save(obj: models.Model, *, exclude: Iterable[str] = ()) -> None:
    obj.full_clean(exclude=list(exclude))
    obj.save()


# -- administrative tree ---------------------------------------------------------------------------


@transaction.atomic
def create_node(
    *,
    parent: Node | None,
    kind: str,
    name: str,
    code: str | None = None,
    geometry: dict[str, Any] | None = None,
    case_prefix: str = "",
    actor: User | None = None,
) -> Node:
    if parent is None and actor is not None and not actor.is_superuser:
        # a new 街道/乡镇 at the top of the tree is a deployment decision, not a registry edit
        raise PermissionDenied(_("只有系统管理员可以新建顶层街道/乡镇"))
    if parent is not None:
        # The parent as it is now, its row locked: a concurrent move of its subtree (which rewrites its path and
        # full name) finishes first, so the child takes the path and names the parent has then, never the old ones.
        parent = Node.objects.select_for_update().get(pk=parent.pk)
    require_cap(actor, Cap.ORG_CHANGE, parent)
    parent_kind = parent.kind if parent is not None else None
    if kind not in ALLOWED_CHILDREN.get(parent_kind, set()):
        raise ValidationError(
            {
                "kind": _("“%(kind)s”不能建在“%(parent)s”之下")
                % {
                    "kind": NodeKind(kind).label,
                    "parent": NodeKind(parent_kind).label if parent_kind else _("顶层"),
                }
            }
        )
    node = Node(
        kind=kind,
        name=(name or "").strip(),
        code=code or None,
        geometry=geometry or None,
        case_prefix=(case_prefix or "").strip().upper(),
    )
    node.full_clean(exclude=["path", "depth", "numchild"])
    node.refresh_derived(parent=parent)
    if parent is None:
        return Node.objects.add_root(instance=node)
    return Node.objects.add_child(parent, instance=node)


@transaction.atomic
def update_node(node: Node, *, actor: User | None = None, **fields: Any) -> Node:
    require_cap(actor, Cap.ORG_CHANGE, node)
    node = Node.objects.select_for_update().get(pk=node.pk)
    renamed = "name" in fields and fields["name"] != node.name
    for key in ("name", "code", "geometry"):
        if key in fields:
            setattr(node, key, fields[key] or (None if key != "name" else ""))
    if "case_prefix" in fields:
        node.case_prefix = (fields["case_prefix"] or "").strip().upper()
    node.full_clean(exclude=["path", "depth", "numchild"])
    node.refresh_derived()
    node.save()
    if renamed:
        for child in Node.objects.filter(path__startswith=node.path, depth__gt=node.depth).order_by("path"):
            child.refresh_derived()
            child.save(update_fields=["full_name", "search_key", "updated_at"])
    return node


# -- a 街道 joins a county, a county joins a city (docs/decisions/0067, 0072) ------------------------------


@transaction.atomic
def create_county_above(
    streets: Iterable[Node],
    *,
    name: str,
    code: str | None = None,
    case_prefix: str = "",
    actor: User | None = None,
) -> Node:
    """A new county at the root of the tree with the given top-level 街道 moved under it: a deployment that was
    one 街道 (or several side by side) grows into a county. Every top-level 街道 must go under it together, so
    that the 街道 of the deployment keep sitting at one depth."""
    _require_deployment_change(actor)
    streets = _locked(streets)
    if not streets:
        raise ValidationError({"streets": _("请选择要移入新县的街道/乡镇")})
    not_roots = [s.name for s in streets if s.kind != NodeKind.STREET or not s.is_root()]
    if not_roots:
        raise ValidationError(
            {"streets": _("只有顶层的街道/乡镇可以移入新县：%(names)s") % {"names": "、".join(not_roots)}}
        )
    county = create_node(parent=None, kind=NodeKind.COUNTY, name=name, code=code, case_prefix=case_prefix)
    for street in streets:
        _move_under(street, county)
    _check_streets_level("streets")
    return Node.objects.get(pk=county.pk)


@transaction.atomic
def move_street(street: Node, *, county: Node, actor: User | None = None) -> Node:
    """Move a 街道 (a top-level one, or one of another county) under an existing county, with everything below
    it: its cases, grids and people's memberships follow (they hang off its nodes), its case numbers continue
    their own sequence."""
    _require_deployment_change(actor)
    street = Node.objects.select_for_update().get(pk=street.pk)
    county = Node.objects.select_for_update().get(pk=county.pk)
    if street.kind != NodeKind.STREET:
        raise ValidationError({"street": _("只能移动街道/乡镇")})
    if county.kind != NodeKind.COUNTY:
        raise ValidationError({"county": _("街道/乡镇只能移入县/区")})
    if street.path[: -street.steplen] == county.path:
        raise ValidationError(
            {"county": _("“%(street)s”已在“%(county)s”之下") % {"street": street.name, "county": county.name}}
        )
    moved = _move_under(street, county)
    _check_streets_level("streets")
    return moved


@transaction.atomic
def create_city_above(
    counties: Iterable[Node],
    *,
    name: str,
    code: str | None = None,
    case_prefix: str = "",
    actor: User | None = None,
) -> Node:
    """A new city at the root with the given top-level counties (and everything below them) moved under it: a
    county deployment is adopted by its city. As with a county above the 街道, every top-level county holding
    a 街道 goes under the city together, so that all 街道 stay at one depth."""
    _require_deployment_change(actor)
    counties = _locked(counties)
    if not counties:
        raise ValidationError({"counties": _("请选择要移入新市的县/区")})
    not_roots = [c.name for c in counties if c.kind != NodeKind.COUNTY or not c.is_root()]
    if not_roots:
        raise ValidationError(
            {"counties": _("只有顶层的县/区可以移入新市：%(names)s") % {"names": "、".join(not_roots)}}
        )
    city = create_node(parent=None, kind=NodeKind.CITY, name=name, code=code, case_prefix=case_prefix)
    for county in counties:
        _move_under(county, city)
    _check_streets_level("counties")
    return Node.objects.get(pk=city.pk)


@transaction.atomic
def move_county(county: Node, *, city: Node, actor: User | None = None) -> Node:
    """Move a county (a top-level one, or one of another city) under an existing city with its 街道 and all
    below them; every 街道's case numbers (and the county's own) continue their sequences."""
    _require_deployment_change(actor)
    county = Node.objects.select_for_update().get(pk=county.pk)
    city = Node.objects.select_for_update().get(pk=city.pk)
    if county.kind != NodeKind.COUNTY:
        raise ValidationError({"county": _("只能移动县/区")})
    if city.kind != NodeKind.CITY:
        raise ValidationError({"city": _("县/区只能移入市")})
    if county.path[: -county.steplen] == city.path:
        raise ValidationError(
            {"city": _("“%(county)s”已在“%(city)s”之下") % {"county": county.name, "city": city.name}}
        )
    moved = _move_under(county, city)
    _check_streets_level("counties")
    return moved


def _require_deployment_change(actor: User | None) -> None:
    # Like a new top-level 街道: the shape of the deployment above the 街道 is the system administrator's call.
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("只有系统管理员可以调整市、县与街道/乡镇的隶属关系"))
    # One shape change at a time: each locks the top-level nodes (in one order) before reading anything, so two at
    # once run one after the other — the second sees the tree the first left (and is refused if it no longer
    # fits) instead of both moving from the same old paths, or deadlocking on each other's subtrees.
    list(Node.objects.select_for_update().filter(depth=1).order_by("path").values_list("pk", flat=True))


def _locked(nodes: Iterable[Node]) -> list[Node]:
    """The nodes as they are now, locked, in the order given."""
    pks = [n.pk for n in nodes]
    found = Node.objects.select_for_update().in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


def _move_under(node: Node, parent: Node) -> Node:
    """Re-root `node`'s subtree (a 街道's, or a county's) under `parent` (treebeard rewrites the paths), then
    bring along what keeps a copy of a path or of the names above: stored notification and webhook scopes, full
    names, households' addresses, the case prefix."""
    from minsheng.core.models import Notification, WebhookEndpoint

    # Lock the subtree's rows first: a node being added below (create_node locks its parent) is committed before
    # the paths are rewritten, so the rewrite — a later statement, reading the rows as they are then — takes it
    # along; one added after waits for the move and takes the new path.
    list(Node.objects.select_for_update().filter(path__startswith=node.path).values_list("pk", flat=True))
    node = Node.objects.get(pk=node.pk)
    prefix_before = node.number_prefix()
    old_path = node.path
    old_parent_name = node.full_name[: -len(node.name)]
    Node.objects.move(node, Node.objects.get(pk=parent.pk), pos="last-child")
    node = Node.objects.get(pk=node.pk)
    new_path = node.path
    new_parent_name = f"{parent.full_name} "
    subtree = Node.objects.filter(path__startswith=new_path)
    subtree.update(
        full_name=Concat(Value(new_parent_name), Substr("full_name", len(old_parent_name) + 1)),
        updated_at=clock.now(),
    )
    Household.objects.filter(node__path__startswith=new_path, address__startswith=old_parent_name).update(
        address=Concat(Value(new_parent_name), Substr("address", len(old_parent_name) + 1)),
        updated_at=clock.now(),
    )
    for model in (Notification, WebhookEndpoint):
        model.objects.filter(node_path__startswith=old_path).update(
            node_path=Concat(Value(new_path), Substr("node_path", len(old_path) + 1))
        )
    node.refresh_from_db()
    if not node.case_prefix and node.number_prefix() != prefix_before:
        # The node numbered with a prefix it inherited (the deployment's, or its old county's or city's): it
        # keeps it as its own, and every node below that inherited it through this one keeps it with it, so
        # each (prefix, year) sequence goes on where it was.
        node.case_prefix = prefix_before
    node.save()  # also drops the cached tree shape (org.levels.street_depth)
    return node


def _check_streets_level(field: str) -> None:
    """The 街道 must sit at one depth (org.levels.street_depth). Refused with the names of what still sits too
    high: the 街道 for a county's move (`field` "streets"), the counties holding them for a city's."""
    depths = set(Node.objects.filter(kind=NodeKind.STREET).values_list("depth", flat=True).distinct())
    if len(depths) <= 1:
        return
    left = Node.objects.filter(kind=NodeKind.STREET, depth=min(depths))
    if field == "counties":
        tops = {path[: Node.steplen] for path in left.values_list("path", flat=True)}
        names = Node.objects.filter(path__in=tops).values_list("name", flat=True)
        message = _("所有街道/乡镇须在同一层级；以下县/区也须一并移入市：%(names)s")
    else:
        names = left.values_list("name", flat=True)
        message = _("所有街道/乡镇须在同一层级；以下街道/乡镇也须一并移入县：%(names)s")
    raise ValidationError({field: message % {"names": "、".join(names)}})


# -- grids -----------------------------------------------------------------------------------------


def next_grid_code(community: Node) -> str:
    """CJ/T 349-2010 style: the 12-digit division code (county 6 + street 3 + community 3) + a 3-digit sequence."""
    if not community.code:
        raise ValidationError({"community": _("所属社区/村没有统计用区划代码，无法生成网格编码")})
    taken = set(Grid.objects.filter(code__startswith=community.code).values_list("code", flat=True))
    for seq in range(1, 1000):
        code = f"{community.code}{seq:03d}"
        if code not in taken:
            return code
    raise ValidationError({"code": _("该社区的网格编码已用尽")})


@transaction.atomic
def create_grid(
    *,
    community: Node,
    name: str,
    boundary: dict[str, Any] | None = None,
    code: str | None = None,
    worker: User | None = None,
    deputies: Iterable[User] = (),
    nodes: Iterable[Node] = (),
    actor: User | None = None,
) -> Grid:
    require_cap(actor, Cap.ORG_CHANGE, community)
    if community.kind not in TERRITORIAL_KINDS:
        raise ValidationError({"community": _("网格必须属于一个社区或村")})
    grid = Grid(community=community, name=(name or "").strip(), boundary=boundary or None)
    grid.code = code or next_grid_code(community)
    grid.worker = worker
    grid.refresh_derived()
    _clean_and_save(grid)
    if deputies:
        grid.deputies.set(deputies)
    _set_grid_nodes(grid, nodes)
    return grid


def _set_grid_nodes(grid: Grid, nodes: Iterable[Node]) -> None:
    nodes = list(nodes)
    outside = [n.name for n in nodes if not n.path.startswith(grid.community.path)]
    if outside:
        raise ValidationError(
            {"nodes": _("以下节点不在本社区/村内：%(names)s") % {"names": "、".join(outside)}}
        )
    grid.nodes.set(nodes)


@transaction.atomic
def update_grid(grid: Grid, *, actor: User | None = None, **fields: Any) -> Grid:
    require_cap(actor, Cap.ORG_CHANGE, grid.community)
    grid = Grid.objects.select_for_update().get(pk=grid.pk)
    for key in ("name", "boundary", "worker"):
        if key in fields:
            setattr(grid, key, fields[key])
    grid.refresh_derived()
    _clean_and_save(grid)
    if "deputies" in fields:
        grid.deputies.set(fields["deputies"])
    if "nodes" in fields:
        _set_grid_nodes(grid, fields["nodes"])
    return grid


# -- households and residents ---------------------------------------------------------------------


@transaction.atomic
def register_household(
    *, node: Node, room: str = "", head_name: str = "", note: str = "", actor: User | None = None
) -> Household:
    require_cap(actor, Cap.ORG_CHANGE, node)
    household = Household(
        node=node, room=(room or "").strip(), head_name=(head_name or "").strip(), note=note
    )
    household.refresh_derived()
    _clean_and_save(household)
    return household


def _normalise_resident_fields(fields: dict[str, Any]) -> dict[str, Any]:
    for key in ("name", "phone", "id_number", "relation", "note"):
        if key in fields and fields[key] is not None:
            fields[key] = str(fields[key]).strip()
    if fields.get("id_number"):
        fields["id_number"] = fields["id_number"].upper()
        fields.setdefault("birth_date", None)
        fields.setdefault("gender", "")
        fields["birth_date"] = fields["birth_date"] or birth_date_from_id(fields["id_number"])
        fields["gender"] = fields["gender"] or gender_from_id(fields["id_number"]) or ""
    return fields


@transaction.atomic
def register_resident(
    *, name: str, node: Node, tags: Iterable[str] = (), actor: User | None = None, **fields: Any
) -> Resident:
    """Register a person. `tags` are ResidentTag codes; birth date and gender default from the ID number."""
    require_cap(actor, Cap.ORG_CHANGE, node)
    fields = _normalise_resident_fields({"name": name, **fields})
    resident = Resident(node=node, **fields)
    if resident.household is not None and resident.household.node_id != node.pk:
        raise ValidationError({"household": _("所属户的地址与居民地址不一致")})
    _check_id_unique(resident)
    resident.search_key = f"{resident.name} " + _pinyin(resident.name)
    _clean_and_save(resident)
    if tags:
        resident.tags.set(_tags(tags))
    return resident


@transaction.atomic
def update_resident(
    resident: Resident, *, actor: User | None = None, tags: Iterable[str] | None = None, **fields: Any
) -> Resident:
    require_cap(actor, Cap.ORG_CHANGE, resident.node)
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if "node" in fields:
        require_cap(actor, Cap.ORG_CHANGE, fields["node"])
    for key, value in _normalise_resident_fields(dict(fields)).items():
        setattr(resident, key, value)
    _check_id_unique(resident)
    resident.search_key = f"{resident.name} " + _pinyin(resident.name)
    _clean_and_save(resident)
    if tags is not None:
        resident.tags.set(_tags(tags))
    return resident


def _check_id_unique(resident: Resident) -> None:
    if resident.id_number and (
        Resident.objects.filter(id_number=resident.id_number).exclude(pk=resident.pk).exists()
    ):
        raise ValidationError({"id_number": _("该身份证号码已登记")})


def _tags(codes: Iterable[str]) -> list[ResidentTag]:
    codes = [c for c in codes if c]
    found = {t.code: t for t in ResidentTag.objects.filter(code__in=codes)}
    by_name = {t.name: t for t in ResidentTag.objects.filter(name__in=codes)}
    missing = [c for c in codes if c not in found and c not in by_name]
    if missing:
        raise ValidationError({"tags": _("未知的标签：%(tags)s") % {"tags": "、".join(missing)}})
    return [found.get(c) or by_name[c] for c in codes]


def _pinyin(text: str) -> str:
    from minsheng.core.pinyin import pinyin_key

    return pinyin_key(text)


# -- party organisations ---------------------------------------------------------------------------


@transaction.atomic
def create_party_org(
    *, parent: PartyOrg | None, kind: str, name: str, node: Node, actor: User | None = None
) -> PartyOrg:
    require_cap(actor, Cap.ORG_CHANGE, node)
    if parent is not None and not node.path.startswith(parent.node.path):
        raise ValidationError({"node": _("下级党组织的所在节点必须在上级党组织的范围内")})
    org = PartyOrg(kind=kind, name=(name or "").strip(), node=node)
    org.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return PartyOrg.objects.add_root(instance=org)
    return PartyOrg.objects.add_child(PartyOrg.objects.get(pk=parent.pk), instance=org)


@transaction.atomic
def add_party_member(
    *,
    party_org: PartyOrg,
    name: str,
    post: str = PartyPost.MEMBER,
    phone: str = "",
    led_node: Node | None = None,
    resident: Resident | None = None,
    user: User | None = None,
    joined_on: dt.date | None = None,
    actor: User | None = None,
) -> PartyMember:
    require_cap(actor, Cap.ORG_CHANGE, party_org.node)
    if post in (PartyPost.BUILDING_LEADER, PartyPost.UNIT_LEADER) and led_node is None:
        raise ValidationError({"led_node": _("楼长/单元长须指定负责的楼栋或单元")})
    if led_node is not None and led_node.kind not in (NodeKind.BUILDING, NodeKind.UNIT):
        raise ValidationError({"led_node": _("负责节点必须是楼栋或单元")})
    member = PartyMember(
        party_org=party_org,
        name=(name or "").strip(),
        post=post,
        phone=(phone or "").strip(),
        led_node=led_node,
        resident=resident,
        user=user,
        joined_on=joined_on,
    )
    _clean_and_save(member)
    return member


@transaction.atomic
def link_member_households(
    member: PartyMember, households: Iterable[Household], *, actor: User | None = None
) -> None:
    """党员联户: the households this member keeps in touch with (replaces the previous set)."""
    require_cap(actor, Cap.ORG_CHANGE, member.party_org.node)
    households = list(households)
    outside = [h for h in households if not h.node.path.startswith(member.party_org.node.path)]
    if outside:
        raise ValidationError({"households": _("联系户须在该党组织的范围内")})
    member.households.set(households)


# -- responsibility --------------------------------------------------------------------------------


@transaction.atomic
def assign_responsibility(
    *,
    kind: str,
    node: Node,
    user: User | None = None,
    party_member: PartyMember | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    note: str = "",
    actor: User | None = None,
) -> Assignment:
    require_cap(actor, Cap.ORG_CHANGE, node)
    if user is None and party_member is None:
        raise ValidationError({"user": _("请指定负责人或负责党员")})
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("截止日期不能早于起始日期")})
    assignment = Assignment(
        kind=kind,
        node=node,
        user=user,
        party_member=party_member,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
    )
    _clean_and_save(assignment)
    return assignment


@transaction.atomic
def end_assignment(assignment: Assignment, *, on: dt.date, actor: User | None = None) -> Assignment:
    require_cap(actor, Cap.ORG_CHANGE, assignment.node)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.valid_from and on < assignment.valid_from:
        raise ValidationError({"valid_to": _("截止日期不能早于起始日期")})
    assignment.valid_to = on
    assignment.save(update_fields=["valid_to", "updated_at"])
    return assignment


def responsible_for(node: Node, kind: str | None = None, on: dt.date | None = None) -> list[Assignment]:
    """The current assignments answering for `node`: its own, else the nearest ancestor's (one query)."""
    ancestor_paths = [node.path[: i * Node.steplen] for i in range(1, node.depth + 1)]
    qs = (
        Assignment.objects.current(on)
        .filter(node__path__in=ancestor_paths)
        .select_related("node", "user", "party_member")
    )
    if kind:
        qs = qs.filter(kind=kind)
    rows = list(qs)
    if not rows:
        return []
    deepest = max(a.node.depth for a in rows)
    return [a for a in rows if a.node.depth == deepest]


# -- property --------------------------------------------------------------------------------------


@transaction.atomic
def create_property_company(
    *,
    name: str,
    credit_code: str = "",
    contact: str = "",
    phone: str = "",
    is_street_led: bool = False,
    actor: User | None = None,
) -> PropertyCompany:
    require_cap(actor, Cap.ORG_CHANGE, None)
    company = PropertyCompany(
        name=(name or "").strip(),
        credit_code=(credit_code or "").strip().upper(),
        contact=contact,
        phone=phone,
        is_street_led=is_street_led,
    )
    company.search_key = _pinyin(company.name)
    _clean_and_save(company)
    return company


@transaction.atomic
def set_estate_property(
    node: Node,
    *,
    status: str,
    company: PropertyCompany | None = None,
    actor: User | None = None,
    **fields: Any,
) -> EstateProperty:
    """Record a 小区's property status. 街道兜底 needs a street-led company; 无物业/自管 have no company."""
    require_cap(actor, Cap.ORG_CHANGE, node)
    if node.kind != NodeKind.ESTATE:
        raise ValidationError({"node": _("物业信息只能登记在小区上")})
    if status in (PropertyStatus.PROFESSIONAL, PropertyStatus.STREET_FALLBACK) and company is None:
        raise ValidationError({"company": _("请选择物业企业")})
    if status == PropertyStatus.STREET_FALLBACK and company is not None and not company.is_street_led:
        raise ValidationError({"company": _("街道兜底须由街道领办的物业企业承接")})
    if status in (PropertyStatus.NONE, PropertyStatus.SELF_MANAGED):
        company = None
    profile = EstateProperty.objects.select_for_update().filter(node=node).first() or EstateProperty(
        node=node
    )
    profile.status = status
    profile.company = company
    for key, value in fields.items():
        setattr(profile, key, value)
    _clean_and_save(profile)
    return profile
