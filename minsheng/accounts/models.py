"""Accounts: a user logs in by username or phone; what they may do comes from memberships — a role at an org node."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from minsheng.core import capabilities
from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedManager

from .choices import Role
from .roles import capabilities_of

phone_validator = RegexValidator(r"^1[3-9]\d{9}$", _("请输入11位手机号码"))


class User(AbstractUser):
    phone = models.CharField(
        _("手机号"), max_length=11, unique=True, null=True, blank=True, validators=[phone_validator]
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    title = models.CharField(_("职务"), max_length=50, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.display_name or self.username

    # -- memberships and capabilities -------------------------------------------------------------
    @cached_property
    def active_memberships(self) -> list["Membership"]:
        today = timezone.localdate()
        return list(
            self.memberships.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .select_related("node")
        )

    def capabilities(self) -> set[str]:
        caps: set[str] = set()
        for m in self.active_memberships:
            caps |= capabilities_of(m.role)
        return caps

    def has_cap(self, capability: str, node=None) -> bool:
        """Whether the user holds `capability` (a `Cap`, or its name), anywhere or (with `node`) at that node's
        subtree. A name no role declares raises `UnknownCapability`, for the superuser too."""
        capabilities.check(capability)
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        for m in self.active_memberships:
            if capability in capabilities_of(m.role) and (node is None or node.path.startswith(m.node.path)):
                return True
        return False

    def scope_paths(self, capability: str) -> list[str]:
        """Materialised paths of the subtrees where the user holds `capability` (minimal: no nested duplicates)."""
        capabilities.check(capability)
        paths = sorted(
            {m.node.path for m in self.active_memberships if capability in capabilities_of(m.role)}
        )
        minimal: list[str] = []
        for p in paths:
            if not any(p.startswith(q) for q in minimal):
                minimal.append(p)
        return minimal

    def role_labels(self) -> list[str]:
        return sorted({m.get_role_display() for m in self.active_memberships})

    @property
    def is_staff_member(self) -> bool:
        return self.is_superuser or any(m.role != Role.RESIDENT for m in self.active_memberships)


class Membership(BaseModel):
    """A user's role at one org node, for a period: 社区A的网格员 from 2025-01-01."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户")
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("所属组织")
    )
    valid_from = models.DateField(_("起始日期"), null=True, blank=True)
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)

    scope_path = "node__path"

    objects = ScopedManager()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["user_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "node"], name="membership_unique_role_at_node"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.node}"
