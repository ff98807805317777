from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import notifications
from .models import (
    AuditLog,
    CalendarOverride,
    Delivery,
    Notification,
    NotificationPreference,
    WebhookEndpoint,
)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic only in the stubs
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic only in the stubs
    """Rows written only by the app's actions (logs, alarms, ledgers): the admin may look, never write."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "content_type", "object_repr", "user_repr", "request_id"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "user_repr", "request_id"]
    readonly_fields = [f.name for f in AuditLog._meta.fields]


# -- notifications ---------------------------------------------------------------------------------------------


def _node_model() -> Any:
    # Looked up by name: core sits below org in the import order and must not import it.
    return apps.get_model("org", "Node")


def _node_label(path: str) -> str:
    if not path:
        return str(_("全部"))
    node = _node_model().objects.filter(path=path).first()
    return (node.full_name or node.name) if node else path


class WebhookEndpointForm(forms.ModelForm):  # type: ignore[type-arg]  # generic only in the stubs
    url = forms.URLField(
        label=_("地址"),
        max_length=500,
        assume_scheme="https",
        help_text=_("企业微信：在群聊中添加群机器人后复制它的 Webhook 地址（含 key，请勿外传）"),
    )
    scope_node: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("组织范围"),
        help_text=_("只推送来源位于该节点及其下级的通知；留空表示全部"),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "kind", "url", "min_level", "enabled", "secret", "quiet_start", "quiet_end"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["scope_node"]
        field.queryset = _node_model().objects.filter(depth__lte=3)
        field.label_from_instance = lambda node: node.full_name or node.name
        if self.instance.node_path:
            field.initial = field.queryset.filter(path=self.instance.node_path).first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        node = cleaned.get("scope_node")
        self.instance.node_path = node.path if node else ""
        return cleaned


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic only in the stubs
    form = WebhookEndpointForm
    list_display = ["name", "kind", "scope", "min_level", "enabled", "quiet_hours"]
    list_filter = ["kind", "enabled", "min_level"]
    search_fields = ["name"]
    actions = ["send_test"]
    fields = [
        "name",
        "kind",
        "url",
        "scope_node",
        "min_level",
        "enabled",
        "secret",
        "quiet_start",
        "quiet_end",
    ]

    @admin.display(description=_("组织范围"))
    def scope(self, obj: WebhookEndpoint) -> str:
        return _node_label(obj.node_path)

    @admin.display(description=_("免打扰"))
    def quiet_hours(self, obj: WebhookEndpoint) -> str:
        if obj.quiet_start and obj.quiet_end:
            return f"{obj.quiet_start:%H:%M}–{obj.quiet_end:%H:%M}"
        return "—"

    @admin.action(description=_("发送测试消息"))
    def send_test(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            delivery = notifications.send_test_message(endpoint)
            if delivery.status == Delivery.Status.SENT:
                self.message_user(
                    request, _("“%(name)s”测试消息已送达") % {"name": endpoint}, messages.SUCCESS
                )
            else:
                self.message_user(
                    request,
                    _("“%(name)s”测试消息发送失败：%(error)s")
                    % {"name": endpoint, "error": delivery.last_error},
                    messages.ERROR,
                )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic only in the stubs
    list_display = ["created_at", "channel", "target", "status", "attempts", "next_attempt_at", "error"]
    list_filter = ["status", "channel", "endpoint"]
    search_fields = ["address", "last_error", "endpoint__name"]
    actions = ["retry"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    @admin.display(description=_("目标"))
    def target(self, obj: Delivery) -> object:
        return obj.address if obj.channel == Delivery.Channel.EMAIL else obj.endpoint

    @admin.display(description=_("最近错误"))
    def error(self, obj: Delivery) -> str:
        return format_html('<span title="{}">{}</span>', obj.last_error, obj.last_error[:60])

    @admin.action(description=_("立即重试"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = notifications.retry_now(queryset)
        self.message_user(request, _("已安排 %(n)d 条立即重试") % {"n": count}, messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic only in the stubs
    list_display = ["created_at", "recipient", "title", "level", "kind", "read_at"]
    list_filter = ["level", "kind"]
    search_fields = ["title", "recipient__username", "recipient__display_name", "dedupe_key"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # generic only in the stubs
    list_display = ["user", "email_enabled", "email", "quiet_start", "quiet_end"]
    list_filter = ["email_enabled"]
    search_fields = ["user__username", "user__display_name", "email"]
    raw_id_fields = ["user"]
