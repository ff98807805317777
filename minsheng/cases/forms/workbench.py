"""Forms of the staff workbench: intake, one small form per transition, and the period filter of the reports.

Forms only collect and type-check input; the views hand `cleaned_data` to cases.actions, which own the rules
(a return needs a reason, a failed verification needs a note …) and answer with Chinese ValidationErrors that the
views put back on the form. Text the actions check is therefore optional here, so a person sees the action's own
precise message rather than a generic "必填". Choices of places and people are limited to the acting user's scope.
"""

import datetime as dt
from typing import NamedTuple

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.calendar import TZ
from minsheng.core.tablecache import cached_table
from minsheng.org.choices import NodeKind
from minsheng.org.forms.pickers import NodePickerField, UserPickerField

from ..attachments import MAX_FILES, validate_upload
from ..choices import Channel, Satisfaction, Urgency
from ..models import CaseKind, Category, Unit
from .selects import QuickSelect

#: Where a case can be placed on the intake form: from a whole 社区 down to one 单元.
PLACE_KINDS = [
    NodeKind.COMMUNITY,
    NodeKind.VILLAGE,
    NodeKind.ESTATE,
    NodeKind.NATURAL_VILLAGE,
    NodeKind.BUILDING,
    NodeKind.UNIT,
]
#: What a browser offers to pick: photos first (a phone opens its camera), then the documents the engine accepts.
UPLOAD_ACCEPT = "image/*,.pdf,.docx,.xlsx"


class _StackedForm(forms.Form):
    """Labels sit above their fields, so they need no trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# -- categories --------------------------------------------------------------------------------------------


class CategoryRow(NamedTuple):
    """A category as the forms need it, from the cached table (the attributes a Category has)."""

    pk: int
    path: str
    depth: int
    code: str
    name: str
    is_active: bool


def category_rows() -> list[CategoryRow]:
    """Every category, active or not, in tree order — kept in the cache until a category is saved or deleted
    (core.tablecache; decision 0075)."""
    fields = ("pk", "path", "depth", "code", "name", "is_active")
    return cached_table(
        "cases.category-rows",
        Category,
        lambda: [CategoryRow(*row) for row in Category.objects.order_by("path").values_list(*fields)],
    )


def category_tree() -> list[tuple[CategoryRow, list[tuple[CategoryRow, list[CategoryRow]]]]]:
    """The active tree as [(大类, [(中类, [小类 …]) …]) …], from the cached table."""
    top: list = []
    mids: dict[str, list] = {}
    for c in category_rows():
        if not c.is_active:
            continue
        if c.depth == 1:
            top.append((c, []))
            mids[c.path] = top[-1][1]
        elif c.depth == 2 and c.path[: Category.steplen] in mids:
            mids[c.path[: Category.steplen]].append((c, []))
            mids[c.path] = mids[c.path[: Category.steplen]][-1][1]
        elif c.depth == 3 and c.path[: 2 * Category.steplen] in mids:
            mids[c.path[: 2 * Category.steplen]].append(c)
    return top


def category_choices() -> list:
    """Intake and 改分类: the most precise categories (小类, or a 中类 without any), grouped by 大类."""
    groups = []
    for top, middles in category_tree():
        options = []
        for mid, leaves in middles:
            if leaves:
                options += [(leaf.pk, f"{mid.name} › {leaf.name}") for leaf in leaves]
            else:
                options.append((mid.pk, mid.name))
        groups.append((top.name, options or [(top.pk, top.name)]))
    return [("", _("请选择分类")), *groups]


def category_filter_choices() -> list:
    """The list filter: any level, by code, so a 大类 selects its whole subtree."""
    groups = []
    for top, middles in category_tree():
        options = [(top.code, _("全部%(name)s") % {"name": top.name})]
        for mid, leaves in middles:
            options.append((mid.code, mid.name))
            options += [(leaf.code, f"\u3000{mid.name} › {leaf.name}") for leaf in leaves]
        groups.append((top.name, options))
    return [("", _("全部分类")), *groups]


# -- the filter bar's other choices, read from cached tables (decision 0075) ----------------------------------
#
# Every list page, the map and the exports build the filter bar; its choices come from small configuration tables
# that change a few times a year. core.tablecache keeps each in the cache (Redis in a deployment, shared by every
# process) and drops it when a row of its tables is saved or deleted, so a new category or unit is offered on the
# next page; changes made behind Django's back show within the cache's TTL.


def kind_filter_choices() -> list[tuple[str, str]]:
    """(code, name) of every case kind, as the kind filter's queryset (CaseKind.objects.all()) lists them."""
    return cached_table(
        "cases.kind-choices", CaseKind, lambda: [(k.code, str(k)) for k in CaseKind.objects.order_by("pk")]
    )


