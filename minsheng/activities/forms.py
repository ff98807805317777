"""Forms of the staff pages and the residents' H5. They validate shapes; the actions decide what is allowed, and
their errors are put back on the form's fields (core.forms.apply_action_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core import clock

from .choices import Grade, IdType, OrganiserKind, TeamKind, UnitKind, VenueKind
from .models import EventKind, Venue


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EventForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=120)
    kind = forms.ModelChoiceField(label=_("类型"), queryset=EventKind.objects.filter(is_active=True))
    node = forms.ModelChoiceField(label=_("所属社区/村"), queryset=None)
    venue = forms.ModelChoiceField(label=_("场地"), queryset=None, required=False)
    place = forms.CharField(label=_("地点（无登记场地时）"), max_length=200, required=False)
    start = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    end = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    capacity = forms.IntegerField(label=_("名额"), min_value=1, required=False, help_text=_("留空表示不限"))
    audience = forms.CharField(label=_("面向人群"), max_length=100, required=False)
    organiser_kind = forms.ChoiceField(
        label=_("主办方类型"),
        choices=[c for c in OrganiserKind.choices if c[0] != OrganiserKind.HOST],
        initial=OrganiserKind.COMMUNITY,
    )
    organiser_name = forms.CharField(
        label=_("主办方"), max_length=100, required=False, help_text=_("留空则为所属社区")
    )
    public = forms.BooleanField(label=_("居民可在手机上报名"), required=False, initial=True)
    open_air = forms.BooleanField(label=_("露天活动（另行登记现场估算人数）"), required=False)
    description = forms.CharField(
        label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, nodes, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["venue"].queryset = venues

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("结束时间不能早于开始时间"))
        return data


class CloseForm(forms.Form):
    summary = forms.CharField(label=_("活动总结"), widget=forms.Textarea(attrs={"rows": 4}))


class HeadcountForm(forms.Form):
    count = forms.IntegerField(label=_("现场估算人数"), min_value=0)
    note = forms.CharField(label=_("估算方式"), max_length=200, required=False)


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    organisation = forms.CharField(label=_("单位/组织"), max_length=100, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class ShiftForm(forms.Form):
    role = forms.CharField(label=_("岗位"), max_length=50)
    slots = forms.IntegerField(label=_("人数"), min_value=1, max_value=500)
    start = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    end = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    description = forms.CharField(label=_("岗位说明"), max_length=200, required=False)


class VolunteerForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(
        label=_("性别"), choices=[("", "—"), ("M", _("男")), ("F", _("女"))], required=False
    )
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices, initial=IdType.ID_CARD)
    id_number = forms.CharField(label=_("证件号码"), max_length=30, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20)
    node = forms.ModelChoiceField(label=_("所属社区/村"), queryset=None)
    skills = forms.CharField(label=_("服务技能"), max_length=200, required=False)
    availability = forms.CharField(label=_("可服务时间"), max_length=200, required=False)
    is_party_member = forms.BooleanField(label=_("党员"), required=False)
    consent = forms.BooleanField(
        label=_("本人已阅读告知书，同意登记上述信息并用于记录志愿服务（志愿服务条例第七条）"), required=True
    )

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes


class H5VolunteerForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20)
    skills = forms.CharField(label=_("服务技能"), max_length=200, required=False)
    availability = forms.CharField(label=_("可服务时间"), max_length=200, required=False)
    consent = forms.BooleanField(label=_("我同意登记上述信息并用于记录志愿服务"), required=True)


class RecordForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("志愿者"), queryset=None)
    content = forms.CharField(label=_("服务内容"), max_length=200)
    served_on = forms.DateField(label=_("服务日期"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("服务时长（小时，不含往返）"), max_digits=4, decimal_places=1, min_value=0.1
    )
    confirm = forms.BooleanField(label=_("我是组织方，当即确认"), required=False, initial=True)

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers


class TeamForm(forms.Form):
    name = forms.CharField(label=_("队伍名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=TeamKind.choices)
    node = forms.ModelChoiceField(label=_("所属社区/村"), queryset=None)
    visit_hours = forms.DecimalField(
        label=_("上门服务计时（小时/次）"), max_digits=3, decimal_places=1, initial=1
    )

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes


class CertificateForm(forms.Form):
    period_start = forms.DateField(label=_("起始日期"), widget=DateInput())
    period_end = forms.DateField(label=_("截止日期"), widget=DateInput())
    issuer = forms.CharField(label=_("出具单位"), max_length=100)
    person_in_charge = forms.CharField(label=_("负责人"), max_length=50)
    handler = forms.CharField(label=_("经办人"), max_length=50)
    contact = forms.CharField(label=_("联系电话"), max_length=30)


class MarketItemForm(forms.Form):
    node = forms.ModelChoiceField(label=_("积分超市（社区）"), queryset=None)
    name = forms.CharField(label=_("物品/服务"), max_length=100)
    points = forms.IntegerField(label=_("所需积分"), min_value=1)
    stock = forms.IntegerField(label=_("库存"), min_value=0)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes


class UnitForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    kind = forms.ChoiceField(label=_("单位类型"), choices=UnitKind.choices)
    party_org_name = forms.CharField(label=_("单位党组织"), max_length=100, required=False)
    node = forms.ModelChoiceField(label=_("报到社区"), queryset=None)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    agreement_no = forms.CharField(label=_("共建协议编号"), max_length=50, required=False)
    agreement_signed_on = forms.DateField(label=_("协议签订日期"), widget=DateInput(), required=False)
    agreement_text = forms.CharField(
        label=_("共建协议要点"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reported_on = forms.DateField(label=_("报到日期"), widget=DateInput(), initial=clock.today)
    resources = forms.CharField(
        label=_("资源清单"), widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=_("每行一项")
    )

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    node = forms.ModelChoiceField(label=_("居住社区"), queryset=None)
    unit = forms.ModelChoiceField(label=_("工作单位（已报到）"), queryset=None, required=False)
    work_unit_name = forms.CharField(label=_("工作单位名称"), max_length=100, required=False)
    reported_on = forms.DateField(label=_("报到日期"), widget=DateInput(), initial=clock.today)

    def __init__(self, *args, nodes, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["unit"].queryset = units


class NeedForm(forms.Form):
    node = forms.ModelChoiceField(label=_("社区"), queryset=None)
    title = forms.CharField(label=_("需求"), max_length=100)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("评定等次"), choices=Grade.choices)
    comment = forms.CharField(label=_("评语"), max_length=300, required=False)


class VenueChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Venue) -> str:
        return f"{obj.name}（{obj.node.name}）"


class EventEditForm(forms.Form):
    """What may change after publishing: the words, the time and place, the capacity, whether residents register."""

    title = forms.CharField(label=_("活动名称"), max_length=120)
    venue = forms.ModelChoiceField(label=_("场地"), queryset=None, required=False)
    place = forms.CharField(label=_("地点（无登记场地时）"), max_length=200, required=False)
    start = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    end = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    capacity = forms.IntegerField(
        label=_("名额"),
        min_value=1,
        required=False,
        help_text=_("留空表示不限；增加名额时候补名单按顺序递补"),
    )
    audience = forms.CharField(label=_("面向人群"), max_length=100, required=False)
    public = forms.BooleanField(label=_("居民可在手机上报名"), required=False)
    description = forms.CharField(
        label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("结束时间不能早于开始时间"))
        return data


class VenueForm(forms.Form):
    """A venue; its node is chosen once (events at it are scoped by the node), so editing leaves it out."""

    node = forms.ModelChoiceField(label=_("所属社区/村"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=VenueKind.choices, initial=VenueKind.PARTY_CENTRE)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    capacity = forms.IntegerField(
        label=_("容纳人数"), min_value=1, required=False, help_text=_("留空表示不限")
    )
    open_air = forms.BooleanField(label=_("露天场地"), required=False)
    lat = forms.FloatField(label=_("纬度"), min_value=-90, max_value=90, required=False)
    lng = forms.FloatField(label=_("经度"), min_value=-180, max_value=180, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, nodes=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["node"]
        else:
            self.fields["node"].queryset = nodes
            del self.fields["is_active"]


class SeriesForm(forms.Form):
    """A run of events (一村一年一场戏); the node is the area whose villages it should reach."""

    node = forms.ModelChoiceField(label=_("组织范围"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ModelChoiceField(label=_("类型"), queryset=EventKind.objects.filter(is_active=True))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    per_territory = forms.BooleanField(label=_("每个村/社区一场"), required=False, initial=True)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, nodes=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["node"]
        else:
            self.fields["node"].queryset = nodes
