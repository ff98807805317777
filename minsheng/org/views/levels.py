"""The 行政层级 page: the system administrator sees the deployment's levels above the 社区 (市, 县/区, 街道/乡镇) and
changes their shape — a county above the top-level 街道, a 街道 into a county, a city above the top-level counties,
a county into a city (docs/decisions/0067, 0072).

Each change is two steps: the form, then a confirmation listing what moves with it (org nodes, grids, cases,
roles) and the full names after the move, for which the action is rehearsed and rolled back — so a refusal
(街道 left at two depths, a code already in use) is shown on the form before anything is confirmed. The action
runs again on confirmation, and a refusal then (the tree changed meanwhile) comes back onto the form too.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minsheng.core import parsing
from minsheng.core.forms import apply_action_errors
from minsheng.core.views import staff_required

from .. import actions, reshaping
from ..choices import NodeKind
from ..forms.levels import CityAboveForm, CountyAboveForm, MoveCountyForm, MoveStreetForm
from ..models import Node


@dataclass(frozen=True)
class Change:
    """One of the page's four changes: its form, what it moves, how it calls the action and what it says."""

    key: str
    title: str | Promise
    form: type[forms.Form]
    moving: Callable[[dict[str, Any]], list[Node]]
    call: Callable[[dict[str, Any], Any], dict[str, Any]]
    action: Callable[..., Node]
    summary: Callable[[dict[str, Any]], str]
    done: Callable[[dict[str, Any]], str]


def _new_node(data: dict[str, Any]) -> dict[str, Any]:
    return {"name": data["name"], "code": data["code"] or None, "case_prefix": data["case_prefix"]}


def _names(nodes) -> str:
    return "、".join(n.name for n in nodes)


def _parent_name(node: Node) -> str:
    return node.full_name[: -len(node.name)].strip() or _("顶层")


CHANGES = {
    c.key: c
    for c in (
        Change(
            key="county-above",
            title=gettext_lazy("在街道/乡镇之上设县"),
            form=CountyAboveForm,
            moving=lambda d: list(d["streets"]),
            call=lambda d, actor: {"streets": list(d["streets"]), **_new_node(d), "actor": actor},
            action=actions.create_county_above,
            summary=lambda d: (
                _("新建县/区“%(name)s”，并把 %(n)s 个街道/乡镇移入：%(names)s")
                % {"name": d["name"], "n": len(d["streets"]), "names": _names(d["streets"])}
            ),
            done=lambda d: (
                _("已新建县/区“%(name)s”，%(names)s 已移入")
                % {"name": d["name"], "names": _names(d["streets"])}
            ),
        ),
        Change(
            key="move-street",
            title=gettext_lazy("把街道/乡镇移入县"),
            form=MoveStreetForm,
            moving=lambda d: [d["street"]],
            call=lambda d, actor: {"street": d["street"], "county": d["county"], "actor": actor},
            action=actions.move_street,
            summary=lambda d: (
                _("把“%(node)s”从“%(old)s”移入“%(new)s”")
                % {"node": d["street"].name, "old": _parent_name(d["street"]), "new": d["county"].full_name}
            ),
            done=lambda d: (
                _("“%(node)s”已移入“%(new)s”") % {"node": d["street"].name, "new": d["county"].name}
            ),
        ),
        Change(
            key="city-above",
            title=gettext_lazy("在县/区之上设市"),
            form=CityAboveForm,
            moving=lambda d: list(d["counties"]),
            call=lambda d, actor: {"counties": list(d["counties"]), **_new_node(d), "actor": actor},
            action=actions.create_city_above,
            summary=lambda d: (
                _("新建市“%(name)s”，并把 %(n)s 个县/区（连同其下的街道/乡镇）移入：%(names)s")
                % {"name": d["name"], "n": len(d["counties"]), "names": _names(d["counties"])}
            ),
            done=lambda d: (
                _("已新建市“%(name)s”，%(names)s 已移入")
                % {"name": d["name"], "names": _names(d["counties"])}
            ),
        ),
        Change(
            key="move-county",
            title=gettext_lazy("把县/区移入市"),
            form=MoveCountyForm,
            moving=lambda d: [d["county"]],
            call=lambda d, actor: {"county": d["county"], "city": d["city"], "actor": actor},
            action=actions.move_county,
            summary=lambda d: (
                _("把“%(node)s”（连同其下的街道/乡镇）从“%(old)s”移入“%(new)s”")
                % {"node": d["county"].name, "old": _parent_name(d["county"]), "new": d["city"].full_name}
            ),
            done=lambda d: _("“%(node)s”已移入“%(new)s”") % {"node": d["county"].name, "new": d["city"].name},
        ),
    )
}


