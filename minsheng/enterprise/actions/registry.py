"""The enterprise registry: enterprises and their contacts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.core.permissions import require_cap

from ..choices import SizeClass
from ..models import Contact, Enterprise
from ..validators import validate_uscc

if TYPE_CHECKING:
    from models import EnterpriseTag

    from minsheng.accounts.models import User


MOBILE = re.compile(r"^1[3-9]\d{9}$")
FIELDS = (
    "name",
    "industry",
    "size",
    "node",
    "grid",
    "address",
    "legal_rep",
    "founded_on",
    "employees",
    "cadre",
    "note",
)


def _check(enterprise: Enterprise, errors: dict[str, str | list[str]]) -> None:
    if not (enterprise.name or "").strip():
        errors["name"] = _("请填写企业名称")
    if enterprise.size not in SizeClass.values:
        errors["size"] = _("请选择企业规模")
    if enterprise.industry_id is None:
        errors["industry"] = _("请选择行业门类")
    if enterprise.node_id is None:
        errors["node"] = _("请选择所在社区/村")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_enterprise(
    *, actor: User | None, credit_code: str, tags: Iterable[EnterpriseTag] = (), **fields: Any
) -> Enterprise:
    """登记 an enterprise. The credit code must pass GB 32100 and be new to the registry."""
    errors: dict[str, str | list[str]] = {}
    try:
        code = validate_uscc(credit_code)
    except ValidationError as exc:
        errors["credit_code"] = exc.messages
        code = credit_code
    else:
        if Enterprise.objects.filter(credit_code=code).exists():
            errors["credit_code"] = _("该统一社会信用代码已登记")
    enterprise = Enterprise(credit_code=code, **{k: v for k, v in fields.items() if k in FIELDS})
    enterprise.name = (enterprise.name or "").strip()
    _check(enterprise, errors)
    require_cap(actor, Cap.ENTERPRISE_MANAGE, enterprise.node)
    enterprise.save()
    if tags:
        enterprise.tags.set(tags)
    return enterprise


@transaction.atomic
def update_enterprise(
    enterprise: Enterprise, *, actor: User | None, tags: Iterable[EnterpriseTag] | None = None, **changes: Any
) -> Enterprise:
    require_cap(actor, Cap.ENTERPRISE_MANAGE, enterprise.node)
    enterprise = Enterprise.objects.select_for_update(of=("self",)).get(pk=enterprise.pk)
    errors: dict[str, str | list[str]] = {}
    if "credit_code" in changes:
        try:
            code = validate_uscc(changes.pop("credit_code"))
        except ValidationError as exc:
            errors["credit_code"] = exc.messages
        else:
            if Enterprise.objects.filter(credit_code=code).exclude(pk=enterprise.pk).exists():
                errors["credit_code"] = _("该统一社会信用代码已登记")
            enterprise.credit_code = code
    for key, value in changes.items():
        if key in FIELDS:
            setattr(enterprise, key, value)
    _check(enterprise, errors)
    require_cap(
        actor, Cap.ENTERPRISE_MANAGE, enterprise.node
    )  # a move must land inside the actor's scope too
    enterprise.save()
    if tags is not None:
        enterprise.tags.set(tags)
    return enterprise


@transaction.atomic
def add_contact(
    enterprise: Enterprise,
    *,
    actor: User | None,
    name: str,
    phone: str,
    position: str = "",
    is_primary: bool = False,
    h5_enabled: bool = True,
) -> Contact:
    require_cap(actor, Cap.ENTERPRISE_MANAGE, enterprise.node)
    errors: dict[str, str | list[str]] = {}
    phone = re.sub(r"[\s-]", "", phone or "")
    if not (name or "").strip():
        errors["name"] = _("请填写联系人姓名")
    if not MOBILE.match(phone):
        errors["phone"] = _("请填写11位手机号（用于接收验证码）")
    elif Contact.objects.filter(enterprise=enterprise, phone=phone).exists():
        errors["phone"] = _("该企业已有此手机号的联系人")
    if errors:
        raise ValidationError(errors)
    if is_primary:
        Contact.objects.filter(enterprise=enterprise, is_primary=True).update(is_primary=False)
    return Contact.objects.create(
        enterprise=enterprise,
        name=name.strip()[:50],
        phone=phone,
        position=(position or "").strip()[:50],
        is_primary=is_primary or not enterprise.contacts.exists(),
        h5_enabled=h5_enabled,
    )


@transaction.atomic
def remove_contact(contact: Contact, *, actor: User | None) -> None:
    require_cap(actor, Cap.ENTERPRISE_MANAGE, contact.enterprise.node)
    contact.delete()
