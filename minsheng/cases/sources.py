"""Where a case came from, said in words and with a link: the domain that opened it registers how to name its rows.

Cases point back at the domain's record through a generic link (Case.source) and never import a domain app; each
domain registers its models here from its own apps.py `ready()`:

    sources.register(Alarm, kind=_("温室告警"), label=lambda a: ..., url=lambda a: reverse("iot:alarm", args=[a.pk]))

A source with no registration still reads as its model's verbose name and number, never as "source type / id".
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class SourceKind:
    kind: Any  # what the thing is: 温室告警, 农残抽检样品 …
    label: Callable[[Any], str]
    url: Callable[[Any], str | None]


_REGISTRY: dict[str, SourceKind] = {}


def register(
    model, *, kind, label: Callable[[Any], str] = str, url: Callable[[Any], str | None] | None = None
):
    _REGISTRY[model._meta.label_lower] = SourceKind(kind, label, url or (lambda obj: None))


@dataclass(frozen=True)
class SourceRef:
    type: str
    id: str
    kind: str
    label: str
    url: str | None


def describe(case) -> SourceRef | None:
    """The case's source in words (kind, label, link), or None when a person filed it directly."""
    if not case.source_type_id:
        return None
    ct = ContentType.objects.get_for_id(case.source_type_id)
    key = f"{ct.app_label}.{ct.model}"
    model = ct.model_class()
    obj = None
    if model is not None:
        obj = model._default_manager.filter(pk=case.source_id).first()
    registered = _REGISTRY.get(key)
    kind = str(registered.kind) if registered else str(model._meta.verbose_name if model else key)
    if obj is None:
        return SourceRef(key, case.source_id, kind, f"#{case.source_id}", None)
    if registered is None:
        return SourceRef(key, case.source_id, kind, str(obj), None)
    return SourceRef(key, case.source_id, kind, registered.label(obj), registered.url(obj))
