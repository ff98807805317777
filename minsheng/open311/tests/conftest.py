"""Open311 test helpers: the cases world, an API key, a fixed clock, and the official JSON Schemas.

The schemas in schemas/ are the spec's own (see schemas/SOURCE.md). jsonschema checks "date-time" and "uri" only
when optional packages are installed and silently passes them otherwise, so the two formats are checked here
explicitly: a date-time without a timezone offset must fail, as the spec requires one on every datetime.
"""

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from minsheng.cases import actions
from minsheng.cases.choices import Channel
from minsheng.cases.tests import conftest as cases_conftest

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=TZ)  # a Monday
BASE = "/open311/v2"
REPORTER_NAME = "高秀英"
REPORTER_PHONE = "13912345678"

cw = cases_conftest.cw  # the cases world (units, routing rules, a grid), reused as is

SCHEMAS = Path(__file__).parent / "schemas"
_W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
formats = FormatChecker()


@formats.checks("date-time")
def _is_w3c_datetime(value) -> bool:
    if not isinstance(value, str) or not _W3C.match(value):
        return False
    dt.datetime.fromisoformat(value)  # raises for impossible dates such as 2026-02-30
    return True


@formats.checks("uri")
def _is_absolute_uri(value) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


_REGISTRY = Registry().with_resources(
    (path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT4))
    for path in SCHEMAS.glob("*.json")
)


def validate(data, schema: str) -> None:
    """Validate against one of the official schemas, e.g. validate(body, "requests.json")."""
    Draft4Validator(
        json.loads((SCHEMAS / schema).read_text()), registry=_REGISTRY, format_checker=formats
    ).validate(data)


def xml_of(response) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def json_of(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def errors_of(response, fmt: str) -> list[tuple[int, str]]:
    """The spec's error list as (code, description) pairs, from either format."""
    if fmt == "json":
        return [(e["code"], e["description"]) for e in json_of(response)]
    root = xml_of(response)
    assert root.tag == "errors"
    return [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]


@pytest.fixture
def frozen(time_machine):
    """Freeze the wall clock (case timestamps, updated_at and the default 90-day window all read it)."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def api_key(db):
    from minsheng.open311.models import Open311Key

    return Open311Key.objects.create(name="12345热线平台")


@pytest.fixture
def register(cw):
    """register(**overrides) → an appeal reported by a resident with a name and a phone (which must never leak)."""

    def make(**overrides):
        values = {
            "actor": cw.w.grid_a,
            "kind": "appeal",
            "channel": Channel.GRID_PATROL,
            "category": cw.cat_sewer,
            "description": "3号楼下水道堵塞，污水外溢",
            "node": cw.w.unit_a,
            "reporter_name": REPORTER_NAME,
            "reporter_phone": REPORTER_PHONE,
        }
        values.update(overrides)
        return actions.do_register(**values)

    return make
