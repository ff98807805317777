"""What every enterprise action shares: the capability check at the row's node, and notifications after commit."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require(actor, capability: str, node=None) -> None:
    """`actor=None` is the system (the stage clock, the demo's automatic steps) and may do anything."""
    if actor is None:
        return
    if not actor.has_cap(capability, node):
        raise PermissionDenied(_("没有权限执行此操作"))


def notify(users, *, title: str, body: str = "", link: str = "", source=None, level: str = "info", key=None):
    from minsheng.core import notifications

    recipients = {u for u in users if u is not None and getattr(u, "is_active", False)}
    if recipients:
        notifications.notify(
            recipients,
            title=title,
            body=body,
            link=link,
            level=level,
            kind="enterprise",
            source=source,
            dedupe_key=key,
        )
