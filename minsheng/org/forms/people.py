"""Forms of the people pages: residents, households, party members, property profiles, assignments.

They only validate and collect input; the views hand `cleaned_data` to org.actions, which do the writing. Every
choice of a node, household or person is limited to what the acting user may see (or change), so a tampered POST
cannot reach outside the user's scope.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap
from minsheng.core import parsing
from minsheng.core.masking import mask_id_number, mask_phone

from ..choices import TERRITORIAL_KINDS, AssignmentKind, Gender, NodeKind, PartyPost, PropertyStatus
from ..levels import street_depth
from ..models import Household, PartyMember, PropertyCompany, ResidentTag
from ..validators import birth_date_from_id, gender_from_id, validate_credit_code, validate_id_number
from .pickers import NodePickerField, UserPickerField

phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", _("请输入11位手机号码，或带区号的固定电话（如 0533-1234567）")
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

#: Where a household can be: a room in a unit or building, a house in a natural village, or a 小区 without buildings.
HOUSEHOLD_NODE_KINDS = [NodeKind.UNIT, NodeKind.BUILDING, NodeKind.NATURAL_VILLAGE, NodeKind.ESTATE]


def node_filter(user, label, kinds=None) -> NodePickerField:
    """The "under this node" filter of a list: a picker that submits the filter bar as soon as a node is chosen."""
    field = NodePickerField(user=user, kinds=kinds, label=label, required=False)
    field.widget.attrs.update({"data-picker-submit": "", "placeholder": _("全部")})
    return field


class HouseholdChoiceField(forms.ModelChoiceField):
    """Households at one address, told apart by the head of household (the room number is personal data)."""

    def label_from_instance(self, obj: Household) -> str:
        return obj.head_name or _("户 #%(pk)s") % {"pk": obj.pk}


# -- residents -------------------------------------------------------------------------------------


class ResidentFilterForm(forms.Form):
    tag = forms.ModelChoiceField(
        label=_("标签"),
        queryset=ResidentTag.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("全部标签"),
    )
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("姓名 / 拼音 / 手机尾号4位")}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = node_filter(user, _("地址范围"))
        self.order_fields(["node", "tag", "q"])


class ResidentForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(
        label=_("性别"),
        choices=[("", _("（按身份证号）"))] + list(Gender.choices),
        required=False,
    )
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DATE_INPUT)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False, validators=[phone_validator])
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=18,
        required=False,
        validators=[validate_id_number],
    )
    household = HouseholdChoiceField(
        label=_("所属户"),
        queryset=Household.objects.none(),
        required=False,
        empty_label=_("（不属于任何户）"),
        help_text=_("可选的是所选地址上登记的户"),
    )
    relation = forms.CharField(label=_("与户主关系"), max_length=20, required=False)
    tags = forms.ModelMultipleChoiceField(
        label=_("标签"),
        queryset=ResidentTag.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user, resident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = resident
        self.fields["node"] = NodePickerField(user=user, capability=Cap.ORG_CHANGE, label=_("地址"))
        self.order_fields(["name", "gender", "birth_date", "phone", "id_number", "node", "household"])
        if resident is not None:
            # The edit form never carries personal data back to the browser: it shows the masked value and an
            # empty field keeps what is stored.
            for name, masked in (
                ("phone", mask_phone(resident.phone)),
                ("id_number", mask_id_number(resident.id_number)),
            ):
                if masked:
                    self.fields[name].widget.attrs["placeholder"] = masked
                    self.fields[name].help_text = _("为保护个人信息不显示原值，留空则保持不变")
        self.fields["household"].widget.attrs.update(
            {
                "hx-get": reverse("org:resident_household_options"),
                # picker.js moves the id to its text box; the element named "node" keeps the value.
                "hx-trigger": "change from:[name=node]",
                "hx-include": "[name=node]",
                "hx-swap": "outerHTML",
            }
        )
        # The household list only offers the households at the chosen address; a tampered choice still fails in
        # clean() below and again in the action.
        node_id = self.data.get("node") if self.is_bound else self.initial.get("node")
        node_id = getattr(node_id, "pk", node_id)
        households = Household.objects.visible_to(user, Cap.ORG_CHANGE)
        if node_id and parsing.is_id(str(node_id)):
            households = households.filter(node_id=node_id)
        else:
            households = households.none()
        self.fields["household"].queryset = households

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()

    def clean(self):
        data = super().clean()
        household, node = data.get("household"), data.get("node")
        if household and node and household.node_id != node.pk:
            self.add_error("household", _("所属户的地址与居民地址不一致"))
        number = data.get("id_number")
        if number:
            born, gender = birth_date_from_id(number), gender_from_id(number)
            if data.get("birth_date") and data["birth_date"] != born:
                self.add_error("birth_date", _("出生日期与身份证号码不一致"))
            if data.get("gender") and data["gender"] != gender:
                self.add_error("gender", _("性别与身份证号码不一致"))
        return data

    def action_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["tags"] = [t.code for t in data["tags"]]
        if self.resident is not None:
            for name in ("phone", "id_number"):
                if not data[name]:
                    del data[name]
        return data


# -- households ------------------------------------------------------------------------------------


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("户主姓名 / 地址")}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = node_filter(user, _("地址范围"))
        self.order_fields(["node", "q"])


class HouseholdForm(forms.Form):
    room = forms.CharField(label=_("门牌/房号"), max_length=50, required=False)
    head_name = forms.CharField(label=_("户主"), max_length=50, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = NodePickerField(
            user=user,
            kinds=HOUSEHOLD_NODE_KINDS,
            capability=Cap.ORG_CHANGE,
            label=_("地址"),
            help_text=_("单元、楼栋、自然村或小区"),
        )
        self.order_fields(["node", "room", "head_name", "note"])

    def clean(self):
        data = super().clean()
        node, room = data.get("node"), (data.get("room") or "").strip()
        if node and Household.objects.filter(node=node, room=room).exists():
            self.add_error("room", _("该地址下已登记这个门牌/房号"))
        return data


# -- party -----------------------------------------------------------------------------------------


class HouseholdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Household) -> str:
        # Head of household and building/unit, but not the room: enough to recognise, not a door to knock on.
        # (without the names down to the 社区: the 街道 may sit under a county or a city)
        place = " ".join(obj.node.full_name.split(" ")[street_depth() + 1 :]) or obj.node.name
        return f"{obj.head_name or _('（未填户主）')} · {place}"


class MemberHouseholdsForm(forms.Form):
    """党员联户: which households a member keeps in touch with, chosen among those under the member's party org."""

    households = HouseholdsMultipleChoiceField(
        label=_("联系户"),
        queryset=Household.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, member: PartyMember, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].queryset = (
            Household.objects.visible_to(user, Cap.ORG_CHANGE)
            .filter(node__path__startswith=member.party_org.node.path)
            .select_related("node")
        )


class PartyMemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    post = forms.ChoiceField(label=_("职务"), choices=PartyPost.choices, initial=PartyPost.MEMBER)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False, validators=[phone_validator])
    joined_on = forms.DateField(label=_("入党日期"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, user, party_org, **kwargs):
        super().__init__(*args, **kwargs)
        led_node = NodePickerField(
            user=user,
            kinds=[NodeKind.BUILDING, NodeKind.UNIT],
            label=_("负责楼栋/单元"),
            required=False,
            help_text=_("楼长、单元长必填；须在本党组织的范围内"),
        )
        led_node.queryset = led_node.queryset.filter(path__startswith=party_org.node.path)
        self.fields["led_node"] = led_node
        self.order_fields(["name", "post", "phone", "led_node", "joined_on"])


# -- property --------------------------------------------------------------------------------------


class EstatePropertyForm(forms.Form):
    status = forms.ChoiceField(label=_("物业状态"), choices=PropertyStatus.choices)
    company = forms.ModelChoiceField(
        label=_("物业企业"),
        queryset=PropertyCompany.objects.all(),
        required=False,
        help_text=_("专业物业、街道兜底必填；街道兜底须选街道领办企业"),
    )
    is_red_property = forms.BooleanField(label=_("红色物业"), required=False)
    contract_start = forms.DateField(label=_("合同起始"), required=False, widget=DATE_INPUT)
    contract_end = forms.DateField(label=_("合同截止"), required=False, widget=DATE_INPUT)
    has_owners_committee = forms.BooleanField(label=_("已成立业委会"), required=False)
    committee_established = forms.DateField(label=_("业委会成立日期"), required=False, widget=DATE_INPUT)
    committee_chair = forms.CharField(label=_("业委会主任"), max_length=50, required=False)
    committee_phone = forms.CharField(
        label=_("业委会电话"), max_length=20, required=False, validators=[phone_validator]
    )

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        if profile is not None and profile.committee_phone:
            field = self.fields["committee_phone"]
            field.widget.attrs["placeholder"] = mask_phone(profile.committee_phone)
            field.help_text = _("为保护个人信息不显示原值，留空则保持不变")

    def clean(self):
        data = super().clean()
        start, end = data.get("contract_start"), data.get("contract_end")
        if start and end and end < start:
            self.add_error("contract_end", _("合同截止日期不能早于起始日期"))
        if not data.get("has_owners_committee") and (
            data.get("committee_established") or data.get("committee_chair")
        ):
            self.add_error("has_owners_committee", _("填写了业委会信息，请勾选“已成立业委会”"))
        return data

    def action_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if self.profile is not None and not data["committee_phone"]:
            del data["committee_phone"]
        return data


class PropertyCompanyForm(forms.Form):
    name = forms.CharField(label=_("企业名称"), max_length=100)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    contact = forms.CharField(label=_("联系人"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False, validators=[phone_validator])
    is_street_led = forms.BooleanField(
        label=_("街道领办"), required=False, help_text=_("街道领办的企业为无物业小区提供兜底服务")
    )

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        if code:
            validate_credit_code(code)
        return code


class PropertyFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("物业状态"),
        choices=[("", _("全部状态")), ("unset", _("未登记"))] + list(PropertyStatus.choices),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"] = node_filter(user, _("社区/村"), kinds=sorted(TERRITORIAL_KINDS))
        self.order_fields(["community", "status"])


# -- responsibility --------------------------------------------------------------------------------


class AssignmentFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("", _("全部类型"))] + list(AssignmentKind.choices), required=False
    )
    include_ended = forms.BooleanField(label=_("包括已结束"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = node_filter(user, _("节点范围"))
        self.order_fields(["kind", "node", "include_ended"])


class AssignmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=AssignmentKind.choices)
    party_member = forms.ModelChoiceField(
        label=_("负责党员"), queryset=PartyMember.objects.none(), required=False
    )
    valid_from = forms.DateField(label=_("起始日期"), required=False, widget=DATE_INPUT)
    valid_to = forms.DateField(label=_("截止日期"), required=False, widget=DATE_INPUT)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = NodePickerField(user=user, capability=Cap.ORG_CHANGE, label=_("负责节点"))
        self.fields["user"] = UserPickerField(user=user, label=_("负责人（账号）"), required=False)
        self.order_fields(["kind", "node", "user", "party_member", "valid_from", "valid_to", "note"])
        self.fields["party_member"].queryset = PartyMember.objects.visible_to(user).select_related(
            "party_org"
        )

    def clean(self):
        data = super().clean()
        if not data.get("user") and not data.get("party_member") and not self.errors:
            raise ValidationError(_("请指定负责人（账号）或负责党员"))
        return data


class EndAssignmentForm(forms.Form):
    on = forms.DateField(label=_("结束日期"), widget=DATE_INPUT)
