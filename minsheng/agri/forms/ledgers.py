"""Forms of the ledger, campaign, task and duty pages. They shape input; changes go through agri.actions.ledgers."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..choices import LetterLevel, SampleLevel, TaskKind
from ..metrics import DEFAULT_WEEKLY_QUOTA
from ..models import Commodity, Pesticide

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name or obj.username


class NodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.name


class LetterForm(forms.Form):
    level = forms.ChoiceField(label=_("层级"), choices=LetterLevel.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE)
    village = NodeChoiceField(
        label=_("村"),
        queryset=None,
        required=False,
        empty_label=_("请选择"),
        help_text=_("村级、监管员级填写"),
    )
    supervisor = UserChoiceField(label=_("监管员"), queryset=None, required=False, empty_label=_("不选"))
    producer = forms.ModelChoiceField(
        label=_("生产经营主体"), queryset=None, required=False, empty_label=_("不选")
    )
    party_a = forms.CharField(label=_("甲方签字人"), max_length=100)
    party_b = forms.CharField(label=_("乙方签字人"), max_length=100)
    scan = forms.FileField(
        label=_("扫描件"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text=_("PDF、JPG 或 PNG，不超过 10 MB"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, villages, supervisors, producers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["supervisor"].queryset = supervisors
        self.fields["producer"].queryset = producers


class LetterFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    level = forms.ChoiceField(
        label=_("层级"), choices=[("", _("全部"))] + LetterLevel.choices, required=False
    )


class PublicityForm(forms.Form):
    given_on = forms.DateField(label=_("发放日期"), widget=DATE)
    village = NodeChoiceField(label=_("村"), queryset=None, empty_label=_("请选择"))
    place = forms.CharField(label=_("发放地点"), max_length=100, required=False)
    material = forms.CharField(label=_("宣传资料"), max_length=100)
    quantity = forms.IntegerField(label=_("数量(份)"), min_value=1, max_value=10_000_000)
    recipients = forms.CharField(label=_("发放对象"), max_length=200, required=False)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class WasteForm(forms.Form):
    recovered_on = forms.DateField(label=_("回收日期"), widget=DATE)
    store = forms.ModelChoiceField(label=_("回收门店"), queryset=None, required=False, empty_label=_("不选"))
    village = NodeChoiceField(
        label=_("村"), queryset=None, required=False, empty_label=_("不选"), help_text=_("选择门店时可不填")
    )
    kg = forms.DecimalField(label=_("重量(kg)"), min_value=0.01, max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, villages, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["store"].queryset = stores


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), required=False, widget=DATE)
    end = forms.DateField(label=_("结束日期"), required=False, widget=DATE)


class WasteFilterForm(PeriodForm):
    village = NodeChoiceField(label=_("村"), queryset=None, required=False, empty_label=_("全部村"))

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, initial="治违禁 控药残 促提升")
    start = forms.DateField(label=_("开始日期"), widget=DATE)
    end = forms.DateField(label=_("结束日期"), widget=DATE)
    basis = forms.CharField(label=_("文件依据"), max_length=300, required=False)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProductForm(forms.Form):
    commodity = forms.ModelChoiceField(
        label=_("重点品种"), queryset=Commodity.objects.order_by("pk"), empty_label=_("请选择")
    )
    pesticides = forms.ModelMultipleChoiceField(
        label=_("高风险农药"),
        queryset=Pesticide.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("按专项行动文件填写；按住 Ctrl 多选"),
    )
    source = forms.CharField(label=_("依据"), max_length=300, required=False)


class TaskForm(forms.Form):
    name = forms.CharField(label=_("任务名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=TaskKind.choices)
    level = forms.ChoiceField(label=_("抽检级别"), choices=SampleLevel.choices, initial=SampleLevel.STREET)
    node = NodeChoiceField(label=_("负责单位"), queryset=None, empty_label=_("请选择"))
    campaign = forms.ModelChoiceField(label=_("专项行动"), queryset=None, required=False, empty_label=_("无"))
    commodity = forms.ModelChoiceField(
        label=_("抽检品种（含下级）"),
        queryset=Commodity.objects.order_by("pk"),
        required=False,
        empty_label=_("全部品种"),
    )
    start = forms.DateField(label=_("开始日期"), widget=DATE)
    end = forms.DateField(label=_("结束日期"), widget=DATE)
    weekly_quota = forms.IntegerField(label=_("每周最少批次"), min_value=1, required=False)
    target = forms.IntegerField(label=_("任务总批次"), min_value=1, required=False)

    def __init__(self, *args, nodes, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["campaign"].queryset = campaigns
        self.fields["weekly_quota"].initial = getattr(
            settings, "AGRI_WEEKLY_VEGETABLE_QUOTA", DEFAULT_WEEKLY_QUOTA
        )
        self.fields["commodity"].initial = Commodity.objects.filter(name="蔬菜").first()


class DutyForm(forms.Form):
    day = forms.DateField(label=_("值班日期"), widget=DATE)
    node = NodeChoiceField(label=_("单位"), queryset=None, empty_label=_("请选择"))
    person = UserChoiceField(label=_("值班人员"), queryset=None, empty_label=_("请选择"))
    leader = forms.BooleanField(label=_("带班领导"), required=False)
    phone = forms.CharField(
        label=_("值班电话"), max_length=20, required=False, help_text=_("留空时用账号手机号")
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, nodes, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["person"].queryset = people
