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
