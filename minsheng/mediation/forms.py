"""Forms of the centre's pages. They only collect and type-check; the actions own the rules and their Chinese
messages go back onto the form (core.forms.apply_action_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap
from minsheng.cases.choices import Satisfaction
from minsheng.org.choices import NodeKind
from minsheng.org.forms.pickers import NodePickerField, UserPickerField
from minsheng.org.models import Resident

from .choices import (
    DisputeSource,
    DisputeType,
    NotSuccessful,
    OtherRoute,
    Partner,
    Performance,
    PetitionForm,
    PetitionKind,
    RiskGrade,
    Route,
)

PLACE_KINDS = [
    NodeKind.COMMUNITY,
    NodeKind.VILLAGE,
    NodeKind.ESTATE,
    NodeKind.NATURAL_VILLAGE,
    NodeKind.BUILDING,
    NodeKind.UNIT,
]
TEXT = {"rows": 3}


class Stacked(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ResidentRefField(forms.IntegerField):
    """A registry row chosen at the desk, passed along as its id (scoped by the view)."""

    widget = forms.HiddenInput


def resident_or_none(user, pk):
    if not pk:
        return None
    return Resident.objects.visible_to(user).filter(pk=pk).first()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("姓名 / 手机号 / 身份证号"), max_length=30, required=False)


class VisitForm(Stacked):
    resident = ResidentRefField(required=False)
    name = forms.CharField(label=_("来访人"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    visitors = forms.IntegerField(label=_("来访人数"), min_value=1, max_value=500, initial=1)
    matter = forms.CharField(
        label=_("反映事项"), widget=forms.Textarea(attrs=TEXT), max_length=2000, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = NodePickerField(user=user, kinds=PLACE_KINDS, label=_("住址"), required=False)
        self.order_fields(["resident", "name", "phone", "id_number", "node", "visitors", "matter"])


class RouteForm(Stacked):
    route = forms.ChoiceField(label=_("分流去向"), choices=Route.choices, widget=forms.RadioSelect)
    # dispute
    type = forms.ChoiceField(label=_("纠纷类型"), choices=[("", "—"), *DisputeType.choices], required=False)
    source = forms.ChoiceField(
        label=_("案件来源"), choices=DisputeSource.choices, initial="applied", required=False
    )
    respondent_name = forms.CharField(label=_("被申请人"), max_length=100, required=False)
    respondent_phone = forms.CharField(label=_("被申请人电话"), max_length=20, required=False)
    respondent_resident = ResidentRefField(required=False)
    amount = forms.DecimalField(
        label=_("争议金额（元）"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    people = forms.IntegerField(label=_("涉及人数"), min_value=1, max_value=10000, required=False)
    # petition
    petition_kind = forms.ChoiceField(
        label=_("信访类别"), choices=PetitionKind.choices, initial="claim", required=False
    )
    acknowledge_final = forms.BooleanField(label=_("已知悉该事项已终结，仍登记"), required=False)
    # referral
    partner = forms.ChoiceField(
        label=_("移交单位类别"), choices=[("", "—"), *Partner.choices], required=False
    )
    partner_name = forms.CharField(label=_("移交单位"), max_length=100, required=False)
    consent = forms.BooleanField(label=_("当事人同意移交"), required=False)
    # answered on the spot
    answer = forms.CharField(
        label=_("当场答复"), widget=forms.Textarea(attrs=TEXT), max_length=2000, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"] = UserPickerField(user=user, label=_("调解员"), required=False)


class DisputeForm(Stacked):
    type = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeType.choices)
    source = forms.ChoiceField(label=_("案件来源"), choices=DisputeSource.choices)
    facts = forms.CharField(
        label=_("纠纷简要情况"), widget=forms.Textarea(attrs=TEXT), max_length=4000, required=False
    )
    applicant_name = forms.CharField(label=_("申请人"), max_length=100, required=False)
    applicant_phone = forms.CharField(label=_("申请人电话"), max_length=20, required=False)
    applicant_id_number = forms.CharField(label=_("申请人身份证号"), max_length=18, required=False)
    respondent_name = forms.CharField(label=_("被申请人"), max_length=100, required=False)
    respondent_phone = forms.CharField(label=_("被申请人电话"), max_length=20, required=False)
    respondent_id_number = forms.CharField(label=_("被申请人身份证号"), max_length=18, required=False)
    people = forms.IntegerField(label=_("涉及人数"), min_value=1, max_value=10000, required=False)
    amount = forms.DecimalField(
        label=_("争议金额（元）"), min_value=0, max_digits=12, decimal_places=2, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = NodePickerField(user=user, kinds=PLACE_KINDS, label=_("纠纷发生地"))
        self.fields["mediator"] = UserPickerField(user=user, label=_("主调解员"), required=False)


class SessionForm(Stacked):
    attendees = forms.CharField(label=_("参加人员"), max_length=300, required=False)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    record = forms.CharField(
        label=_("调解记录"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000, required=False
    )


class ConsentMixin(Stacked):
    def __init__(self, *args, dispute, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consents"] = forms.MultipleChoiceField(
            label=_("同意协议的当事人"),
            choices=[(p.pk, f"{p.get_role_display()} {p.name}") for p in dispute.parties.all()],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )


class WrittenAgreementForm(ConsentMixin):
    disputed_points = forms.CharField(
        label=_("主要事实、争议事项及各方责任"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=4000,
        required=False,
    )
    agreed_terms = forms.CharField(
        label=_("协议内容"), widget=forms.Textarea(attrs=TEXT), max_length=4000, required=False
    )
    performance_method = forms.CharField(label=_("履行方式"), max_length=200, required=False)
    performance_by = forms.DateField(
        label=_("履行期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.DecimalField(
        label=_("协议涉及金额（元）"), min_value=0, max_digits=12, decimal_places=2, required=False
    )


class OralAgreementForm(ConsentMixin):
    record = forms.CharField(
        label=_("口头协议内容"), widget=forms.Textarea(attrs=TEXT), max_length=4000, required=False
    )
    amount = forms.DecimalField(
        label=_("协议涉及金额（元）"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    performance_by = forms.DateField(
        label=_("履行期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class FailForm(Stacked):
    reason = forms.CharField(
        label=_("调解不成的原因"), widget=forms.Textarea(attrs=TEXT), max_length=2000, required=False
    )
    routes = forms.MultipleChoiceField(
        label=_("已告知的其他途径"),
        choices=OtherRoute.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class RefuseForm(Stacked):
    note = forms.CharField(label=_("情况说明"), max_length=2000, required=False)

    def __init__(self, *args, dispute, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"] = forms.ModelChoiceField(
            label=_("拒绝调解的当事人"), queryset=dispute.parties.all()
        )
        self.order_fields(["party", "note"])


class ObjectionForm(Stacked):
    reason = forms.CharField(label=_("申请回避理由"), max_length=2000, required=False)

    def __init__(self, *args, dispute, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"] = forms.ModelChoiceField(label=_("提出人"), queryset=dispute.parties.all())
        self.fields["mediator"] = forms.ModelChoiceField(
            label=_("被申请回避的调解员"),
            queryset=dispute.mediators.filter(active=True).select_related("user"),
        )
        self.order_fields(["party", "mediator", "reason"])


class ObjectionDecisionForm(Stacked):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    uphold = forms.TypedChoiceField(
        label=_("决定"), choices=[("1", _("回避（更换调解员）")), ("0", _("驳回"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("决定理由"), max_length=2000, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"] = UserPickerField(user=user, label=_("更换为"), required=False)


class AssignForm(Stacked):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"] = UserPickerField(user=user, label=_("调解员"))


class SignedScanForm(Stacked):
    file = forms.FileField(label=_("签字盖章的协议书扫描件"))


class JudicialForm(Stacked):
    applied_on = forms.DateField(label=_("申请司法确认日期"), widget=forms.DateInput(attrs={"type": "date"}))


class PerformanceForm(Stacked):
    performance = forms.ChoiceField(label=_("履行情况"), choices=Performance.choices)
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices)
    note = forms.CharField(label=_("回访记录"), max_length=500, required=False)


class PetitionRegisterForm(Stacked):
    form = forms.ChoiceField(label=_("信访形式"), choices=PetitionForm.choices)
    kind = forms.ChoiceField(label=_("信访类别"), choices=PetitionKind.choices, initial="claim")
    petitioner = forms.CharField(label=_("信访人"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    people = forms.IntegerField(label=_("人数"), min_value=1, max_value=10000, initial=1)
    matter = forms.CharField(
        label=_("信访事项"), widget=forms.Textarea(attrs=TEXT), max_length=4000, required=False
    )
    acknowledge_final = forms.BooleanField(label=_("已知悉该事项已终结，仍登记"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = NodePickerField(user=user, kinds=PLACE_KINDS, label=_("事项发生地"))


class AcceptForm(Stacked):
    accept = forms.TypedChoiceField(
        label=_("是否受理"), choices=[("1", _("受理")), ("0", _("不予受理"))], coerce=lambda v: v == "1"
    )
    notice_text = forms.CharField(
        label=_("告知书内容"), widget=forms.Textarea(attrs=TEXT), max_length=4000, required=False
    )


class ReasonForm(Stacked):
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs=TEXT), max_length=4000, required=False
    )


class ReplyForm(Stacked):
    text = forms.CharField(
        label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000, required=False
    )


class ReceptionDayForm(Stacked):
    date = forms.DateField(label=_("接访日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    topic = forms.CharField(label=_("接访主题"), max_length=100, required=False)
    capacity = forms.IntegerField(label=_("可预约人数"), min_value=1, max_value=200, initial=10)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"] = UserPickerField(user=user, label=_("接访领导"))


class BookingForm(Stacked):
    name = forms.CharField(label=_("预约人"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    matter = forms.CharField(label=_("反映事项"), max_length=300, required=False)


class ReferralForm(Stacked):
    direction = forms.ChoiceField(label=_("方向"), choices=[("out", _("移出")), ("in", _("移入"))])
    partner = forms.ChoiceField(label=_("对接单位类别"), choices=Partner.choices)
    partner_name = forms.CharField(label=_("对接单位"), max_length=100, required=False)
    reason = forms.CharField(
        label=_("移交事由"), widget=forms.Textarea(attrs=TEXT), max_length=2000, required=False
    )
    consent = forms.BooleanField(label=_("当事人同意移交"), required=False)


class ReferralDoneForm(Stacked):
    successful = forms.TypedChoiceField(
        label=_("结果"), choices=[("1", _("成功")), ("0", _("未成功"))], coerce=lambda v: v == "1"
    )
    not_successful_reason = forms.ChoiceField(
        label=_("未成功原因"), choices=[("", "—"), *NotSuccessful.choices], required=False
    )
    note = forms.CharField(label=_("办理结果"), max_length=2000, required=False)


class WeeklyItemForm(Stacked):
    summary = forms.CharField(label=_("简要情况"), max_length=300, required=False)
    type = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeType.choices)
    risk = forms.ChoiceField(label=_("风险等级"), choices=RiskGrade.choices)
    people = forms.IntegerField(label=_("涉及人数"), min_value=1, max_value=10000, initial=2)


WeeklyItemFormSet = forms.formset_factory(WeeklyItemForm, extra=3, max_num=30)


class WeeklyForm(Stacked):
    week = forms.DateField(label=_("周次（任一天）"), widget=forms.DateInput(attrs={"type": "date"}))
    zero = forms.BooleanField(label=_("本周无矛盾纠纷（零报告）"), required=False)
    note = forms.CharField(label=_("说明"), max_length=2000, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = NodePickerField(
            user=user,
            kinds=[NodeKind.COMMUNITY, NodeKind.VILLAGE],
            capability=Cap.MEDIATION_REPORT,
            label=_("社区/村"),
        )
        self.order_fields(["node", "week", "zero", "note"])


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("开始"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
