from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from .choices import Comparison, SensorKind, Severity
from .models import (
    KIND_BOUNDS,
    AlarmNotificationPreference,
    Cluster,
    CombinedRule,
    ThresholdOverride,
    default_notify_severities,
)


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


# -- alarm thresholds: overrides and combined rules of a greenhouse or its cluster ------------------------------


class OverrideForm(forms.ModelForm):
    class Meta:
        model = ThresholdOverride
        fields = [
            "kind",
            "stage",
            "day_min",
            "day_max",
            "night_min",
            "night_max",
            "severity",
            "critical_delta",
            "duration_minutes",
            "repeat_count",
            "hysteresis",
            "clear_minutes",
            "stuck_readings",
            "stuck_minutes",
            "spike_per_minute",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("请选择")), *SensorKind.choices]


class CombinedRuleForm(forms.ModelForm):
    class Meta:
        model = CombinedRule
        fields = [
            "name",
            "logic",
            "severity",
            "duration_minutes",
            "repeat_count",
            "clear_minutes",
            "is_active",
        ]
        help_texts = {
            "duration_minutes": _("条件成立持续多少分钟才告警；0 表示立即"),
            "repeat_count": _("连续多少次评估成立才告警；0 表示不要求"),
            "clear_minutes": _("条件不再成立并保持多少分钟后才清除；0 表示立即"),
        }


class ConditionForm(forms.Form):
    # A blank first choice: a row left untouched is skipped, not an error.
    kind = forms.ChoiceField(label=_("传感器类型"), choices=[("", "—"), *SensorKind.choices])
    comparison = forms.ChoiceField(label=_("比较"), choices=[("", "—"), *Comparison.choices])
    value = forms.FloatField(label=_("数值"))

    def clean(self):
        data = super().clean()
        bounds = KIND_BOUNDS.get(data.get("kind"))
        value = data.get("value")
        if bounds and value is not None and not bounds[0] <= value <= bounds[1]:
            self.add_error(
                "value",
                gettext("超出该类传感器的可能范围（%(low)s～%(high)s）")
                % {"low": bounds[0], "high": bounds[1]},
            )
        return data


class BaseConditionFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": _("至少填写一个条件"),
        "too_many_forms": _("条件不能超过6个"),
    }


ConditionFormSet = forms.formset_factory(
    ConditionForm,
    formset=BaseConditionFormSet,
    extra=2,
    max_num=6,
    min_num=1,
    validate_min=True,
    validate_max=True,
)
