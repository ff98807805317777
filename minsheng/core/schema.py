"""What the OpenAPI schema must say so that it matches what the API answers (checked by the fuzzing test).

Three things serializers cannot say by themselves:

- A read-only field whose source runs through a relation that may be empty (`lead_unit.name` before a case is
  dispatched) answers null: it is marked nullable (`AutoSchema`).

- Personal data is masked on the way out (docs/decisions/0002): a phone read back is `139****5678`, which the phone
  pattern of the request schema refuses. Response components describe such fields as plain strings.
- A time of day (`08:30:00`) is not an RFC 3339 `full-time` (that needs an offset), which JSON Schema's
  `format: time` means: it is described by a pattern instead.
"""

import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

#: Response properties that may carry masked personal data.
MASKED = re.compile(r"(^|_)(phone|mobile|id_number)$")
TIME_OF_DAY = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$"


def _nullable(prop: dict[str, Any]) -> bool:
    if prop.get("nullable"):
        return True
    return any(option.get("type") == "null" for option in prop.get("anyOf", []) + prop.get("oneOf", []))


def _masked(prop: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {k: prop[k] for k in ("title", "description", "readOnly") if k in prop}
    masked: dict[str, Any] = {"type": "string", **kept}
    if _nullable(prop):
        masked["nullable"] = True
    note = "按角色脱敏（如 139****5678）"
    masked["description"] = f"{kept['description']}（{note}）" if kept.get("description") else note
    return masked


def _times(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            node.pop("format")
            node["pattern"] = TIME_OF_DAY
        for value in node.values():
            _times(value)
    elif isinstance(node, list):
        for value in node:
            _times(value)


def postprocess(result: Any, generator: Any, request: Any, public: Any) -> Any:
    components = result.get("components", {}).get("schemas", {})
    for name, component in components.items():
        if name.endswith("Request"):
            continue
        for field, prop in component.get("properties", {}).items():
            if MASKED.search(field):
                component["properties"][field] = _masked(prop)
    _times(result)
    return result


def _through_nullable(field: Any) -> bool:
    """Whether a read-only field's source passes through a relation that may be empty (or names one, for a
    related field such as StringRelatedField), or the field declares null as its default."""
    from rest_framework.relations import RelatedField

    if getattr(field, "default", object()) is None:
        return True
    attrs = list(getattr(field, "source_attrs", None) or [])
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    if model is None:
        return False
    path = attrs if isinstance(field, RelatedField) else attrs[:-1]
    for attr in path:
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if not model_field.is_relation:
            return False
        if model_field.null or (model_field.one_to_one and model_field.auto_created):
            return True
        model = model_field.related_model
    return False


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: Any = False) -> Any:
        meta = super()._map_serializer_field(field, direction, bypass_extensions)
        if field.read_only and "$ref" not in meta and _through_nullable(field):
            meta["nullable"] = True
        return meta
