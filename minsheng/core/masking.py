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


def mask_address(address: str | None) -> str:
    """Keep the coarse part (up to the 小区/村) and hide building, unit and room."""
    if not address:
        return ""
    parts = str(address).split(" ")
    if len(parts) <= 2:
        return address
    return " ".join(parts[:2]) + " ****"


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