def unit_filter_choices() -> list[tuple[int, str]]:
    """(id, name) of the active units, by kind and name."""
    return cached_table(
        "cases.unit-choices",
        Unit,
        lambda: list(Unit.objects.filter(is_active=True).order_by("kind", "name").values_list("pk", "name")),
    )


def grid_filter_choices(user) -> list[tuple[int, str]]:
    """(id, name) of the grids the user sees cases of — Grid.objects.visible_to(user, Cap.CASES_VIEW) by code —
    picked from the cached list of every grid with its 社区's path (a node moved re-reads it)."""
    from minsheng.org.models import Grid, Node

    rows = cached_table(
        "cases.grid-rows",
        (Grid, Node),
        lambda: list(Grid.objects.order_by("code").values_list("pk", "name", "community__path")),
    )
    if not user.is_active:
        return []
    if user.is_superuser:
        return [(pk, name) for pk, name, _path in rows]
    paths = tuple(user.scope_paths(Cap.CASES_VIEW))
    return [(pk, name) for pk, name, path in rows if path.startswith(paths)] if paths else []


class CategoryField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("诉求分类"))
        kwargs.setdefault("widget", QuickSelect)
        super().__init__(queryset=Category.objects.filter(is_active=True), **kwargs)
        self.choices = category_choices()


# -- uploads -----------------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos or files at once, each checked by its first bytes with the engine's own validator."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("照片或附件"))
        kwargs.setdefault(
            "help_text",
            _("可多选，最多 %(n)d 个；支持 JPG、PNG、WEBP、GIF 图片和 PDF、Word、Excel 文件")
            % {"n": MAX_FILES},
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", UPLOAD_ACCEPT)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(_("一次最多上传 %(n)d 个文件") % {"n": MAX_FILES})
        errors = []
        for f in files:
            try:
                validate_upload(f)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


# -- intake ------------------------------------------------------------------------------------------------


class CaseCreateForm(_StackedForm):
    kind = forms.ModelChoiceField(
        label=_("类型"),
        queryset=CaseKind.objects.filter(is_active=True),
        empty_label=None,
        to_field_name="code",
    )
    channel = forms.ChoiceField(label=_("来源渠道"))
    urgency = forms.ChoiceField(
        label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("标题"), max_length=100, required=False, help_text=_("可不填，默认取诉求内容的前30个字")
    )
    description = forms.CharField(
        label=_("诉求内容"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": _("在哪里、发生了什么、持续多久、涉及多少户……")}
        ),
    )
    address = forms.CharField(
        label=_("详细位置"), max_length=200, required=False, help_text=_("如：3号楼东侧绿化带")
    )
    lat = forms.FloatField(label=_("纬度"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("经度"), required=False, min_value=-180, max_value=180)
    reporter_name = forms.CharField(label=_("反映人"), max_length=50, required=False)
    reporter_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    anonymous = forms.BooleanField(label=_("匿名反映（不登记姓名）"), required=False)
    photos = PhotosField()
    merge_into = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [c for c in Channel.choices if c[0] != Channel.SYSTEM]
        self.fields["channel"].initial = Channel.GRID_PATROL
        self.fields["kind"].initial = "appeal"
        self.fields["category"] = CategoryField()
        self.fields["node"] = NodePickerField(
            user=user,
            kinds=PLACE_KINDS,
            capability=Cap.CASES_CREATE,
            label=_("发生地点"),
            required=False,
            help_text=_("选择小区、楼栋或单元；也可只填经纬度，由系统判断所在网格"),
        )
        self.fields["node"].widget.attrs["placeholder"] = _("输入小区或楼栋名称、拼音首字母")
        self.order_fields(
            [
                "channel",
                "category",
                "urgency",
                "title",
                "description",
                "node",
                "address",
                "lat",
                "lng",
                "reporter_name",
                "reporter_phone",
                "anonymous",
                "photos",
                "kind",
            ]
        )

    def clean_reporter_phone(self):
        phone = self.cleaned_data["reporter_phone"].strip().replace(" ", "")
        if phone and not phone.replace("-", "").isdigit():
            raise ValidationError(_("电话号码只能包含数字和“-”"))
        return phone


# -- transitions -------------------------------------------------------------------------------------------

NOTE = forms.Textarea(attrs={"rows": 2})


def _note(label=None, **kwargs):
    return forms.CharField(label=label or _("说明"), required=False, widget=NOTE, **kwargs)


class NoteForm(_StackedForm):
    note = _note()


class ReasonForm(_StackedForm):
    reason = _note(_("理由"))


class MergeForm(_StackedForm):
    into = forms.CharField(
        label=_("并入案件编号"),
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "CG-2026-000123"}),
    )
    note = _note()


class UnitChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=Unit.objects.filter(is_active=True).order_by("kind", "name"), **kwargs)


class DispatchForm(_StackedForm):
    """派遣: the handler list comes grouped by unit (see the template); the action checks the person belongs."""

    unit = UnitChoiceField(label=_("主办单位"), required=False, empty_label=_("按派遣规则自动选择"))
    handler = forms.ModelChoiceField(
        label=_("承办人"),
        required=False,
        queryset=get_user_model().objects.filter(is_active=True, units__is_active=True).distinct(),
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        required=False,
        queryset=Unit.objects.filter(is_active=True).order_by("kind", "name"),
        widget=forms.CheckboxSelectMultiple,
    )
    note = _note(_("派遣意见"))


class ExtensionForm(_StackedForm):
    days = forms.IntegerField(label=_("延期天数（工作日）"), min_value=1, max_value=60)
    reason = _note(_("延期理由"))


class DecideForm(_StackedForm):
    request = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("审批结果"),
        choices=[("1", _("批准")), ("0", _("驳回"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = _note(_("审批意见"))


class ReplyForm(_StackedForm):
    note = _note(_("办理结果"))
    photos = PhotosField(label=_("现场照片"))


class VerifyForm(_StackedForm):
    passed = forms.TypedChoiceField(
        label=_("核查结果"),
        choices=[("1", _("通过，办结")), ("0", _("不通过，返工"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = _note(_("核查意见"))
    photos = PhotosField(label=_("核查照片"))


_YES_NO_UNKNOWN = [("", _("未说明")), ("1", _("已解决")), ("0", _("未解决"))]


class FollowUpForm(_StackedForm):
    reachable = forms.TypedChoiceField(
        label=_("是否联系上"),
        choices=[("1", _("联系上了")), ("0", _("联系不上"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    resolved = forms.TypedChoiceField(
        label=_("问题是否解决"),
        choices=_YES_NO_UNKNOWN,
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    satisfaction = forms.ChoiceField(
        label=_("满意度"), choices=[("", _("请选择")), *Satisfaction.choices], required=False
    )
    comment = _note(_("反映人意见"))


class SuperviseForm(_StackedForm):
    comment = _note(_("督办意见"))


class SetKeyForm(_StackedForm):
    plan = _note(_("包案方案"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"] = UserPickerField(user=user, label=_("包案领导"), required=False)
        self.order_fields(["leader", "plan"])


class RecategorizeForm(_StackedForm):
    note = _note()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = CategoryField(label=_("新分类"))
        self.order_fields(["category", "note"])


# -- reports -----------------------------------------------------------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def months_back(today: dt.date, months: int) -> dt.date:
    """The first day of the month `months` before today's month (0 = this month)."""
    index = today.year * 12 + today.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


class PeriodForm(_StackedForm):
    """A period of 登记时间 (both days included) and an org subtree; invalid input falls back to the defaults."""

    start = forms.DateField(label=_("登记日期从"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("至"), required=False, widget=DATE_INPUT)

    default_months = 2

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = NodePickerField(
            user=user,
            kinds=[NodeKind.STREET, NodeKind.COMMUNITY, NodeKind.VILLAGE, NodeKind.ESTATE],
            capability=Cap.CASES_VIEW,
            label=_("区域"),
            required=False,
        )
        self.fields["node"].widget.attrs["placeholder"] = _("全部区域")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("结束日期不能早于开始日期"))
        return data

    def period(self) -> tuple[dt.date, dt.date, object]:
        """(start, end, node) with the defaults filled in: the last `default_months` months and this one."""
        today = clock.now().astimezone(TZ).date()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("start") or months_back(today, self.default_months)
        end = data.get("end") or today
        return start, end, data.get("node")
