"""Plumbing shared by the action modules: rights, the event log, notifications after commit, codes."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.core import clock

from ..models import Event, EventLog

#: Letters and digits that cannot be misread at a door (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    """What a person types or a scanner sends: spaces and dashes dropped, case folded, 0→O-free alphabet kept."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def actor_name(actor) -> str:
    return str(actor) if actor is not None else _("系统")


def require(actor, capability: str, node, *, host_vouches: bool = False) -> None:
    """`actor=None` is the system. An event hosted by another domain's record is that domain's to guard: it checked
    its own rights over the host record before calling the engine (decision 0034)."""
    if actor is None or host_vouches:
        return
    if not actor.has_cap(capability, node=node):
        raise PermissionDenied(_("您没有此操作的权限"))


def log(event: Event, verb: str, actor, *, from_status: str = "", note: str = "", **extra) -> EventLog:
    return EventLog.objects.create(
        event=event,
        created_at=clock.now(),
        verb=verb,
        actor=actor,
        actor_name=actor_name(actor),
        from_status=from_status,
        to_status=event.status,
        note=(note or "")[:300],
        extra=extra,
    )


def notify_after_commit(
    users, *, title: str, body: str = "", link: str = "", source=None, kind: str = "activities"
):
    """In-app and other channels once the change is committed: a rolled-back registration tells nobody."""
    recipients = [u for u in users if u is not None and getattr(u, "is_active", False)]
    if not recipients:
        return

    def send():
        from minsheng.core import notifications

        notifications.notify(recipients, title=title, body=body, link=link, kind=kind, source=source)

    transaction.on_commit(send)
