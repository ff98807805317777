"""The one capability check pages and actions make before a change: hold the capability at the node, or stop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.org.models import Node


def require_cap(
    actor: User | None, capability: str, node: Node | None = None, *, message: str | None = None
) -> None:
    """Refuse unless `actor` holds `capability` at `node` (anywhere, without a node).

    `actor=None` is the system itself (migrations, demo loaders, periodic tasks, one action calling another), which
    every app's actions let through; a page always passes the signed-in user."""
    if actor is not None and not actor.has_cap(capability, node):
        raise PermissionDenied(message or _("没有权限执行此操作"))
