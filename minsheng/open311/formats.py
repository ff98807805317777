"""Open311's two wire formats and its error bodies.

The spec defines XML and maps it to JSON by the "Spark convention": a list is a bare JSON array and, in XML, a
plural element holding one singular element per item (<services><service>…). The views build plain Python data
once; this module writes it either way, so the two formats cannot drift apart.
"""

import json
import re
from xml.etree.ElementTree import Element, tostring

from django.http import HttpResponse
from django.utils import timezone

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"

#: The singular element an XML list holds, by the list's own element name.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}

# Characters XML 1.0 cannot carry at all, even escaped; free text typed by people sometimes contains them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Error(Exception):
    """Ends a request with the spec's error list: 404 unknown resource, 403 bad api_key, 400 anything else."""

    def __init__(self, status: int, *descriptions: str):
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = descriptions


def clean(text: str) -> str:
    """Drop control characters: XML cannot carry them and PostgreSQL refuses NUL in text."""
    return _NOT_XML.sub("", text)


def param(data, name: str) -> str:
    """A request parameter; blank is the same as missing (the spec's rule for optional arguments)."""
    return clean(data.get(name) or "").strip()


def is_number(raw: str) -> bool:
    """Plain ASCII digits: str.isdigit() alone also accepts characters such as "²" that int() refuses."""
    return raw.isascii() and raw.isdigit()


def w3c(moment) -> str | None:
    """W3C datetime with the local offset (2026-01-05T09:00:00+08:00): the spec requires a timezone on every one."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return clean(str(value))


def _element(name: str, value) -> Element:
    element = Element(name)
    if isinstance(value, dict):
        for key, child in value.items():
            element.append(_element(key, child))
    elif isinstance(value, list):
        for child in value:
            element.append(_element(ITEM_NAMES[name], child))
    elif value is not None:
        element.text = _text(value)
    return element


def to_xml(root: str, data) -> bytes:
    body = tostring(_element(root, data), encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}'.encode()


def render(data, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """`root` names the outermost XML element (services, service_requests, service_definition, discovery …)."""
    if fmt == "json":
        return HttpResponse(json.dumps(data, ensure_ascii=False), content_type=JSON_TYPE, status=status)
    return HttpResponse(to_xml(root, data), content_type=XML_TYPE, status=status)


def render_error(error: Open311Error, fmt: str) -> HttpResponse:
    body = [{"code": error.status, "description": str(text)} for text in error.descriptions]
    return render(body, fmt, "errors", status=error.status)
