"""Forms of the agriculture pages. They only shape and check input; every change goes through agri.actions."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import (
    STORE_CHECKLIST,
    CertificateBasis,
    CertificateStatus,
    CertificateStyle,
    CheckResult,
    ProducerKind,
    RapidMethod,
    SampleLevel,
    SampleStatus,
)
from .models import Commodity, Pesticide, SamplingTask

DECIMAL_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "step": "0.0001", "min": "0"}


def add_action_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show an action's ValidationError on the form: on the field it names when the form has one, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class MultiplePhotoInput(forms.ClearableFileInput):
    """Several photos, straight from the phone's camera."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", **(attrs or {})})


class PhotosField(forms.FileField):
    """Zero or more photos; their bytes are checked by the inspection action, which refuses the whole visit on a
    bad one."""

    widget = MultiplePhotoInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        return [f for f in (data if isinstance(data, list | tuple) else [data]) if f]


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
