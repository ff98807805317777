"""Forms of the staff pages and the residents' H5 pages. They validate shapes; the actions validate meaning, and
`core.forms.apply_action_errors` shows an action's ValidationError on the form's fields in Chinese."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.cases.models import Category

from .choices import (
    ContactMethod,
    Frequency,
    HolidayPolicy,
    ItemKind,
    ParticipantRole,
    VisitOutcome,
    VoteMatter,
)
from .models import MeetingKind

DATETIME = {"type": "datetime-local"}


def category_choices():
    """The leaf categories grouped by their top level (a select with optgroups); blank files under 其他."""
    leaves = Category.objects.filter(depth=3, is_active=True).order_by("path")
    tops = {c.path: c.name for c in Category.objects.filter(depth=1)}
    groups: dict[str, list] = {}
    for leaf in leaves:
        groups.setdefault(tops.get(leaf.path[:4], ""), []).append((leaf.pk, leaf.name))
    return [("", _("不选（归入“其他”）")), *groups.items()]


class CategoryField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, required=False, label=_("分类"), **kwargs)

    def clean(self, value):
        pk = super().clean(value)
        return Category.objects.filter(pk=pk).first() if pk else None


class ItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=ItemKind.choices, initial=ItemKind.PROBLEM, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    raised_by = forms.CharField(label=_("提出人"), max_length=50, required=False)
    category = CategoryField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class TopicForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=100)
    description = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProposeForm(TopicForm):
    name = forms.CharField(label=_("您的称呼"), max_length=50, required=False)


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("身份"), choices=ParticipantRole.choices)
    organisation = forms.CharField(label=_("单位"), max_length=100, required=False)


class TallyForm(forms.Form):
    """One number per role: people counted but not signed in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in ParticipantRole.choices:
            self.fields[value] = forms.IntegerField(
                label=label, min_value=0, max_value=100000, required=False
            )


class VoteForm(forms.Form):
    subject = forms.CharField(label=_("表决事项"), max_length=200)
    matter = forms.ChoiceField(label=_("事项类别"), choices=VoteMatter.choices)
    total_area = forms.DecimalField(
        label=_("专有部分总面积（㎡）"), min_value=0, max_digits=12, decimal_places=2
    )
    total_owners = forms.IntegerField(label=_("业主总人数"), min_value=0, max_value=10_000_000)
    participating_area = forms.DecimalField(
        label=_("参与表决面积（㎡）"), min_value=0, max_digits=12, decimal_places=2
    )
    participating_owners = forms.IntegerField(label=_("参与表决人数"), min_value=0, max_value=10_000_000)
    yes_area = forms.DecimalField(label=_("同意面积（㎡）"), min_value=0, max_digits=12, decimal_places=2)
    yes_owners = forms.IntegerField(label=_("同意人数"), min_value=0, max_value=10_000_000)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("会议纪要"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class MeetingForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("会议类型"), queryset=MeetingKind.objects.filter(is_active=True))
    node = forms.TypedChoiceField(label=_("社区/小区"), coerce=int)
    title = forms.CharField(label=_("会议名称"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=100)
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )

    def __init__(self, *args, nodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.nodes = {n.pk: n for n in nodes}
        self.fields["node"].choices = [(n.pk, n.full_name or n.name) for n in nodes]


class SeriesForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("会议类型"), queryset=MeetingKind.objects.filter(is_active=True))
    node = forms.TypedChoiceField(label=_("社区/小区"), coerce=int)
    title = forms.CharField(label=_("名称"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=100)
    frequency = forms.ChoiceField(label=_("周期"), choices=Frequency.choices)
    weekday = forms.TypedChoiceField(
        label=_("星期"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", "—"),
            (0, _("周一")),
            (1, _("周二")),
            (2, _("周三")),
            (3, _("周四")),
            (4, _("周五")),
            (5, _("周六")),
            (6, _("周日")),
        ],
    )
    day_of_month = forms.IntegerField(label=_("每月几号"), min_value=1, max_value=31, required=False)
    start_time = forms.TimeField(
        label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("结束时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    holiday_policy = forms.ChoiceField(label=_("遇节假日"), choices=HolidayPolicy.choices)
    starts_on = forms.DateField(
        label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, nodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.nodes = {n.pk: n for n in nodes}
        self.fields["node"].choices = [(n.pk, n.full_name or n.name) for n in nodes]


class SeriesEditForm(SeriesForm):
    """The rule of an existing series: its kind, place in the tree and first day stay what they were."""

    ends_on = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("不填为长期举行"),
    )
    is_active = forms.BooleanField(label=_("继续举行"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "node", "starts_on"):
            del self.fields[name]


class VisitForm(forms.Form):
    outcome = forms.ChoiceField(label=_("走访结果"), choices=VisitOutcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(
        label=_("走访情况"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problem = forms.CharField(
        label=_("反映的问题（立案跟踪）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    category = CategoryField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class ContactForm(forms.Form):
    household = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(label=_("方式"), choices=ContactMethod.choices)
    note = forms.CharField(label=_("情况"), max_length=500, required=False)


class PlanForm(forms.Form):
    every_days = forms.IntegerField(label=_("联系周期（天）"), min_value=1, max_value=366)


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    node = forms.TypedChoiceField(label=_("范围"), coerce=int)
    starts_on = forms.DateField(
        label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    description = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, nodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.nodes = {n.pk: n for n in nodes}
        self.fields["node"].choices = [(n.pk, n.full_name or n.name) for n in nodes]
