"""The display-link form (the one thing a leader writes in insights)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap
from minsheng.org.models import Node

from .periods import KINDS


class DisplayLinkForm(forms.Form):
    label = forms.CharField(label=_("用途"), max_length=60, initial=_("指挥中心大屏"))
    node = forms.ModelChoiceField(label=_("范围"), queryset=Node.objects.none(), empty_label=None)
    period = forms.ChoiceField(label=_("统计期间"), choices=list(KINDS.items()), initial="month")
    days = forms.IntegerField(label=_("有效天数"))  # the range is the action's (settings may widen it)

    def __init__(self, *args, user, max_days: int, default_days: int, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["node"].queryset = (
            Node.objects.visible_to(user, Cap.INSIGHTS_VIEW).filter(depth__lte=2).order_by("path")
        )
        self.fields["days"].initial = default_days
        self.fields["days"].widget.attrs.update(min=1, max=max_days)
