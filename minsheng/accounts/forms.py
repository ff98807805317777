from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .backends import is_locked_out


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("手机号或用户名"), max_length=150)

    error_messages = {
        "invalid_login": _("手机号/用户名或密码不正确。"),
        "inactive": _("该账号已停用。"),
        "locked": _("尝试次数过多，请 15 分钟后再试。"),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        ip = self.request.META.get("REMOTE_ADDR") if self.request else None
        if username and is_locked_out(username, ip):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        return super().clean()
