"""Forms of the residents' phone pages. Residents type on small screens: errors say exactly what to fix."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.models import phone_validator
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from ..attachments import MAX_FILES, validate_upload
from ..choices import Satisfaction
from ..models import Category

#: What a resident picks as "小区": an estate in town, a natural village in the countryside.
PLACE_KINDS = (NodeKind.ESTATE, NodeKind.NATURAL_VILLAGE)


class PhoneField(forms.CharField):
    """An 11-digit mainland mobile number; spaces, dashes and a +86 prefix typed by habit are forgiven."""

    default_validators = [phone_validator]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("手机号"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("error_messages", {"required": _("请填写手机号")})
        super().__init__(**kwargs)

    def to_python(self, value):
        value = "".join(ch for ch in super().to_python(value) if ch.isdigit() or ch == "+")
        if value.startswith("+86"):
            value = value[3:]
        elif value.startswith("86") and len(value) == 13:
            value = value[2:]
        return value


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("验证码"))
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("min_length", 6)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("请填写短信验证码"),
                "min_length": _("验证码是6位数字"),
                "max_length": _("验证码是6位数字"),
            },
        )
        super().__init__(**kwargs)


class PhoneForm(forms.Form):
    phone = PhoneField()


class PhoneCodeForm(PhoneForm):
    code = CodeField()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once; each checked by its first bytes (cases.attachments), only images accepted."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_FILES:
            raise ValidationError(_("最多上传 %(n)d 张照片") % {"n": MAX_FILES}, code="too_many")
        errors = []
        for f in files:
            try:
                mime = validate_upload(f)
            except ValidationError as exc:
                errors.extend(exc.messages)
                continue
            if not mime.startswith("image/"):
                errors.append(_("“%(name)s”不是照片，请上传 JPG、PNG 等图片") % {"name": f.name})
        if errors:
            raise ValidationError(errors)
        return files


def selectable_categories():
    """What a resident chooses from: the active top-level categories, each with its active second level.

    Returns [(top, [child, …]), …]; a top-level category without children is its own only choice.
    """
    rows = list(Category.objects.filter(is_active=True, depth__lte=2).order_by("path"))
    tops = [c for c in rows if c.depth == 1]
    children = {t.pk: [c for c in rows if c.depth == 2 and c.path.startswith(t.path)] for t in tops}
    return [(t, children[t.pk] or [t]) for t in tops]


def place_groups():
    """The 小区 and 自然村 residents pick from, grouped under their 社区/村 (and 街道, when there are several)."""
    nodes = list(
        Node.objects.filter(kind__in=[NodeKind.STREET, NodeKind.COMMUNITY, NodeKind.VILLAGE, *PLACE_KINDS])
        .only("pk", "path", "depth", "kind", "name")
        .order_by("path")
    )
    by_path = {n.path: n for n in nodes}
    several_streets = sum(1 for n in nodes if n.kind == NodeKind.STREET) > 1
    groups: dict[str, list] = {}
    for node in nodes:
        if node.kind not in PLACE_KINDS:
            continue
        ancestors = [by_path.get(node.path[: i * Node.steplen]) for i in range(1, node.depth)]
        ancestors = [a for a in ancestors if a is not None]
        territory = next((a for a in reversed(ancestors) if a.kind != NodeKind.STREET), None)
        street = next((a for a in ancestors if a.kind == NodeKind.STREET), None)
        label = territory.name if territory else ""
        if several_streets and street is not None:
            label = f"{street.name} · {label}"
        groups.setdefault(label, []).append(node)
    return list(groups.items())


class SubmitForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("问题类别"),
        queryset=Category.objects.filter(is_active=True, depth__lte=2),
        error_messages={
            "required": _("请选择问题类别"),
            "invalid_choice": _("请重新选择问题类别"),
        },
    )
    description = forms.CharField(
        label=_("问题描述"),
        min_length=5,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("请描述您遇到的问题"),
            "min_length": _("请再具体描述一下问题（至少5个字）"),
            "max_length": _("问题描述不能超过4000字"),
        },
    )
    photos = PhotosField(label=_("现场照片"), required=False)
    estate = forms.ModelChoiceField(
        label=_("小区"),
        queryset=Node.objects.filter(kind__in=PLACE_KINDS),
        required=False,
        error_messages={"invalid_choice": _("请重新选择小区")},
    )
    building = forms.ModelChoiceField(
        label=_("楼栋"),
        queryset=Node.objects.filter(kind=NodeKind.BUILDING),
        required=False,
        error_messages={"invalid_choice": _("请重新选择楼栋")},
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    address = forms.CharField(label=_("具体位置"), max_length=200, required=False)
    reporter_name = forms.CharField(label=_("称呼"), max_length=50, required=False)
    anonymous = forms.BooleanField(label=_("匿名反映"), required=False)
    phone = PhoneField()
    code = CodeField()

    def __init__(self, *args, verified_phone: str = "", **kwargs):
        """`verified_phone`: the signed-in resident's own number, which needs no code."""
        super().__init__(*args, **kwargs)
        self.verified_phone = verified_phone
        if verified_phone:
            self.fields["code"].required = False

    def clean_category(self):
        category = self.cleaned_data["category"]
        has_children = Category.objects.filter(
            path__startswith=category.path, depth=category.depth + 1, is_active=True
        ).exists()
        if category.depth == 1 and has_children:
            raise ValidationError(_("请选择具体的问题类别"))
        return category

    def clean(self):
        data = super().clean()
        estate, building = data.get("estate"), data.get("building")
        lat, lng = data.get("lat"), data.get("lng")
        if building is not None and (estate is None or not building.path.startswith(estate.path)):
            self.add_error("building", _("楼栋不属于所选小区，请重新选择"))
        if (lat is None) != (lng is None):
            self.add_error("estate", _("位置信息不完整，请重新获取当前位置"))
        elif estate is None and lat is None and not self.has_error("estate"):
            self.add_error("estate", _("请选择小区，或使用当前位置"))
        phone = data.get("phone")
        if phone and phone != self.verified_phone and not data.get("code") and not self.has_error("code"):
            self.add_error("code", self.fields["code"].error_messages["required"])
        return data

    @property
    def place(self):
        """The org node picked, the building when there is one (the engine finds the grid from it)."""
        return self.cleaned_data.get("building") or self.cleaned_data.get("estate")


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("诉求编号"), max_length=32, error_messages={"required": _("请填写诉求编号")}
    )
    phone = PhoneField()
    code = CodeField()

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper().replace(" ", "")


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("您对办理结果满意吗？"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意程度"), "invalid_choice": _("请选择满意程度")},
    )
    resolved = forms.TypedChoiceField(
        label=_("问题解决了吗？"),
        choices=[("yes", _("已解决")), ("no", _("未解决"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("请告诉我们问题是否已解决"), "invalid_choice": _("请重新选择")},
    )
    comment = forms.CharField(
        label=_("还想说的话"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("重新办理的原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请说明问题哪里还没有解决")},
    )
