"""Display-link tokens (decision 0057): `token(link)` signs the link's id and nonce; `resolve(token)` finds the link
and says why it can no longer be shown. The row decides (revoked, expired, its issuer's authority gone), the
signature only keeps guessed or altered tokens away from the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from minsheng.accounts.choices import Cap
from minsheng.core import clock

from .models import DisplayLink

SALT = "minsheng.insights.display"
#: How long a new link lasts unless the leader chooses (days), and the longest he may choose.
DEFAULTS = {"days": 30, "max_days": 365}


def limits() -> dict[str, int]:
    return {**DEFAULTS, **(getattr(settings, "MINSHENG_DISPLAY_LINKS", None) or {})}


def token(link: DisplayLink) -> str:
    return signing.dumps({"l": link.pk, "n": link.nonce}, salt=SALT)


@dataclass(frozen=True)
class Resolved:
    link: DisplayLink | None
    #: "" when the link may be shown; else "invalid", "revoked", "expired" or "withdrawn" (issuer lost the right).
    problem: str


def resolve(value: str) -> Resolved:
    try:
        data = signing.loads(value, salt=SALT)
        pk, nonce = int(data["l"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Resolved(None, "invalid")
    link = DisplayLink.objects.select_related("node", "created_by").filter(pk=pk).first()
    if link is None or not constant_time_compare(link.nonce, nonce):
        return Resolved(None, "invalid")
    if link.revoked_at is not None:
        return Resolved(link, "revoked")
    if link.expires_at <= clock.now():
        return Resolved(link, "expired")
    issuer = link.created_by
    if not issuer.is_active or not issuer.has_cap(Cap.INSIGHTS_VIEW, link.node):
        return Resolved(link, "withdrawn")
    return Resolved(link, "")
