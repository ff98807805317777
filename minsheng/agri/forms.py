"""Forms of the agriculture pages. They only shape and check input; every change goes through agri.actions."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import CertificateBasis, CertificateStyle, SampleLevel, SampleStatus
from .models import Commodity

DECIMAL_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "step": "0.0001", "min": "0"}


def add_action_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show an action's ValidationError on the form: on the field it names when the form has one, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class CommodityField(forms.CharField):
    """A commodity typed by name or alias (豆角 → 豇豆)."""

    def clean(self, value):
        value = super().clean(value)
        commodity = Commodity.objects.resolve(value)
        if commodity is None:
            raise ValidationError(_("没有找到“%(name)s”，请从提示中选择品种"), params={"name": value})
        return commodity


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


class FieldTestForm(ReadingsForm):
    """The field page: what was sampled, from whom, where — then the first reading."""

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

    field_order = ["commodity", "village", "producer", "stall", "certificate_shown", "level"]

    def __init__(self, *args, villages, producers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["producer"].queryset = producers
        if villages.count() == 1:
            self.fields["village"].initial = villages.first()


class SampleFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("级别"), choices=[("", _("全部级别")), *SampleLevel.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("结果"), choices=[("", _("全部结果")), *SampleStatus.choices], required=False
    )
    village = forms.ModelChoiceField(label=_("村"), queryset=None, required=False, empty_label=_("全部村"))
    start = forms.DateField(label=_("起"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("止"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class CertificateForm(forms.Form):
    producer = forms.ModelChoiceField(label=_("开具主体"), queryset=None)
    commodity = CommodityField(label=_("品种"), max_length=50)
    product_name = forms.CharField(label=_("农产品名称"), max_length=100, required=False)
    style = forms.ChoiceField(label=_("样式"), choices=CertificateStyle.choices)
    basis = forms.ChoiceField(label=_("承诺依据"), choices=CertificateBasis.choices)
    quantity = forms.DecimalField(label=_("数量"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    unit = forms.CharField(label=_("单位"), max_length=10, initial="kg")
    origin = forms.CharField(label=_("产地"), max_length=200)
    contact_phone = forms.CharField(label=_("联系方式"), max_length=20)
    upstream_numbers = forms.CharField(label=_("上游合格证编号"), max_length=500, required=False)
    count = forms.IntegerField(label=_("开具张数"), min_value=1, max_value=500, initial=1)

    def __init__(self, *args, producers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("作废原因"), max_length=200)
