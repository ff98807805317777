"""What the OpenAPI schema must say so that it matches what the API answers (checked by the fuzzing test).

Two things serializers cannot say by themselves:

- Personal data is masked on the way out (docs/decisions/0002): a phone read back is `139****5678`, which the phone
  pattern of the request schema refuses. Response components describe such fields as plain strings.
- A time of day (`08:30:00`) is not an RFC 3339 `full-time` (that needs an offset), which JSON Schema's
  `format: time` means: it is described by a pattern instead.
"""

import re

#: Response properties that may carry masked personal data.
MASKED = re.compile(r"(^|_)(phone|mobile|id_number)$")
TIME_OF_DAY = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$"


def _nullable(prop: dict) -> bool:
    if prop.get("nullable"):
        return True
    return any(option.get("type") == "null" for option in prop.get("anyOf", []) + prop.get("oneOf", []))


def _masked(prop: dict) -> dict:
    kept = {k: prop[k] for k in ("title", "description", "readOnly") if k in prop}
    masked = {"type": "string", **kept}
    if _nullable(prop):
        masked["nullable"] = True
    note = "按角色脱敏（如 139****5678）"
    masked["description"] = f"{kept['description']}（{note}）" if kept.get("description") else note
    return masked


def _times(node):
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            node.pop("format")
            node["pattern"] = TIME_OF_DAY
        for value in node.values():
            _times(value)
    elif isinstance(node, list):
        for value in node:
            _times(value)


def postprocess(result, generator, request, public):
    components = result.get("components", {}).get("schemas", {})
    for name, component in components.items():
        if name.endswith("Request"):
            continue
        for field, prop in component.get("properties", {}).items():
            if MASKED.search(field):
                component["properties"][field] = _masked(prop)
    _times(result)
    return result
