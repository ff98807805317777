"""Account changes: creating users and granting or ending memberships (roles at org nodes)."""

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from minsheng.core.permissions import require_cap

from .choices import Cap, Role
from .models import Membership, User

if TYPE_CHECKING:
    from minsheng.org.models import Node


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str | None = None,
    display_name: str = "",
    phone: str | None = None,
    title: str = "",
    actor: User | None = None,
    validate: bool = True,
    password_hash: str | None = None,
) -> User:
    """A new account. `password_hash` (from make_password) lets a bulk loader hash one shared password once:
    hashing is deliberately slow, about a fifth of a second each."""
    require_cap(actor, Cap.ACCOUNTS_MANAGE, message=_("没有权限管理账号"))
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
    node: "Node",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    actor: User | None = None,
) -> Membership:
    require_cap(actor, Cap.ACCOUNTS_MANAGE, node, message=_("没有权限管理账号"))
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
def end_membership(membership: Membership, *, on: dt.date, actor: User | None = None) -> Membership:
    require_cap(actor, Cap.ACCOUNTS_MANAGE, membership.node, message=_("没有权限管理账号"))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if actor is not None and membership.user_id == actor.pk and not actor.is_superuser:
        # Ending one's own last role locks one out of the very pages that could undo it.
        others = (
            Membership.objects.filter(user_id=actor.pk)
            .exclude(pk=membership.pk)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        )
        if not others.exists():
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: _(
                        "不能结束本人的最后一项任职：结束后将无法再登录管理。如确需结束，请由其他管理员办理。"
                    )
                }
            )
    membership.valid_to = on
    membership.save(update_fields=["valid_to", "updated_at"])
    return membership
