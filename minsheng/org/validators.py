"""Validators for identifiers in the registries (all from national standards)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from minsheng.core import clock

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_id_number(value: str) -> None:
    """An 18-character 公民身份号码: 17 digits, a valid birth date, and the right check character."""
    number = (value or "").strip().upper()
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("身份证号码应为18位（前17位数字，末位数字或X）"), code="id_format")
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(_("身份证号码中的出生日期无效"), code="id_birth") from exc
    if born.year < 1890 or born > clock.today():
        raise ValidationError(_("身份证号码中的出生日期无效"), code="id_birth")
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError(_("身份证号码校验位错误"), code="id_check")


def birth_date_from_id(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except (ValueError, IndexError):
        return None


def gender_from_id(number: str) -> str | None:
    try:
        return "M" if int(number[16]) % 2 else "F"
    except (ValueError, IndexError):
        return None


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 统一社会信用代码 check character."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        raise ValidationError(
            _("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）"), code="uscc_format"
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位错误"), code="uscc_check")


def validate_division_code(value: str) -> None:
    """统计用区划代码: 12 digits."""
    if value and (len(value) != 12 or not value.isdigit()):
        raise ValidationError(_("统计用区划代码应为12位数字"), code="division_code")


def validate_geojson_geometry(value) -> None:
    """A GeoJSON Point, Polygon or MultiPolygon that shapely accepts as valid."""
    if value in (None, "", {}):
        return
    from shapely.geometry import shape

    if not isinstance(value, dict) or value.get("type") not in {"Point", "Polygon", "MultiPolygon"}:
        raise ValidationError(_("几何应为 GeoJSON 的 Point、Polygon 或 MultiPolygon"), code="geometry_type")
    try:
        geom = shape(value)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise ValidationError(_("GeoJSON 坐标格式错误"), code="geometry_coords") from exc
    if not geom.is_valid:
        raise ValidationError(_("多边形无效（自相交或不闭合）"), code="geometry_invalid")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ValidationError(_("坐标超出经纬度范围"), code="geometry_range")
