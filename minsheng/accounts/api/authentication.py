"""API token authentication with the token's user and memberships cached for a short time (decision 0063).

Every API request needs its user and that user's memberships (what they may do, where): two queries before any
work. The pair is kept in Django's cache (Redis when REDIS_URL is set, shared by every process; process memory
in the embedded single-process default) under a digest of the token, together with the day the memberships were
read for (a membership may start or end with the date).

Dropped at once — and again when the transaction commits, as `core.tablecache` does — when the token, the user or
one of their memberships is saved or deleted, or an org node is saved (memberships carry the node's path). A TTL
bounds what no signal reports: raw SQL, a tree move's bulk path update, another deployment's process with its
own process-memory cache.
"""

import hashlib
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication

TTL_SECONDS = 60
_GENERATION_KEY = "minsheng:auth:generation"


def _cache_key(token_key: str, generation: int) -> str:
    digest = hashlib.sha256(token_key.encode()).hexdigest()[:40]
    return f"minsheng:auth:token:{generation}:{digest}"


def _generation() -> int:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        generation = 0
        cache.add(_GENERATION_KEY, generation, None)
    return generation


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's `TokenAuthentication` (same header, same answers), with the user and memberships cached."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        cache_key = _cache_key(key, _generation())
        today = timezone.localdate()
        entry = cache.get(cache_key)
        if entry is not None and entry[0] == today:
            user, token = entry[1], entry[2]
            if user.is_active:  # cached only while active: a deactivation drops the entry
                return user, token
        user, token = super().authenticate_credentials(key)
        user.active_memberships  # noqa: B018  # read now, to be cached with the user
        cache.set(cache_key, (today, user, token), TTL_SECONDS)
        return user, token


def forget_all(**kwargs: Any) -> None:
    """Drop every cached token: the generation moves on, old entries are never read again and expire."""
    using = kwargs.get("using", "default")

    def bump() -> None:
        try:
            cache.incr(_GENERATION_KEY)
        except ValueError:  # evicted or never set
            cache.set(_GENERATION_KEY, 1, None)

    bump()
    transaction.on_commit(bump, using=using)


def connect_signals() -> None:
    """A token, a user, a membership or an org node changed: the cached answers may be wrong."""
    from rest_framework.authtoken.models import Token

    from minsheng.accounts.models import Membership, User

    # The node by name, as Membership refers to it: accounts does not import org.
    for model in (Token, User, Membership, "org.Node"):
        uid = f"auth-cache-{model}"
        post_save.connect(forget_all, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(forget_all, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
