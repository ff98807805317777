"""The phone flow: a sample card, readings, the field test. Forms only shape and check input; every change goes through agri.actions."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import (
    RapidMethod,
    SampleLevel,
)
from ..models import Pesticide, SamplingTask
from .common import DECIMAL_ATTRS, CommodityField


class ReadingsForm(forms.Form):
    """ΔA0 and ΔAt of one enzyme-inhibition reading (GB/T 5009.199)."""

    delta_a0 = forms.DecimalField(
        label=_("对照组 ΔA0"),
        min_value=Decimal("0.0001"),
        max_digits=8,
        decimal_places=4,
        widget=forms.NumberInput(attrs=DECIMAL_ATTRS),
    )
    delta_at = forms.DecimalField(
        label=_("样品 ΔAt"),
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=4,
        widget=forms.NumberInput(attrs=DECIMAL_ATTRS),
    )


CARD_CHOICES = [("negative", _("阴性")), ("positive", _("阳性")), ("invalid", _("无效卡"))]


class CardForm(forms.Form):
    """One colloidal-gold card: one named pesticide, read 阴性/阳性, or 无效 when the control line stays blank."""

    card = forms.ChoiceField(label=_("试纸卡判读"), choices=CARD_CHOICES, widget=forms.RadioSelect)


class TaskSelect(forms.Select):
    """The task picker: each option carries the task's level and node path, so the page can grey out the tasks a
    sample of the chosen level and village cannot count towards (the server checks again with task_accepts)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        task = getattr(value, "instance", None)
        if task is not None:
            option["attrs"].update({"data-level": task.level, "data-path": task.node.path})
        return option


class FieldTestForm(ReadingsForm):
    """The field page: what was sampled, from whom, where — then the first reading (enzyme or a gold card)."""

    method = forms.ChoiceField(
        label=_("检测方法"),
        # Shorter than the methods' full names, so both fit side by side on a phone.
        choices=[(RapidMethod.ENZYME, _("酶抑制率法")), (RapidMethod.GOLD, _("胶体金试纸卡"))],
        initial=RapidMethod.ENZYME,
        widget=forms.RadioSelect,
        required=False,
    )
    pesticide = forms.ModelChoiceField(
        label=_("胶体金检测项目"), queryset=Pesticide.objects.order_by("name"), required=False
    )
    card = forms.ChoiceField(
        label=_("试纸卡判读"), choices=CARD_CHOICES, widget=forms.RadioSelect, required=False
    )
    follow_up_of = forms.IntegerField(required=False, widget=forms.HiddenInput)

    commodity = CommodityField(label=_("抽检品种"), max_length=50)
    village = forms.ModelChoiceField(label=_("所在村"), queryset=None, empty_label=None)
    producer = forms.ModelChoiceField(
        label=_("生产经营主体"), queryset=None, required=False, empty_label=_("（市场摊位，不选）")
    )
    stall = forms.CharField(label=_("或：市场摊位"), max_length=100, required=False)
    certificate_shown = forms.TypedChoiceField(
        label=_("出具承诺达标合格证"),
        choices=[("1", _("有")), ("0", _("没有"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    level = forms.ChoiceField(label=_("抽检级别"), choices=SampleLevel.choices, initial=SampleLevel.STREET)
    task = forms.ModelChoiceField(
        label=_("计入抽检任务"),
        queryset=None,
        required=False,
        empty_label=_("（不计入任务）"),
        widget=TaskSelect,
    )
    # "1" while the task is still the page's default: a default that does not fit the sample is dropped quietly
    # instead of refusing the sample; a task the user picked himself is checked and refused with the reason.
    task_auto = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = ["commodity", "village", "producer", "stall", "certificate_shown", "level", "task"]

    def __init__(self, *args, villages, producers, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["producer"].queryset = producers
        self.fields["task"].queryset = tasks if tasks is not None else SamplingTask.objects.none()
        if villages.count() == 1:
            self.fields["village"].initial = villages.first()
        # Which reading is required depends on the method: ΔA0/ΔAt for the enzyme, pesticide and card for gold.
        self.fields["delta_a0"].required = False
        self.fields["delta_at"].required = False

    def clean(self):
        data = super().clean()
        data["method"] = data.get("method") or RapidMethod.ENZYME
        if data["method"] == RapidMethod.GOLD:
            if not data.get("pesticide"):
                self.add_error("pesticide", _("请选择试纸卡的检测项目"))
            if not data.get("card"):
                self.add_error("card", _("请判读试纸卡结果"))
        else:
            for name in ("delta_a0", "delta_at"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("请填写该读数"))
        return data
