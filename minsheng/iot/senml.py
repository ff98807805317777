"""A SenML (RFC 8428) JSON resolver: base fields carried forward, names, times and values resolved.

Our own: the PyPI SenML libraries have not been maintained since 2018, and resolution is a page of rules.
`resolve(pack)` turns a pack into absolute records and lists what was wrong with each bad record, so that one
bad record never costs the good ones beside it.
"""

import math
import re
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

SUPPORTED_VERSION = 10
#: Times below 2**28 seconds are relative to now (RFC 8428 section 4.5.3).
RELATIVE_LIMIT = 2**28
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-:./_]*$")
BASE_FIELDS = {"bn", "bt", "bu", "bv", "bs", "bver"}
RECORD_FIELDS = {"n", "u", "v", "vs", "vb", "vd", "s", "t", "ut"}
VALUE_FIELDS = ("v", "vs", "vb", "vd")


@dataclass(frozen=True)
class Record:
    name: str
    time: float  # absolute Unix seconds
    value: float | str | bool
    unit: str = ""
    value_field: str = "v"


@dataclass(frozen=True)
class RecordError:
    index: int
    reason: str

    def __str__(self) -> str:
        return _("第%(n)d条记录：%(reason)s") % {"n": self.index + 1, "reason": self.reason}


def _number(value) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:  # an integer too large for a float (the standard library's JSON keeps any size) is not a number here
        return math.isfinite(value)
    except OverflowError:
        return False


def resolve(pack, now: float | None = None) -> tuple[list[Record], list[RecordError]]:
    """Resolve a decoded SenML pack (a JSON array of objects). Returns (records, errors)."""
    if not isinstance(pack, list):
        return [], [RecordError(0, _("SenML 数据包必须是 JSON 数组"))]
    now = time.time() if now is None else now
    base = {"bn": "", "bt": 0.0, "bu": "", "bv": 0.0}
    records: list[Record] = []
    errors: list[RecordError] = []
    for index, raw in enumerate(pack):
        try:
            record = _resolve_one(raw, base, now)
        except ValueError as exc:
            errors.append(RecordError(index, str(exc)))
            continue
        if record is not None:
            records.append(record)
    return records, errors


def _resolve_one(raw, base: dict, now: float) -> Record | None:
    if not isinstance(raw, dict):
        raise ValueError(_("不是 JSON 对象"))
    unknown = set(raw) - BASE_FIELDS - RECORD_FIELDS
    mandatory = {key for key in unknown if key.endswith("_")}
    if mandatory:  # section 4.4: a field ending in "_" must be understood, or the record rejected
        raise ValueError(_("不支持的必须理解字段 %(fields)s") % {"fields": ", ".join(sorted(mandatory))})
    if "bver" in raw and (not isinstance(raw["bver"], int) or raw["bver"] > SUPPORTED_VERSION):
        raise ValueError(_("不支持的 SenML 版本 %(v)s") % {"v": raw["bver"]})
    for key, kind in (("bn", str), ("bu", str), ("n", str), ("u", str), ("vs", str), ("vd", str)):
        if key in raw and not isinstance(raw[key], kind):
            raise ValueError(_("字段 %(key)s 必须是字符串") % {"key": key})
    for key in ("bt", "bv", "t", "v", "s", "bs", "ut"):
        if key in raw and not _number(raw[key]):
            raise ValueError(_("字段 %(key)s 必须是有限数值") % {"key": key})
    if "vb" in raw and not isinstance(raw["vb"], bool):
        raise ValueError(_("字段 vb 必须是 true 或 false"))
    # Base fields apply to this record and every later one until changed.
    for key in ("bn", "bt", "bu", "bv"):
        if key in raw:
            base[key] = raw[key]
    present = [key for key in VALUE_FIELDS if key in raw]
    if not present and not ({"n", "t", "u"} & set(raw)):
        return None  # a record carrying base fields only
    if len(present) != 1:
        if not present:
            raise ValueError(_("须有且仅有 v、vs、vb、vd 之一"))
        raise ValueError(_("同时给出了多个值字段 %(fields)s") % {"fields": ", ".join(present)})
    name = base["bn"] + raw.get("n", "")
    if not NAME.match(name):
        raise ValueError(_("名称无效：%(name)s") % {"name": name})
    moment = float(base["bt"]) + float(raw.get("t", 0))
    if moment < RELATIVE_LIMIT:
        moment += now
    if not math.isfinite(moment):
        raise ValueError(_("时间超出范围"))
    field = present[0]
    value = float(raw[field]) + float(base["bv"]) if field == "v" else raw[field]
    if field == "v" and not math.isfinite(value):
        raise ValueError(_("数值超出范围"))
    return Record(name=name, time=moment, value=value, unit=raw.get("u", base["bu"]), value_field=field)