def _require_system_admin(request) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied(_("只有系统管理员可以调整行政层级"))


def _initial(request, change: Change) -> dict[str, Any]:
    """A link from a node's page (?street=, ?county=) opens the matching form with that node chosen."""
    # Every top-level 街道 (county) is ticked: they go under the new county (city) together.
    tops = {"county-above": ("streets", NodeKind.STREET), "city-above": ("counties", NodeKind.COUNTY)}
    if change.key in tops:
        field, kind = tops[change.key]
        return {field: list(Node.objects.filter(kind=kind, depth=1).values_list("pk", flat=True))}
    field = {"move-street": "street", "move-county": "county"}.get(change.key)
    value = request.GET.get(field or "", "")
    return {field: int(value)} if field and parsing.is_id(value) else {}


def _page(request, bound: tuple[str, forms.Form] | None = None):
    panels = []
    for change in CHANGES.values():
        if bound is not None and bound[0] == change.key:
            form = bound[1]
        else:
            form = change.form(initial=_initial(request, change), prefix=change.key)
        choices = [f for f in form.fields.values() if isinstance(f, forms.ModelChoiceField)]
        panels.append(
            {
                "change": change,
                "form": form,
                "ready": all(f.queryset.exists() for f in choices),
                "bound": bound,
            }
        )
    rows = reshaping.levels_rows()
    counts = {
        kind: sum(1 for r in rows if r["node"].kind == kind) for kind in (NodeKind.CITY, NodeKind.COUNTY)
    }
    return render(
        request,
        "org/levels/levels.html",
        {
            "rows": rows,
            "panels": panels,
            "cities": counts[NodeKind.CITY],
            "counties": counts[NodeKind.COUNTY],
            "streets": len(rows) - counts[NodeKind.CITY] - counts[NodeKind.COUNTY],
        },
    )


@staff_required
def levels(request):
    _require_system_admin(request)
    return _page(request)


@staff_required
@require_POST
def change(request, key: str):
    """One change posted from the page: checked and rehearsed (the confirmation), then made (`confirm`)."""
    _require_system_admin(request)
    change = CHANGES.get(key)
    if change is None:
        raise Http404
    form = change.form(request.POST, prefix=change.key)
    if not form.is_valid() or "back" in request.POST:
        return _page(request, (change.key, form))
    data = form.cleaned_data
    kwargs = change.call(data, request.user)
    if "confirm" in request.POST:
        try:
            change.action(**kwargs)
        except (ValidationError, PermissionDenied) as exc:
            apply_action_errors(form, exc)
            return _page(request, (change.key, form))
        messages.success(request, change.done(data))
        return redirect("org:levels")
    moving = reshaping.what_moves(change.moving(data))
    try:
        reshaping.rehearse(moving, change.action, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        apply_action_errors(form, exc)
        return _page(request, (change.key, form))
    return render(
        request,
        "org/levels/confirm.html",
        {
            "change": change,
            "form": form,
            "summary": change.summary(data),
            "moving": moving,
            "totals": reshaping.totals(moving),
        },
    )
