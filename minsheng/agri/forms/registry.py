"""Producers, stores, store inspections and lab results. Forms only shape and check input; every change goes through agri.actions."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import (
    STORE_CHECKLIST,
    CheckResult,
    ProducerKind,
)
from ..models import Commodity, Pesticide
from .common import DECIMAL_ATTRS, PhotosField

# -- registries, inspections, lab results -------------------------------------------------------------------------


class ProducerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("名称或拼音")})
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("", _("全部类型")), *ProducerKind.choices], required=False
    )
    village = forms.ModelChoiceField(label=_("村"), queryset=None, required=False, empty_label=_("全部村"))

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class StoreFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("名称或许可证号")})
    )
    village = forms.ModelChoiceField(label=_("村"), queryset=None, required=False, empty_label=_("全部村"))
    designated = forms.ChoiceField(
        label=_("限用农药定点"),
        choices=[("", _("全部")), ("1", _("定点门店")), ("0", _("非定点"))],
        required=False,
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class ProducerForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=ProducerKind.choices)
    village = forms.ModelChoiceField(label=_("所在村"), queryset=None, empty_label=_("请选择"))
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    subject_code = forms.CharField(label=_("主体码"), max_length=40, required=False)
    area_mu = forms.DecimalField(
        label=_("面积(亩)"), min_value=Decimal(0), max_digits=10, decimal_places=2, required=False
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    crops = forms.ModelMultipleChoiceField(
        label=_("种植品种"),
        queryset=Commodity.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        # Crops are the leaves a grower plants (豇豆, 韭菜 …), not the groups of the classification.
        self.fields["crops"].queryset = Commodity.objects.filter(children__isnull=True).order_by("pk")


class StoreForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    village = forms.ModelChoiceField(label=_("所在村"), queryset=None, empty_label=_("请选择"))
    licence_no = forms.CharField(label=_("农药经营许可证号"), max_length=50, required=False)
    designated_outlet = forms.BooleanField(label=_("限用农药定点经营"), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class InspectionForm(forms.Form):
    """The phone checklist: for every item 符合/不符合/不适用, a note (required on 不符合) and photos."""

    note = forms.CharField(
        label=_("总体情况"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = PhotosField(label=_("现场照片"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = []
        for code, question in STORE_CHECKLIST:
            self.fields[f"item_{code}"] = forms.ChoiceField(
                label=question, choices=CheckResult.choices, widget=forms.RadioSelect
            )
            self.fields[f"note_{code}"] = forms.CharField(label=_("问题说明"), max_length=200, required=False)
            self.fields[f"photo_{code}"] = PhotosField(label=_("拍照"))
            self.items.append((code, self[f"item_{code}"], self[f"note_{code}"], self[f"photo_{code}"]))

    def clean(self):
        data = super().clean()
        for code, _question in STORE_CHECKLIST:
            if data.get(f"item_{code}") == CheckResult.NO and not data.get(f"note_{code}", "").strip():
                self.add_error(f"note_{code}", _("不符合的检查项须说明问题"))
        return data

    def answers(self):
        return {code: self.cleaned_data[f"item_{code}"] for code, _q in STORE_CHECKLIST}

    def notes(self):
        return {code: self.cleaned_data[f"note_{code}"].strip() for code, _q in STORE_CHECKLIST}

    def uploaded(self, files):
        """[(code, file), …] from the request's files: "" for the photos of the whole visit."""
        photos = [("", f) for f in files.getlist("photos") if f]
        for code, _q in STORE_CHECKLIST:
            photos += [(code, f) for f in files.getlist(f"photo_{code}") if f]
        return photos


class LabResultForm(forms.Form):
    pesticide = forms.ModelChoiceField(
        label=_("农药"),
        queryset=Pesticide.objects.order_by("name"),
        required=False,
        empty_label=_("选择农药"),
    )
    mg_per_kg = forms.DecimalField(
        label=_("检出值(mg/kg)"),
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=4,
        required=False,
        widget=forms.NumberInput(attrs=DECIMAL_ATTRS),
    )

    def clean(self):
        data = super().clean()
        if data.get("pesticide") and data.get("mg_per_kg") is None:
            self.add_error("mg_per_kg", _("请填写检出值（未检出填 0）"))
        if data.get("mg_per_kg") is not None and not data.get("pesticide"):
            self.add_error("pesticide", _("请选择农药"))
        return data


LabResultFormSet = forms.formset_factory(LabResultForm, extra=4, max_num=20)
