"""Forms of the cluster's pages. They only parse; every rule lives in the actions (refusals come back as form
errors)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core import clock

from .choices import (
    PACKAGE_OFFERS,
    AgreementKind,
    Channel,
    Grade,
    OrgKind,
    Package,
    Platform,
    TrainingKind,
    Variety,
)


class DateInput(forms.DateInput):
    """The phone's date picker: it takes ISO dates only, whatever the locale's display format."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or "%Y-%m-%d")


class HarvestForm(forms.Form):
    orchard = forms.ModelChoiceField(queryset=None, label=_("果园"), empty_label=_("请选择果园"))
    harvested_on = forms.DateField(label=_("采收日期"), widget=DateInput)
    grade = forms.ChoiceField(label=_("等级"), choices=Grade.choices)
    yield_kg = forms.DecimalField(
        label=_("产量（千克）"),
        min_value=Decimal("0.1"),
        max_digits=12,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )

    def __init__(self, *args, orchards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orchard"].queryset = orchards
        self.fields["orchard"].label_from_instance = lambda o: f"{o.grower.name} · {o.name}（{o.area_mu}亩）"
        self.fields["harvested_on"].initial = clock.today()


class SaleForm(forms.Form):
    channel = forms.ChoiceField(label=_("销售渠道"), choices=Channel.choices)
    platform = forms.ChoiceField(
        label=_("平台"), choices=[("", _("（电商、直播时选择）")), *Platform.choices], required=False
    )
    volume_kg = forms.DecimalField(
        label=_("销量（千克）"),
        min_value=Decimal("0.1"),
        max_digits=12,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )
    price = forms.DecimalField(
        label=_("单价（元/千克）"),
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    sold_on = forms.DateField(label=_("销售日期"), widget=DateInput)
    buyer = forms.CharField(label=_("买方"), max_length=100, required=False)
    seller = forms.ModelChoiceField(
        queryset=None,
        label=_("带货达人"),
        required=False,
        empty_label="—",
        help_text=_("直播销售时选择卖货的达人（有直播记录的人）"),
    )

    def __init__(self, *args, sellers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sold_on"].initial = clock.today()
        if sellers is None:
            del self.fields["seller"]
        else:
            self.fields["seller"].queryset = sellers
            self.fields["seller"].label_from_instance = lambda g: f"{g.name}（{g.village.name}）"


class GrowerForm(forms.Form):
    name = forms.CharField(label=_("户主姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    village = forms.ModelChoiceField(queryset=None, label=_("所在村"), empty_label=_("请选择村"))
    orchard_name = forms.CharField(label=_("果园名称"), max_length=100, required=False)
    area_mu = forms.DecimalField(
        label=_("面积（亩）"), min_value=Decimal("0.01"), max_digits=8, decimal_places=2
    )
    variety = forms.ChoiceField(label=_("主栽品种"), choices=Variety.choices)
    planted_year = forms.IntegerField(label=_("栽植年份"), min_value=1950, max_value=2100)
    lat = forms.FloatField(
        label=_("果园纬度"),
        required=False,
        help_text=_("可选；村有边界时须在村界之内"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    lng = forms.FloatField(
        label=_("果园经度"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class SessionForm(forms.Form):
    seller = forms.ModelChoiceField(
        queryset=None, label=_("主播（参加过电商培训的种植户）"), empty_label=_("请选择")
    )
    platform = forms.ChoiceField(label=_("平台"), choices=Platform.choices)
    held_on = forms.DateField(label=_("直播日期"), widget=DateInput)
    products = forms.CharField(label=_("带货商品"), max_length=200)
    orders = forms.IntegerField(label=_("订单数"), min_value=0, max_value=10_000_000)
    sales_yuan = forms.DecimalField(
        label=_("销售额（元）"),
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )

    def __init__(self, *args, growers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seller"].queryset = growers
        self.fields["seller"].label_from_instance = lambda g: f"{g.name}（{g.village.name}）"
        self.fields["held_on"].initial = clock.today()


class AdoptionForm(forms.Form):
    orchard = forms.ModelChoiceField(queryset=None, label=_("果园"), empty_label=_("请选择果园"))
    technique = forms.ModelChoiceField(queryset=None, label=_("技术/设施"), empty_label=_("请选择"))
    adopted_on = forms.DateField(label=_("采用日期"), widget=DateInput)

    def __init__(self, *args, orchards=None, techniques=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orchard"].queryset = orchards
        self.fields["orchard"].label_from_instance = lambda o: f"{o.grower.name} · {o.name}"
        self.fields["technique"].queryset = techniques
        self.fields["adopted_on"].initial = clock.today()


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or "%Y-%m-%dT%H:%M")


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=TrainingKind.choices)
    title = forms.CharField(label=_("培训名称"), max_length=120)
    village = forms.ModelChoiceField(queryset=None, label=_("举办村"), empty_label=_("请选择村"))
    start = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput, input_formats=["%Y-%m-%dT%H:%M"])
    end = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput, input_formats=["%Y-%m-%dT%H:%M"])
    technique = forms.ModelChoiceField(queryset=None, label=_("培训技术"), required=False)
    institution = forms.CharField(label=_("专家单位"), max_length=60, required=False)
    expert = forms.CharField(label=_("授课专家"), max_length=50, required=False)
    centre = forms.ModelChoiceField(queryset=None, label=_("孵化中心（电商培训）"), required=False)
    package = forms.ChoiceField(label=_("套餐"), choices=[("", "—"), *Package.choices], required=False)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=100_000, required=False)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)

    def __init__(self, *args, villages=None, techniques=None, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["technique"].queryset = techniques
        self.fields["centre"].queryset = centres


class OrganisationForm(forms.Form):
    """A cooperative or family farm and its members (growers the editor may keep records for)."""

    kind = forms.ChoiceField(label=_("类型"), choices=OrgKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    village = forms.ModelChoiceField(queryset=None, label=_("所在村"), empty_label=_("请选择村"))
    leader = forms.CharField(label=_("负责人"), max_length=50, required=False)
    members = forms.ModelMultipleChoiceField(
        queryset=None, label=_("成员"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, villages=None, growers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["members"].queryset = growers
        self.fields["members"].label_from_instance = lambda g: f"{g.name}（{g.village.name}）"


class AgreementForm(forms.Form):
    """带动: a 龙头企业 with a cooperative/family farm or a grower — purchase (volume) or service."""

    enterprise = forms.TypedChoiceField(label=_("龙头企业"), coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("协议类型"), choices=AgreementKind.choices)
    organisation = forms.ModelChoiceField(
        queryset=None,
        label=_("带动的合作社/家庭农场"),
        required=False,
        empty_label="—",
        help_text=_("与下方的种植户二选一"),
    )
    grower = forms.ModelChoiceField(queryset=None, label=_("或带动的种植户"), required=False, empty_label="—")
    subject = forms.CharField(label=_("内容"), max_length=200, help_text=_("收购什么、提供什么服务"))
    volume_kg = forms.DecimalField(
        label=_("约定数量（千克）"),
        required=False,
        max_digits=12,
        decimal_places=1,
        help_text=_("收购协议必填"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )
    amount_yuan = forms.DecimalField(
        label=_("金额（元）"),
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    signed_on = forms.DateField(label=_("签订日期"), widget=DateInput)

    def __init__(self, *args, enterprises=(), organisations=None, growers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [
            ("", _("请选择龙头企业")),
            *[(e.pk, e.name) for e in enterprises],
        ]
        self.fields["organisation"].queryset = organisations
        self.fields["grower"].queryset = growers
        self.fields["grower"].label_from_instance = lambda g: f"{g.name}（{g.village.name}）"
        self.fields["signed_on"].initial = clock.today()


class CentreForm(forms.Form):
    """An incubation centre: its venue (an activities venue of the village, or a new one) and its packages."""

    name = forms.CharField(label=_("名称"), max_length=100)
    village = forms.ModelChoiceField(queryset=None, label=_("所在村"), empty_label=_("请选择村"))
    venue = forms.ModelChoiceField(
        queryset=None,
        label=_("场地"),
        required=False,
        empty_label=_("新建场地（以中心名称命名）"),
        help_text=_("已在活动场地中登记的直播基地可直接选择"),
    )
    address = forms.CharField(label=_("地址（新建场地时）"), max_length=200, required=False)
    packages = forms.MultipleChoiceField(
        label=_("服务套餐"), choices=Package.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, villages=None, venues=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues
        self.fields["venue"].label_from_instance = lambda v: f"{v.name}（{v.node.name}）"
        self.fields["packages"].choices = [(p.value, f"{p.label}：{PACKAGE_OFFERS[p]}") for p in Package]
        if editing:
            del self.fields["village"]
            del self.fields["address"]
            self.fields["venue"].empty_label = _("不变")
        else:
            self.fields["village"].queryset = villages
