"""Shared models: the base model every registry inherits, the audit log, calendar overrides, notifications."""

from __future__ import annotations

import copy
from collections.abc import Collection
from typing import Any, Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import URLValidator
from django.db import models
from django.db.models import DEFERRED
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Timestamps and a stable default ordering. Subclasses are audited unless `audited = False`."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    audited = True
    #: Fields holding personal information: masked in the audit log for users without the PII capability.
    pii_fields: tuple[str, ...] = ()
    #: Fields never copied into the audit log (keys, secret URLs): a fingerprint shows that they changed.
    audit_secret_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True
        ordering = ["pk"]

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any]) -> Self:  # type: ignore[override]
        """Remember the values as loaded: the audit log diffs against them without reading the row again."""
        instance = super().from_db(db, field_names, values)
        if cls.audited:
            instance._loaded_values = {  # type: ignore[attr-defined]
                name: copy.deepcopy(value) if isinstance(value, dict | list) else value
                for name, value in zip(field_names, values, strict=True)
                if value is not DEFERRED
            }
        return instance


class AuditLog(models.Model):
    """One row per change of an audited object, or per unmasked view of personal data (PIPL)."""

    class Action(models.TextChoices):
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        VIEW_PII = "view_pii", _("查看个人信息")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("对象类型"))
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    user_repr = models.CharField(_("操作人"), max_length=150, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"


class CalendarOverride(BaseModel):
    """An admin's word on one date, for years the holiday library does not cover or local 调休 decisions."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("例如：春节、国庆节调休上班"))

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("上班") if self.is_workday else _("休息")
        return f"{self.date} {kind} {self.name}".strip()


# -- notifications (see minsheng/core/notifications.py and docs/decisions/0004-notifications.md) -------------


class NotificationLevel(models.TextChoices):
    """How loud a notification is: urgent ones ignore quiet hours."""

    INFO = "info", _("提示")
    WARNING = "warning", _("警告")
    URGENT = "urgent", _("紧急")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: Any, capability: str = "") -> NotificationQuerySet:
        """An inbox is personal: everyone, the superuser included, reads only their own notifications."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(recipient=user)


class Notification(BaseModel):
    """One message in one person's in-app inbox; the other channels deliver copies of it."""

    audited = False  # messages, not governance data: the action that caused them is what the audit log keeps

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    level = models.CharField(
        _("级别"), max_length=16, choices=NotificationLevel.choices, default=NotificationLevel.INFO
    )
    kind = models.CharField(_("类别"), max_length=64, blank=True, help_text=_("例如：cases.overdue"))
    source_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源类型"),
    )
    source_id = models.CharField(_("来源编号"), max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    node_path = models.CharField(
        _("所属组织路径"), max_length=255, blank=True, help_text=_("来源所属组织节点的路径，用于按辖区推送")
    )
    dedupe_key = models.CharField(_("去重键"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_unique_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(BaseModel):
    """A person's say over the channels that can interrupt them (the in-app inbox is always written)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("用户"),
    )
    email_enabled = models.BooleanField(_("接收邮件"), default=True)
    email = models.EmailField(_("邮箱"), blank=True, help_text=_("留空则使用账号邮箱"))
    quiet_start = models.TimeField(_("免打扰开始"), null=True, blank=True)
    quiet_end = models.TimeField(_("免打扰结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return str(self.user)


class WebhookEndpoint(BaseModel):
    """An outgoing webhook an administrator configured: a WeCom group robot or any JSON receiver."""

    class Kind(models.TextChoices):
        GENERIC = "generic", _("通用 JSON")
        WECOM = "wecom", _("企业微信群机器人")

    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("地址"), max_length=500, validators=[URLValidator(schemes=["http", "https"])])
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.WECOM)
    node_path = models.CharField(
        _("组织范围"),
        max_length=255,
        blank=True,
        help_text=_("只推送该组织节点及其下级的通知；留空表示全部"),
    )
    min_level = models.CharField(
        _("最低级别"), max_length=16, choices=NotificationLevel.choices, default=NotificationLevel.WARNING
    )
    enabled = models.BooleanField(_("启用"), default=True)
    secret = models.CharField(
        _("签名密钥"),
        max_length=200,
        blank=True,
        help_text=_("通用 JSON 类型：用此密钥以 HMAC-SHA256 签名请求体，放在 X-Minsheng-Signature 头中"),
    )
    quiet_start = models.TimeField(_("免打扰开始"), null=True, blank=True)
    quiet_end = models.TimeField(_("免打扰结束"), null=True, blank=True)

    # A robot's URL carries its key: both are masked wherever the audit log shows changes.
    pii_fields = ("url", "secret")
    audit_secret_fields = ("url", "secret")

    class Meta:
        verbose_name = _("Webhook 推送")
        verbose_name_plural = _("Webhook 推送")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Delivery(BaseModel):
    """One attempt-tracked copy of a notification on an outside channel: an email or a webhook call.

    An email delivery belongs to one inbox row (`notification`); a webhook delivery belongs to one notify() call
    and carries what the group is told in `message`, since a group is not one of the recipients.
    """

    audited = False

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("已放弃")

    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("通知"),
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("Webhook"),
    )
    address = models.EmailField(_("邮箱"), blank=True)
    message = models.JSONField(_("消息"), default=dict, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="delivery_unique_endpoint_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        target = self.address if self.channel == self.Channel.EMAIL else str(self.endpoint)
        return f"{self.get_channel_display()} → {target}"
