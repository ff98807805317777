"""Plumbing shared by the action modules: rights, the event log, notifications after commit, codes."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.core import clock
from minsheng.core.permissions import require_cap

from ..models import Event, EventLog

if TYPE_CHECKING:
    from django.db.models import Model

    from minsheng.accounts.models import User
    from minsheng.org.models import Node


#: Letters and digits that cannot be misread at a door (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    """What a person types or a scanner sends: spaces and dashes dropped, case folded, 0→O-free alphabet kept."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def actor_name(actor: User | None) -> str:
    return str(actor) if actor is not None else _("系统")


def require(actor: User | None, capability: str, node: Node, *, host_vouches: bool = False) -> None:
    """`actor=None` is the system. An event hosted by another domain's record is that domain's to guard: it checked
    its own rights over the host record before calling the engine (decision 0034)."""
    if not host_vouches:
        require_cap(actor, capability, node, message=_("您没有此操作的权限"))


def log(
    event: Event, verb: str, actor: User | None, *, from_status: str = "", note: str = "", **extra: Any
) -> EventLog:
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
    users: Iterable[User | None],
    *,
    title: str,
    body: str = "",
    link: str = "",
    source: Model | None = None,
    kind: str = "activities",
) -> None:
    """In-app and other channels once the change is committed: a rolled-back registration tells nobody
    (core.notifications skips absent and inactive people)."""
    recipients = list(users)

    def send() -> None:
        from minsheng.core import notifications

        notifications.notify(recipients, title=title, body=body, link=link, kind=kind, source=source)

    transaction.on_commit(send)
