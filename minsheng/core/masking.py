"""Masking of personal information (PIPL 个人信息保护法): phones, ID numbers, addresses."""

from typing import Any


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    digits = str(phone)
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * len(digits)


def mask_id_number(number: str | None) -> str:
    if not number:
        return ""
    number = str(number)
    if len(number) <= 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def mask_name(name: str | None) -> str:
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else name


#: Full addresses are the node names from the street down: 街道 社区/村 小区/自然村 楼栋 单元 房号.
COARSE_PARTS = 3


def mask_address(address: str | None) -> str:
    """Keep the coarse part (街道, 社区/村, 小区/自然村) and hide building, unit and room."""
    if not address:
        return ""
    parts = str(address).split(" ")
    if len(parts) <= COARSE_PARTS:
        return address
    return " ".join(parts[:COARSE_PARTS]) + " ****"


def mask_value(field: str, value: Any) -> Any:
    if value in (None, ""):
        return value
    if "phone" in field:
        return mask_phone(value)
    if "id_number" in field:
        return mask_id_number(value)
    if "address" in field:
        return mask_address(value)
    return "******"
