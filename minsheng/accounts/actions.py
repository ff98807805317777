"""Account changes: creating users and granting or ending memberships (roles at org nodes)."""

import datetime as dt

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import Role
from .models import Membership, User


def _require_manage(actor, node=None) -> None:
    if actor is not None and not actor.has_cap("accounts.manage", node):
        raise PermissionDenied(_("没有权限管理账号"))


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str | None,
    display_name: str = "",
    phone: str | None = None,
    title: str = "",
    actor=None,
    validate: bool = True,
    password_hash: str | None = None,
) -> User:
    """A new account. `password_hash` (from make_password) lets a bulk loader hash one shared password once:
    hashing is deliberately slow, about a fifth of a second each."""
    _require_manage(actor)
    user = User(
        username=(username or "").strip(), display_name=display_name, phone=phone or None, title=title
    )
    user.full_clean(exclude=["password"])
    if password_hash:
        user.password = password_hash
    elif password:
        if validate and actor is not None:
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


CONFIG_GROUP = "街道管理员（系统配置）"
CONFIG_APPS = ("core", "accounts", "org", "cases", "open311", "agri", "iot")


def _config_group() -> Group:
    """The Django-admin rights a 街道管理员 needs to configure the system: every permission of our apps."""
    group, created = Group.objects.get_or_create(name=CONFIG_GROUP)
    if created:
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=CONFIG_APPS))
    return group


@transaction.atomic
def grant_membership(
    *,
    user: User,
    role: str,
    node,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    actor=None,
) -> Membership:
    _require_manage(actor, node)
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色")})
    membership, _created = Membership.objects.get_or_create(
        user=user, role=role, node=node, defaults={"valid_from": valid_from, "valid_to": valid_to}
    )
    if role in (Role.STREET_ADMIN, Role.COUNTY_ADMIN) and not user.is_staff:
        user.is_staff = True  # the Chinese admin at /admin/ is where a 街道管理员 configures the system
        user.save(update_fields=["is_staff"])
        user.groups.add(_config_group())
    user.__dict__.pop("active_memberships", None)
    return membership


@transaction.atomic
def end_membership(membership: Membership, *, on: dt.date, actor=None) -> Membership:
    _require_manage(actor, membership.node)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    membership.valid_to = on
    membership.save(update_fields=["valid_to", "updated_at"])
    return membership
