"""Dispatch suggestions: category × place → lead unit (and person), read from the routing rules and the
responsibility assignments of the organisation.

The most specific rule wins: the deepest category first, then the deepest place. A `territorial` rule (属地) sends
the case to the unit of its own 社区/村, handled by the grid's worker — or, with no worker, by whoever the
responsibility assignments name for the place (社区干部靠小区 …), or by the unit as a whole.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext

from minsheng.accounts.models import User
from minsheng.org.actions import responsible_for
from minsheng.org.choices import AssignmentKind
from minsheng.org.models import Grid, Node

from .models import Case, Category, RoutingRule, Unit


@dataclass(frozen=True)
class Suggestion:
    unit: Unit
    handler: User | None
    rule: RoutingRule | None
    reason: str


def _prefixes(path: str, steplen: int) -> list[str]:
    return [path[:i] for i in range(steplen, len(path) + 1, steplen)]


def suggest(case: Case) -> Suggestion | None:

    category_paths = _prefixes(case.category.path, Category.steplen)
    node_paths = _prefixes(case.node.path, Node.steplen)
    rules = list(
        RoutingRule.objects.filter(
            Q(category__isnull=True) | Q(category__path__in=category_paths),
            Q(node__isnull=True) | Q(node__path__in=node_paths),
        )
        .select_related("category", "node", "unit")
        .defer("node__geometry")
    )
    if not rules:
        return _territorial(case, None)
    rule = max(
        rules,
        key=lambda r: (r.category.depth if r.category_id else 0, r.node.depth if r.node_id else 0, -r.pk),
    )
    if rule.territorial:
        return _territorial(case, rule)
    if not rule.unit.is_active:
        return None
    return Suggestion(rule.unit, None, rule, str(rule))


def _territorial(case: Case, rule: RoutingRule | None) -> Suggestion | None:
    territory = case.node.territory()
    if territory is None:
        return None
    unit = Unit.objects.filter(node=territory, is_active=True).order_by("pk").first()
    if unit is None:
        return None
    members = set(unit.members.values_list("pk", flat=True))
    worker_id = Grid.objects.filter(pk=case.grid_id).values_list("worker_id", flat=True).first()
    if worker_id in members:
        return Suggestion(unit, unit.members.get(pk=worker_id), rule, gettext("属地：网格员"))
    for assignment in responsible_for(case.node, AssignmentKind.WORKER_TO_ESTATE):
        if assignment.user_id in members:
            return Suggestion(unit, assignment.user, rule, gettext("属地：包联社区干部"))
    return Suggestion(unit, None, rule, gettext("属地：社区"))


# -- whom a dispatcher may send a case to, and in which order the form offers them ----------------------------


def may_dispatch_to(actor, unit: Unit) -> bool:
    """The org tree decides: a dispatcher sends work down into their own subtree or up to the levels above it
    (a community hands a case to the street's offices), never sideways into another community's units."""
    if actor is None or actor.is_superuser:
        return True
    path = unit.node.path
    return any(path.startswith(p) or p.startswith(path) for p in actor.scope_paths("cases.dispatch"))


@dataclass(frozen=True)
class UnitGroup:
    label: str
    units: list


def dispatch_groups(case: Case, actor, units) -> list[UnitGroup]:
    """The units a dispatcher may choose, the likely ones first: the routing rules' suggestion and the units the
    rules name for this category; the units of the case's own 社区/村 and below (its property companies); the
    street's offices; outside agencies; the rest."""
    from django.utils.translation import gettext as _

    from .choices import UnitKind

    allowed = [u for u in units if may_dispatch_to(actor, u)]
    category_paths = _prefixes(case.category.path, Category.steplen)
    ruled = set(
        RoutingRule.objects.filter(category__path__in=category_paths, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    suggestion = suggest(case)
    if suggestion is not None:
        ruled.add(suggestion.unit.pk)
    territory = case.node.territory()
    local_path = territory.path if territory is not None else case.node.path
    taken: set[int] = set()
    groups = []

    def group(label, pick):
        chosen = [u for u in allowed if u.pk not in taken and pick(u)]
        taken.update(u.pk for u in chosen)
        if chosen:
            groups.append(UnitGroup(label, chosen))

    group(_("建议（派遣规则）"), lambda u: u.pk in ruled)
    # property companies sit at the street; the rules that send a 小区's property cases to them place them here
    local_rules = set(
        RoutingRule.objects.filter(node__path__startswith=local_path, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    group(_("本社区/村及辖区物业"), lambda u: u.node.path.startswith(local_path) or u.pk in local_rules)
    group(_("街道科室"), lambda u: u.kind == UnitKind.STREET_OFFICE)
    group(_("专业部门"), lambda u: u.kind == UnitKind.EXTERNAL)
    group(_("其他单位"), lambda u: True)
    return groups
