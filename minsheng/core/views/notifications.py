"""The in-app inbox and each person's notification settings."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import notifications
from ..forms import apply_action_errors
from ..http import AuthedRequest
from ..models import Notification
from ..pagination import paginate
from ..scoping import get_visible_or_404


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    only_unread = request.GET.get("unread") == "1"
    rows = Notification.objects.visible_to(request.user)
    if only_unread:
        rows = rows.filter(read_at__isnull=True)
    rows = rows.annotate(
        unread_rank=Case(
            When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("unread_rank", "-created_at", "-pk")
    page = paginate(request, rows)
    return render(
        request,
        "core/notifications/inbox.html",
        {
            "page_obj": page,
            "only_unread": only_unread,
            "unread": notifications.unread_count(request.user),
        },
    )


@login_required
def open_notification(request: AuthedRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way — like opening a letter."""
    notification = get_visible_or_404(Notification, request.user, pk=pk)
    notifications.mark_read(notification, actor=request.user)
    if notification.link and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = get_visible_or_404(Notification, request.user, pk=pk)
    notifications.mark_read(notification, actor=request.user)
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request: AuthedRequest) -> HttpResponse:
    count = notifications.mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("已将 %(n)d 条消息标为已读") % {"n": count})
    return redirect(_back(request))


def _back(request: AuthedRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notifications:inbox")


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(label=gettext_lazy("接收邮件通知"), required=False)
    email = forms.EmailField(
        label=gettext_lazy("邮箱"), required=False, help_text=gettext_lazy("留空则使用账号中的邮箱")
    )
    quiet_start = forms.TimeField(
        label=gettext_lazy("免打扰开始"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label=gettext_lazy("免打扰结束"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=gettext_lazy(
            "北京时间。免打扰时段内，非紧急通知的邮件推迟到时段结束时发送；站内消息照常送达，紧急通知不受限制。"
            "可跨午夜，例如 22:00 至 07:00。"
        ),
    )


@login_required
def preferences(request: AuthedRequest) -> HttpResponse:
    current = notifications.preferences_for(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                notifications.update_preferences(request.user, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_action_errors(form, exc)
            else:
                messages.success(request, _("通知设置已保存"))
                return redirect("notifications:preferences")
    else:
        form = PreferenceForm(
            initial={
                # Shown off when there is no address to send to, so saving quiet hours needs no email.
                "email_enabled": current.email_enabled and bool(current.email or request.user.email),
                "email": current.email,
                "quiet_start": current.quiet_start,
                "quiet_end": current.quiet_end,
            }
        )
    return render(
        request,
        "core/notifications/preferences.html",
        {"form": form, "account_email": request.user.email},
    )
