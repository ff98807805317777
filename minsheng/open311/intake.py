"""Reading a POST requests call: the spec's form parameters, checked and turned into do_submit's arguments.

Every problem in the form is collected and reported at once (the spec allows several errors in one response).
Where the case is located, most precise first:
  1. address_id — an org node id, or its 12-digit 统计用区划代码;
  2. attribute[estate] — a 小区/自然村 from the service definition;
  3. lat + long — the grid containing the point (its 社区/村), else the 社区/村 whose outline contains it;
  4. address_string — the 社区/村/小区 named in the text, then its 楼栋 and 单元 if named too; when nothing is
     recognised and the installation has one 街道, the 街道 itself (the dispatcher then places it).
The point and the address text are kept on the case whichever of them located it.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape

from minsheng.cases.choices import Urgency
from minsheng.org.choices import TERRITORIAL_KINDS, NodeKind
from minsheng.org.models import Grid, Node

from . import actions, services
from .formats import Open311Error, is_number, param

MAX_DESCRIPTION = 4000
MAX_ADDRESS = 200
MAX_NAME = 50
MAX_URL = 500
_ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{2,19}$")
#: Kinds whose names are distinctive enough to be recognised inside a free-text address.
_NAMED_PLACES = (*TERRITORIAL_KINDS, NodeKind.ESTATE, NodeKind.NATURAL_VILLAGE)


def submit(data, key):
    """Create the case described by the form `data` (a QueryDict) for the client holding `key`."""
    errors: list[str] = []
    category = None
    code = param(data, "service_code")
    if code:
        category = services.get_service(code).category  # unknown → 404 at once, as the spec says
    else:
        errors.append(_("缺少必填参数 service_code"))

    attrs = _attributes(data)
    urgency = attrs.pop("urgency", "") or Urgency.NORMAL
    if urgency not in Urgency.values:
        errors.append(_("attribute[urgency] 的取值无效：%(v)s") % {"v": urgency})
    estate = _place(attrs.pop("estate", ""), errors)

    description = param(data, "description")
    if len(description) > MAX_DESCRIPTION:
        errors.append(_("description 不能超过 %(n)d 个字符") % {"n": MAX_DESCRIPTION})

    point = _point(data, errors)
    address = param(data, "address_string")
    if len(address) > MAX_ADDRESS:
        errors.append(_("address_string 不能超过 %(n)d 个字符") % {"n": MAX_ADDRESS})
    by_id = _address_id(param(data, "address_id"), errors)
    if not (point or address or param(data, "address_id")):
        errors.append(_("缺少位置：请提供 lat 和 long，或 address_string，或 address_id"))

    phone = param(data, "phone")
    if phone and not _PHONE.match(phone):
        errors.append(_("phone 不是有效的电话号码"))
    name = _full_name(param(data, "first_name"), param(data, "last_name"))
    if len(name) > MAX_NAME:
        errors.append(_("姓名不能超过 %(n)d 个字符") % {"n": MAX_NAME})
    media_url = param(data, "media_url")
    if media_url and not _is_web_url(media_url):
        errors.append(_("media_url 不是有效的 http(s) 链接（最长 %(n)d 个字符）") % {"n": MAX_URL})
    if errors:
        raise Open311Error(400, *errors)

    node = by_id or estate
    if node is None and point:
        node = _place_at(*point)
        if node is None:
            raise Open311Error(400, _("该位置（lat, long）不在本辖区范围内"))
    if node is None:
        node = _place_named(address)
        if node is None:
            raise Open311Error(400, _("无法从 address_string 识别位置，请提供 address_id 或 lat 和 long"))
    lat, lng = point or (None, None)
    try:
        return actions.do_submit(
            key=key,
            category=category,
            description=description or category.name,
            node=node,
            lat=lat,
            lng=lng,
            address=address,
            urgency=urgency,
            reporter_name=name,
            reporter_phone=phone,
            media_url=media_url,
        )
    except ValidationError as exc:
        raise Open311Error(400, *exc.messages) from exc


def _attributes(data) -> dict[str, str]:
    """attribute[CODE]=v → {CODE: v}; a multivaluelist (attribute[CODE][]=…) keeps its values comma-joined."""
    result = {}
    for name in data:
        match = _ATTRIBUTE.match(name)
        if match:
            values = [v.strip() for v in data.getlist(name) if v.strip()]
            result[match.group(1)] = ",".join(values) if match.group(2) else (values[-1] if values else "")
    return result


def _is_web_url(value: str) -> bool:
    if len(value) > MAX_URL:
        return False
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return True


def _point(data, errors: list[str]) -> tuple[float, float] | None:
    raw_lat, raw_lng = param(data, "lat"), param(data, "long")
    if not (raw_lat or raw_lng):
        return None
    try:
        lat, lng = float(raw_lat), float(raw_lng)
    except ValueError:
        errors.append(_("lat 和 long 须同时提供，且为十进制度数（WGS84）"))
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        errors.append(_("lat 或 long 超出取值范围"))
        return None
    return lat, lng


def _address_id(raw: str, errors: list[str]) -> Node | None:
    if not raw:
        return None
    node = None
    if is_number(raw) and len(raw) <= 12:
        lookup = {"code": raw} if len(raw) == 12 else {"pk": int(raw)}
        node = Node.objects.filter(**lookup).first()
    if node is None:
        errors.append(_("未知的 address_id：%(v)s") % {"v": raw})
    return node


def _place(raw: str, errors: list[str]) -> Node | None:
    if not raw:
        return None
    node = services.places().filter(pk=int(raw)).first() if is_number(raw) and len(raw) < 12 else None
    if node is None:
        errors.append(_("attribute[estate] 的取值无效：%(v)s") % {"v": raw})
    return node


def _place_at(lat: float, lng: float) -> Node | None:
    grid = Grid.objects.containing(lat, lng).select_related("community").first()
    if grid is not None:
        return grid.community
    spot = Point(lng, lat)
    outlined = Node.objects.filter(kind__in=TERRITORIAL_KINDS, geometry__isnull=False)
    return next((n for n in outlined if shape(n.geometry).covers(spot)), None)


def _place_named(text: str) -> Node | None:
    """The deepest place named in the text; among children the longest name wins (11号楼 over 1号楼)."""
    named = [
        (depth, len(name), pk)
        for pk, name, depth in Node.objects.filter(kind__in=_NAMED_PLACES).values_list("pk", "name", "depth")
        if name and name in text
    ]
    if not named:
        roots = list(Node.objects.get_root_nodes()[:2])
        return roots[0] if len(roots) == 1 else None
    node = Node.objects.get(pk=max(named)[2])
    while True:
        children = [c for c in Node.objects.get_children(node) if c.name and c.name in text]
        if not children:
            return node
        node = max(children, key=lambda c: len(c.name))


def _full_name(first: str, last: str) -> str:
    """姓 before 名 for Chinese names, "first last" for Latin ones."""
    if (first + last).isascii():
        return f"{first} {last}".strip()
    return f"{last}{first}"
