"""Who may post service requests through Open311, and what each post brought besides the case itself.

Reading the Open311 feed needs no key (the spec makes it public); posting does. Every case created through the
API points at its Submission through the engine's generic `source` link, so staff see which client sent it and an
abusive client can be switched off in the admin.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import BaseModel


def new_key() -> str:
    return secrets.token_urlsafe(32)


class Open311Key(BaseModel):
    name = models.CharField(_("接入方名称"), max_length=100, help_text=_("如：12345热线平台、某某小程序"))
    key = models.CharField(_("密钥"), max_length=64, unique=True, default=new_key, editable=False)
    active = models.BooleanField(_("启用"), default=True)

    # The audit log keeps before/after values: the key is masked there like personal data.
    pii_fields = ("key",)

    class Meta:
        verbose_name = _("Open311 接入密钥")
        verbose_name_plural = _("Open311 接入密钥")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Submission(BaseModel):
    """One POST requests call that became a case: the client that sent it and the media link it gave."""

    key = models.ForeignKey(
        Open311Key, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("接入密钥")
    )
    media_url = models.URLField(_("媒体链接"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Open311 提交")
        verbose_name_plural = _("Open311 提交")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return _("Open311：%(name)s") % {"name": self.key.name}
