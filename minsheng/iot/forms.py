from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from .choices import Severity
from .models import AlarmNotificationPreference, Cluster, default_notify_severities


class AlarmPreferenceForm(forms.Form):
    """告警通知设置. Villages offered are those the person may see greenhouses in."""

    enabled = forms.BooleanField(label=_("接收告警通知"), required=False)
    severities = forms.MultipleChoiceField(
        label=_("告警级别"), choices=Severity.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    clusters = forms.ModelMultipleChoiceField(
        label=_("只看这些片区"),
        queryset=Cluster.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("只看这些村"),
        queryset=Node.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    email = forms.BooleanField(label=_("同时发送邮件"), required=False)
    on_cleared = forms.BooleanField(label=_("告警清除时通知"), required=False)
    reminders = forms.BooleanField(label=_("未确认时定时提醒"), required=False)

    def __init__(self, *args, user, instance: AlarmNotificationPreference | None = None, **kwargs):
        if instance is not None:
            initial = {
                "enabled": instance.enabled,
                "severities": instance.severities,
                "clusters": list(instance.clusters.all()),
                "villages": list(instance.villages.all()),
                "email": instance.email,
                "on_cleared": instance.on_cleared,
                "reminders": instance.reminders,
            }
        else:
            initial = {
                "enabled": True,
                "severities": default_notify_severities(),
                "email": True,
                "on_cleared": True,
                "reminders": True,
            }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        villages = Node.objects.visible_to(user, "iot.view").filter(kind=NodeKind.VILLAGE).order_by("path")
        self.fields["villages"].queryset = villages
        self.fields["clusters"].queryset = Cluster.objects.filter(villages__in=villages).distinct()

    def clean(self):
        data = super().clean()
        if data.get("enabled") and not data.get("severities"):
            self.add_error("severities", _("请至少选择一个告警级别，或关闭告警通知"))
        return data
