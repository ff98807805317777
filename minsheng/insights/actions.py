"""The leaders' view changes one thing: the command centre's display links (decision 0057)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.errors import IllegalTransition
from minsheng.core.permissions import require_cap

from .models import DisplayLink
from .periods import KINDS

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.org.models import Node


@transaction.atomic
def do_issue_display_link(
    *, actor: User, node: Node, label: str, period: str = "month", days: int | None = None
) -> DisplayLink:
    """A leader lets a screen show the big cockpit of `node`'s subtree for `days` days, without anyone logged in."""
    from .display import limits

    bounds = limits()
    days = bounds["days"] if days is None else days
    errors: dict[str, str] = {}
    label = (label or "").strip()
    if not label:
        errors["label"] = _("请填写用途，例如“指挥中心大屏”")
    elif len(label) > 60:
        errors["label"] = _("用途不超过60字")
    if period not in KINDS:
        errors["period"] = _("请选择统计期间")
    if not isinstance(days, int) or not 1 <= days <= bounds["max_days"]:
        errors["days"] = _("有效天数应为1至%(n)d天") % {"n": bounds["max_days"]}
    if errors:
        raise ValidationError(errors)
    require_cap(actor, Cap.INSIGHTS_VIEW, node)
    return DisplayLink.objects.create(
        label=label,
        node=node,
        period=period,
        nonce=secrets.token_hex(16),
        created_by=actor,
        expires_at=clock.now() + dt.timedelta(days=days),
    )


@transaction.atomic
def do_revoke_display_link(link: DisplayLink, *, actor: User) -> DisplayLink:
    """Ends the link at once: the screen showing it gets the 已撤销 page at its next refresh."""
    require_cap(actor, Cap.INSIGHTS_VIEW, link.node)
    link = DisplayLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is not None:
        raise IllegalTransition(_("该链接已撤销"))
    link.revoked_at = clock.now()
    link.revoked_by = actor
    link.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    return link
