"""The command centre's display links: a leader lets a screen show the big cockpit of one subtree without anyone
logged in (decision 0057). The token is signed (django.core.signing) over the link's id and a random nonce kept
here; revoking or expiring the row ends it whatever the signature says."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedManager

from .periods import KINDS


class DisplayLink(BaseModel):
    label = models.CharField(_("用途"), max_length=60)
    node = models.ForeignKey("org.Node", on_delete=models.CASCADE, related_name="+", verbose_name=_("范围"))
    period = models.CharField(
        _("统计期间"), max_length=8, choices=[(k, v) for k, v in KINDS.items()], default="month"
    )
    nonce = models.CharField(max_length=32, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("签发人")
    )
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("撤销人"),
    )
    last_shown_at = models.DateTimeField(_("最近显示"), null=True, blank=True)
    shown = models.PositiveIntegerField(_("显示次数"), default=0)

    scope_path = "node__path"
    audit_secret_fields = ("nonce",)
    objects = ScopedManager()

    class Meta:
        verbose_name = _("大屏显示链接")
        verbose_name_plural = _("大屏显示链接")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.label}（{self.node}）"
