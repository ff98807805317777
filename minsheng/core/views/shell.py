"""The workbench shell's own pages (home, the residents' notice, health check) and helpers every app's views use:
`staff_required` and the audit history of an object."""

import datetime
import functools
import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection, models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from .. import navigation
from ..audit import history_for, masked_changes
from ..http import AuthedRequest


def not_staff_response(request: HttpRequest, status: int = 200) -> HttpResponse:
    """The friendly page a resident sees on the staff workbench (never an error page)."""
    return render(request, "core/not_staff.html", status=status)


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Login, and a staff role (any role but 居民). Residents get the friendly notice with 403, not an error page.

    Use on every workbench page. JSON endpoints get a JSON 403 instead.
    """

    @functools.wraps(view)
    @login_required
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_staff_member:
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse({"detail": _("工作台仅供工作人员使用")}, status=403)
            return not_staff_response(request, status=403)
        return view(request, *args, **kwargs)

    return wrapper


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not user.is_staff_member:
        # Where login lands: a resident goes to their own appeals (the phone pages), if they are installed.
        try:
            return redirect("h5:mine")
        except NoReverseMatch:
            return not_staff_response(request)
    if any(m.role == "street_leader" for m in user.active_memberships):
        # A 街道 leader lands on the cockpit (insights), when it is installed.
        try:
            return redirect("insights:cockpit")
        except NoReverseMatch:
            pass
    memberships = sorted(user.active_memberships, key=lambda m: m.node.path)
    return render(
        request,
        "core/home.html",
        {"panels": navigation.panels_for(request), "memberships": memberships},
    )


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# -- audit history ----------------------------------------------------------------------------------------------

#: Bookkeeping columns of the tree that mean nothing to a reader of the history.
_HIDDEN_HISTORY_FIELDS = {"path", "depth", "numchild"}
_MAX_VALUE_CHARS = 80


def scope_node(obj: models.Model) -> Any:
    """The org node an object hangs off, following its model's `scope_path` (None for street-wide rows)."""
    path = getattr(type(obj), "scope_path", "")
    if not path:
        return None
    target = obj
    for part in path.split("__")[:-1]:  # the last part is the node's own `path` column
        target = getattr(target, part)
    return target


def can_view_history(user: Any, obj: models.Model) -> bool:
    """Who may read an object's change history.

    Decision: holders of core.view_audit (街道管理员, 街道领导) and of org.change (those who maintain the registry:
    社区工作者, 网格员 …) at the object's node. People who may change a row answer for it and need to see who changed
    what before them; view-only roles (科室干部, 物业人员) see the data but not who edited it.
    """
    if user is None or not user.is_authenticated:
        return False
    node = scope_node(obj)
    return user.has_cap("core.view_audit", node) or user.has_cap("org.change", node)


def _shown_in_history(key: str, field: Any) -> bool:
    """Ids, tree bookkeeping and derived columns (pinyin keys, bounding boxes) would only bury the real changes."""
    if key in _HIDDEN_HISTORY_FIELDS:
        return False
    return field is None or (field.editable and not field.primary_key)


def _related_label(model: type[models.Model], pk: Any) -> str:
    """A foreign key's target by name (a node, a person's account), unless that model holds personal data."""
    if getattr(model, "pii_fields", ()):
        return f"#{pk}"
    target = model._base_manager.filter(pk=pk).first()
    return str(target) if target is not None else f"#{pk}"


def _display_value(field: Any, value: Any) -> str:
    if value in (None, "", [], {}):
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField) or isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(field, models.JSONField) or isinstance(value, dict | list):
        if isinstance(value, dict) and "type" in value:
            return _("%(type)s 图形") % {"type": value["type"]}
        value = json.dumps(value, ensure_ascii=False)
    elif field is not None and field.is_relation:
        return _related_label(field.related_model, value)
    elif isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:  # stored as ISO text in the log; shown in the 街道's local time, to the minute
            return localtime(datetime.datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            pass
    text = str(value)
    return text if len(text) <= _MAX_VALUE_CHARS else text[: _MAX_VALUE_CHARS - 1] + "…"


def audit_entries_for(
    obj: models.Model, user: Any, limit: int = 50, *, revealed: bool = False
) -> list[dict[str, Any]] | None:
    """The object's history ready for core/_audit_history.html, or None when `user` may not read it.

    Personal fields stay masked unless the page is an audited reveal (`revealed`) by a user holding org.view_pii
    at the object's node: the history must not be a way around the audited "查看完整信息".
    """
    if not can_view_history(user, obj):
        return None
    model = type(obj)
    can_see_pii = revealed and user.has_cap("org.view_pii", scope_node(obj))
    fields = {f.attname: f for f in model._meta.concrete_fields}
    entries = []
    for entry in history_for(obj)[:limit]:
        changes = []
        for key, pair in masked_changes(entry, model, can_see_pii).items():
            field = fields.get(key)
            if not _shown_in_history(key, field):
                continue
            before, after = (
                (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (None, pair)
            )
            label = str(field.verbose_name) if field is not None else key
            changes.append((label, _display_value(field, before), _display_value(field, after)))
        entries.append(
            {
                "created_at": entry.created_at,
                "action": entry.get_action_display(),
                "action_code": entry.action,
                "user_repr": entry.user_repr or _("系统"),
                "note": entry.note,
                "changes": changes,
            }
        )
    return entries
