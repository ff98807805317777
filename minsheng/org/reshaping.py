"""What a change of the shape above the 街道 would move, shown before it is made (the 行政层级 page and the
`county` command, docs/decisions/0072-the-levels-page-and-command.md).

`what_moves` counts what hangs off each subtree that would move: org nodes, grids, cases, people's roles.
`rehearse` runs the action itself in a transaction that is then rolled back, so the refusal a person is shown
before confirming is the action's own (not a copy of its rules that could drift), and the full names after the
move are the ones the action would write.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction

from .choices import ABOVE_STREET_KINDS, NodeKind
from .models import Grid, Node


def levels_rows() -> list[dict[str, Any]]:
    """Every node above the 社区 (市, 县/区, 街道/乡镇) in tree order, with the case-number prefix it numbers with
    (`own`: its own, else the one it inherits) — one query, walking the paths."""
    nodes = (
        Node.objects.filter(kind__in=[*ABOVE_STREET_KINDS, NodeKind.STREET])
        .defer("geometry")
        .order_by("path")
    )
    numbering: dict[str, str] = {}
    rows = []
    for node in nodes:
        inherited = numbering.get(node.path[: -node.steplen], settings.MINSHENG_CASE_PREFIX)
        numbering[node.path] = node.case_prefix or inherited
        rows.append({"node": node, "prefix": numbering[node.path], "own": bool(node.case_prefix)})
    return rows


@dataclass
class Moving:
    """One subtree that moves (a 街道, or a county with its 街道) and what follows it."""

    node: Node
    nodes: int
    grids: int
    cases: int | None  # None: the cases app is not installed
    memberships: int
    prefix: str
    streets: list[str]  # the 街道 that move with a county (empty for a 街道)
    full_name_after: str = ""


def what_moves(nodes: Iterable[Node]) -> list[Moving]:
    Membership = apps.get_model("accounts", "Membership")
    try:
        Case = apps.get_model("cases", "Case")
    except LookupError:
        Case = None
    rows = []
    for node in nodes:
        below = {"node__path__startswith": node.path}
        rows.append(
            Moving(
                node=node,
                nodes=Node.objects.filter(path__startswith=node.path).count(),
                grids=Grid.objects.filter(community__path__startswith=node.path).count(),
                cases=Case.objects.filter(**below).count() if Case is not None else None,
                memberships=Membership.objects.filter(**below).count(),
                prefix=node.number_prefix(),
                streets=list(
                    Node.objects.filter(path__startswith=node.path, kind=NodeKind.STREET)
                    .exclude(pk=node.pk)
                    .values_list("name", flat=True)
                ),
            )
        )
    return rows


@dataclass
class Totals:
    nodes: int
    grids: int
    cases: int | None
    memberships: int


def totals(rows: list[Moving]) -> Totals:
    cases = [r.cases for r in rows if r.cases is not None]
    return Totals(
        nodes=sum(r.nodes for r in rows),
        grids=sum(r.grids for r in rows),
        cases=sum(cases) if len(cases) == len(rows) else None,
        memberships=sum(r.memberships for r in rows),
    )


class _Undo(Exception):
    pass


def rehearse(rows: list[Moving], action: Callable[..., Any], /, **kwargs: Any) -> None:
    """Run `action(**kwargs)` and roll it back. Raises what the action would raise (ValidationError,
    PermissionDenied); otherwise fills each row's `full_name_after`."""
    after: dict[int, str] = {}
    try:
        with transaction.atomic():
            action(**kwargs)
            after = dict(Node.objects.filter(pk__in=[r.node.pk for r in rows]).values_list("pk", "full_name"))
            raise _Undo
    except _Undo:
        pass
    for row in rows:
        row.full_name_after = after.get(row.node.pk, "")
