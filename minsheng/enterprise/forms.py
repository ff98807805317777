"""The enterprise-services forms. Forms read and check input; the actions decide and change state."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap
from minsheng.cases.choices import Satisfaction, Urgency
from minsheng.cases.models import Unit
from minsheng.org.choices import NodeKind
from minsheng.org.forms.pickers import NodePickerField, UserPickerField

from .choices import (
    PIPELINE,
    DeliveryMethod,
    EventKind,
    Milestone,
    NeedKind,
    PolicyMode,
    SigningKind,
    SizeClass,
)
from .models import Bank, Enterprise, EnterpriseTag, Industry, Policy
from .validators import validate_uscc

PLACES = [NodeKind.COMMUNITY, NodeKind.VILLAGE]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # a date input takes ISO dates only
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("名称/拼音/信用代码"), required=False)
    industry = forms.ModelChoiceField(
        Industry.objects.all(), label=_("行业"), required=False, empty_label=_("全部")
    )
    size = forms.ChoiceField(label=_("规模"), required=False, choices=[("", _("全部")), *SizeClass.choices])
    tag = forms.ModelChoiceField(
        EnterpriseTag.objects.all(), label=_("标签"), required=False, empty_label=_("全部")
    )


class EnterpriseForm(forms.Form):
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=30, help_text=_("18位，系统按 GB 32100 校验")
    )
    name = forms.CharField(label=_("企业名称"), max_length=100)
    industry = forms.ModelChoiceField(Industry.objects.all(), label=_("行业门类（GB/T 4754）"))
    size = forms.ChoiceField(label=_("企业规模"), choices=SizeClass.choices)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    legal_rep = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=DATE)
    employees = forms.IntegerField(label=_("从业人数"), required=False, min_value=0)
    tags = forms.ModelMultipleChoiceField(
        EnterpriseTag.objects.all(), label=_("标签"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = NodePickerField(
            user=user, kinds=PLACES, capability=Cap.ENTERPRISE_MANAGE, label=_("所在社区/村")
        )
        self.fields["cadre"] = UserPickerField(user=user, label=_("包靠干部"), required=False)
        self.order_fields(["credit_code", "name", "industry", "size", "node", "address", "cadre"])

    def clean_credit_code(self):
        from django.core.exceptions import ValidationError

        try:
            return validate_uscc(self.cleaned_data["credit_code"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class ContactForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    position = forms.CharField(label=_("职务"), max_length=50, required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20)
    is_primary = forms.BooleanField(label=_("主要联系人"), required=False)
    h5_enabled = forms.BooleanField(label=_("可登录企业服务页"), required=False, initial=True)


class LeadForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=100)
    investor = forms.CharField(label=_("投资方"), max_length=100)
    industry = forms.ModelChoiceField(Industry.objects.all(), label=_("行业门类"))
    planned_amount = forms.DecimalField(label=_("计划投资（万元）"), **MONEY)
    source_note = forms.CharField(
        label=_("线索来源"), max_length=200, required=False, help_text=_("如：亲友介绍、展会、赴外招商")
    )
    description = forms.CharField(
        label=_("项目简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = NodePickerField(user=user, label=_("拟落地区域"))
        self.order_fields(["name", "investor", "industry", "node", "planned_amount"])


class AdvanceForm(forms.Form):
    to = forms.ChoiceField(label=_("推进到"), choices=[(s.value, s.label) for s in PIPELINE])
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class LoseForm(forms.Form):
    reason = forms.CharField(label=_("流失原因"), max_length=200)


class SigningForm(forms.Form):
    kind = forms.ChoiceField(label=_("签约类型"), choices=SigningKind.choices)
    amount = forms.DecimalField(
        label=_("金额（万元）"), help_text=_("增资填增加部分；升格填升格后的总额"), **MONEY
    )
    signed_on = forms.DateField(label=_("签约日期"), widget=DATE)
    investor = forms.CharField(label=_("新投资方"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class MilestoneForm(forms.Form):
    milestone = forms.ChoiceField(label=_("节点"), choices=Milestone.choices)
    on = forms.DateField(label=_("日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class FundsForm(forms.Form):
    amount = forms.DecimalField(label=_("到位金额（万元）"), **MONEY)
    on = forms.DateField(label=_("到位日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class SuperviseForm(forms.Form):
    comment = forms.CharField(label=_("督办意见"), max_length=500)


class TripForm(forms.Form):
    destination = forms.CharField(label=_("目的地"), max_length=100)
    start = forms.DateField(label=_("出发日期"), widget=DATE)
    end = forms.DateField(label=_("返回日期"), widget=DATE)
    leader = forms.CharField(label=_("带队领导"), max_length=50, required=False)
    visited = forms.CharField(
        label=_("拜访企业/机构"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(label=_("成果"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    units = forms.ModelMultipleChoiceField(
        Unit.objects.filter(is_active=True),
        label=_("参与部门"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    on_site_office = forms.BooleanField(label=_("现场办公"), required=False)
    findings = forms.CharField(label=_("走访情况"), widget=forms.Textarea(attrs={"rows": 3}))


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("问题"), max_length=60)
    description = forms.CharField(
        label=_("详细情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.ModelChoiceField(None, label=_("分类"), empty_label=None)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices)
    unit = forms.ModelChoiceField(
        Unit.objects.filter(is_active=True),
        label=_("现场交办部门"),
        required=False,
        help_text=_("随组走访的部门当场领办；不选则交诉求受理台派遣"),
    )

    def __init__(self, *args, **kwargs):
        from .actions.ledger import enterprise_categories

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = enterprise_categories()


class ConfirmForm(forms.Form):
    solved = forms.TypedChoiceField(
        label=_("企业意见"),
        coerce=lambda v: v == "1",
        choices=[("1", _("已解决，同意销号")), ("0", _("未解决，退回重办"))],
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("满意度"),
        required=False,
        choices=[(Satisfaction.SATISFIED, _("满意")), (Satisfaction.BASIC, _("基本满意"))],
    )
    note = forms.CharField(label=_("企业确认意见"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(
        label=_("确认凭证"), required=False, help_text=_("签字确认单照片或 PDF；代企业记录时必传")
    )


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    summary = forms.CharField(label=_("企业现状"), widget=forms.Textarea(attrs={"rows": 3}))
    need_kinds = forms.MultipleChoiceField(
        label=_("需求类型"), choices=NeedKind.choices, widget=forms.CheckboxSelectMultiple
    )
    need_text = forms.CharField(label=_("需求描述"), widget=forms.Textarea(attrs={"rows": 2}))


class PlanActionForm(forms.Form):
    title = forms.CharField(label=_("帮扶措施"), max_length=200)
    due = forms.DateField(label=_("完成时限"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = UserPickerField(user=user, label=_("责任人"))


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100)
    note = forms.CharField(label=_("进展"), max_length=500, required=False)


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审议结论"),
        coerce=lambda v: v == "1",
        choices=[("1", _("通过")), ("0", _("退回修改"))],
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(label=_("委员会意见"), widget=forms.Textarea(attrs={"rows": 2}))


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=EventKind.choices)
    title = forms.CharField(label=_("主题"), max_length=100)
    held_on = forms.DateField(label=_("日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    summary = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    enterprises = forms.ModelMultipleChoiceField(None, label=_("参加企业"), required=False)
    banks = forms.ModelMultipleChoiceField(Bank.objects.all(), label=_("参加金融机构"), required=False)
    policies = forms.ModelMultipleChoiceField(Policy.objects.all(), label=_("宣讲政策"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = Enterprise.objects.visible_to(user)
        self.fields["enterprises"].widget.attrs["size"] = 8
        self.fields["node"] = NodePickerField(
            user=user, capability=Cap.ENTERPRISE_MANAGE, label=_("举办单位")
        )


class OutcomeForm(forms.Form):
    enterprise = forms.ModelChoiceField(None, label=_("企业"))
    bank = forms.ModelChoiceField(None, label=_("金融机构"))
    intent_amount = forms.DecimalField(label=_("意向（万元）"), required=False, **MONEY)
    credit_amount = forms.DecimalField(label=_("授信（万元）"), required=False, **MONEY)
    loan_amount = forms.DecimalField(label=_("放款（万元）"), required=False, **MONEY)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = event.enterprises.all()
        self.fields["bank"].queryset = event.banks.all()


class PolicyForm(forms.Form):
    title = forms.CharField(label=_("政策名称"), max_length=150)
    issuer = forms.CharField(label=_("发文机关"), max_length=100)
    doc_number = forms.CharField(label=_("文号"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("发布日期"), widget=DATE)
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=DATE)
    mode = forms.ChoiceField(label=_("兑现方式"), choices=PolicyMode.choices)
    summary = forms.CharField(label=_("要点"), widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.ModelMultipleChoiceField(
        EnterpriseTag.objects.all(), label=_("适用标签"), required=False, widget=forms.CheckboxSelectMultiple
    )
    industries = forms.ModelMultipleChoiceField(Industry.objects.all(), label=_("适用行业"), required=False)
    sizes = forms.MultipleChoiceField(
        label=_("适用规模"), choices=SizeClass.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("送达日期"), widget=DATE)
    method = forms.ChoiceField(label=_("方式"), choices=DeliveryMethod.choices)
    note = forms.CharField(label=_("企业反馈"), max_length=200, required=False)


# -- the enterprise H5 ------------------------------------------------------------------------------------------


class H5PhoneForm(forms.Form):
    phone = forms.RegexField(
        label=_("手机号"),
        regex=r"^1[3-9]\d{9}$",
        error_messages={"invalid": _("请输入11位手机号"), "required": _("请输入手机号")},
    )


class H5CodeForm(H5PhoneForm):
    code = forms.RegexField(
        label=_("短信验证码"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("验证码为6位数字"), "required": _("请输入验证码")},
    )


class H5ProblemForm(forms.Form):
    title = forms.CharField(
        label=_("问题"), max_length=60, error_messages={"required": _("请用一句话说明问题")}
    )
    description = forms.CharField(
        label=_("详细情况"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写详细情况")},
    )


class H5ConfirmForm(forms.Form):
    solved = forms.TypedChoiceField(
        label=_("您的意见"),
        coerce=lambda v: v == "1",
        choices=[("1", _("已解决")), ("0", _("未解决"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择")},
    )
    satisfaction = forms.ChoiceField(
        label=_("满意度"),
        required=False,
        choices=[(Satisfaction.SATISFIED, _("满意")), (Satisfaction.BASIC, _("基本满意"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("solved") is False and not (data.get("note") or "").strip():
            self.add_error("note", _("请说明还有哪些没有解决"))
        return data


class FilterLedgerForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[])
    q = forms.CharField(label=_("企业/问题"), required=False)

    def __init__(self, *args, **kwargs):
        from .choices import LedgerState

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("全部")), *LedgerState.choices]
