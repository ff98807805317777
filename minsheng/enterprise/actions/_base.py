"""What every enterprise action shares: notifications after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import Model

    from minsheng.accounts.models import User


def notify(
    users: Iterable[User | None],
    *,
    title: str,
    body: str = "",
    link: str = "",
    source: Model | None = None,
    level: str = "info",
    key: str | None = None,
) -> None:
    """The enterprise's notifications (core.notifications skips absent and inactive people)."""
    from minsheng.core import notifications

    notifications.notify(
        list(users),
        title=title,
        body=body,
        link=link,
        level=level,
        kind="enterprise",
        source=source,
        dedupe_key=key,
    )
