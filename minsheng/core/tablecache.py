"""Small configuration tables read on every request (time limits, calendar overrides, case kinds), cached.

The cache is Django's (Redis when REDIS_URL is set, so every process sees an invalidation; process memory in the
embedded single-process default). Any save or delete of the table's model drops the entry — at once, so that the
saving transaction itself reads its change, and again when that transaction commits, because another process may
have reloaded the old rows in between and cached them. A TTL bounds the staleness of changes made behind Django's
back (raw SQL, another deployment sharing the database).
"""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

TTL_SECONDS = 300
_registered: dict[str, Any] = {}


def cached_table(key: str, model: type[Model] | tuple[type[Model], ...], loader: Callable[[], Any]) -> Any:
    """The value `loader()` computes from `model`'s rows, cached until a row of it changes. `model` may be a
    tuple of models when the value is built from several tables: a change to any of them drops it."""
    full_key = f"minsheng:table:{key}"
    if key not in _registered:
        _registered[key] = model

        def drop(using: str = "default", **kwargs: Any) -> None:
            cache.delete(full_key)
            transaction.on_commit(lambda: cache.delete(full_key), using=using)

        for sender in model if isinstance(model, tuple | list) else (model,):
            uid = f"{key}-{sender._meta.label_lower}"
            post_save.connect(drop, sender=sender, weak=False, dispatch_uid=f"tablecache-save-{uid}")
            post_delete.connect(drop, sender=sender, weak=False, dispatch_uid=f"tablecache-delete-{uid}")
    value = cache.get(full_key)
    if value is None:
        value = loader()
        cache.set(full_key, value, TTL_SECONDS)
    return value
