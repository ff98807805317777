"""The generic audit log: every save and delete of an audited model becomes an AuditLog row.

Before/after values come from a snapshot of the concrete fields; the acting user and request id come from
core.context (set by the middleware for web requests and by `acting()` for commands and tasks).
"""

import copy
import datetime
import decimal
import hashlib
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_save

from .context import current
from .models import AuditLog, BaseModel

_SKIP = {"created_at", "updated_at"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def _fingerprint(value: Any) -> Any:
    """A secret's stand-in: shows that it changed without copying it."""
    if value in (None, ""):
        return value
    return "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()[:8]


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The audited fields' values; fields in the model's `audit_secret_fields` (keys, robot URLs) as fingerprints."""
    secret = set(getattr(instance, "audit_secret_fields", ()))
    values = {}
    for f in instance._meta.concrete_fields:
        if f.attname in _SKIP:
            continue
        value = f.value_from_object(instance)
        values[f.attname] = _fingerprint(value) if f.attname in secret else _plain(value)
    return values


def _is_audited(sender: type) -> bool:
    return isinstance(sender, type) and issubclass(sender, BaseModel) and sender.audited


def record(
    action: str,
    instance: models.Model,
    *,
    changes: dict[str, Any] | None = None,
    note: str = "",
    user: Any = None,
) -> AuditLog:
    ctx = current()
    actor = user if user is not None else (ctx.user if ctx else None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditLog.objects.create(
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        user=actor,
        user_repr=str(actor)[:150] if actor else "",
        request_id=ctx.request_id if ctx else "",
        ip=ctx.ip if ctx else None,
        changes=changes or {},
        note=note[:200],
    )


def _pre_save(sender: type[models.Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _is_audited(sender) or instance._state.adding or instance.pk is None:
        instance._audit_before = None
        return
    update_fields = kwargs.get("update_fields")
    if update_fields:
        names = [sender._meta.get_field(n).attname for n in update_fields]  # type: ignore[union-attr]
    else:
        names = [f.attname for f in sender._meta.concrete_fields if f.attname not in _SKIP]
    loaded = getattr(instance, "_loaded_values", None)
    before: dict[str, Any] | None
    if loaded is not None and all(n in loaded for n in names):
        before = {n: loaded[n] for n in names}  # as read from the database (BaseModel.from_db): no query
    else:
        before = sender._base_manager.filter(pk=instance.pk).values(*names).first()
    if before is None:
        instance._audit_before = None
        return
    secret = set(getattr(sender, "audit_secret_fields", ()))
    instance._audit_before = {k: _fingerprint(v) if k in secret else _plain(v) for k, v in before.items()}


def _post_save(
    sender: type[models.Model], instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not _is_audited(sender):
        return
    after = snapshot(instance)
    if created:
        changes = {k: [None, v] for k, v in after.items() if v not in (None, "")}
        record(AuditLog.Action.CREATE, instance, changes=changes)
    else:
        before = getattr(instance, "_audit_before", None) or {}
        diff = {k: [before[k], after.get(k)] for k in before if k in after and before[k] != after.get(k)}
        if diff:
            record(AuditLog.Action.UPDATE, instance, changes=diff)
    # the instance now mirrors its row: a later save of it diffs against these values without a query
    instance._loaded_values = {
        f.attname: copy.deepcopy(v) if isinstance(v := f.value_from_object(instance), dict | list) else v
        for f in sender._meta.concrete_fields
    }


def _post_delete(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if _is_audited(sender):
        record(
            AuditLog.Action.DELETE, instance, changes={k: [v, None] for k, v in snapshot(instance).items()}
        )


def connect_signals() -> None:
    pre_save.connect(_pre_save, dispatch_uid="minsheng-audit-pre")
    post_save.connect(_post_save, dispatch_uid="minsheng-audit-post")
    post_delete.connect(_post_delete, dispatch_uid="minsheng-audit-delete")


def history_for(instance: models.Model) -> QuerySet[AuditLog]:
    ct = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    return AuditLog.objects.filter(content_type=ct, object_id=str(instance.pk)).select_related("user")


def masked_changes(entry: AuditLog, model: type, can_see_pii: bool) -> dict[str, Any]:
    """The entry's changes with personal fields masked for viewers who may not see them."""
    from .masking import mask_value

    if can_see_pii:
        return entry.changes
    pii = set(getattr(model, "pii_fields", ()))
    return {
        k: [mask_value(k, v) for v in pair] if k in pii else pair for k, pair in (entry.changes or {}).items()
    }
