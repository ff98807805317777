"""Sample and certificate lists and the certificate forms. Forms only shape and check input; every change goes through agri.actions."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import (
    CertificateBasis,
    CertificateStatus,
    CertificateStyle,
    SampleLevel,
    SampleStatus,
)
from ..models import SamplingTask
from .common import CommodityField


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
    task = forms.ModelChoiceField(
        label=_("抽检任务"), queryset=None, required=False, empty_label=_("全部任务")
    )

    def __init__(self, *args, villages, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["task"].queryset = tasks if tasks is not None else SamplingTask.objects.none()


class CertificateFilterForm(forms.Form):
    q = forms.CharField(
        label=_("查找"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("编号、开具主体或产品")}),
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *CertificateStatus.choices], required=False
    )


class CertificateForm(forms.Form):
    producer = forms.ModelChoiceField(label=_("开具主体"), queryset=None, empty_label=_("请选择"))
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
