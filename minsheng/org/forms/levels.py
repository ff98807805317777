"""Forms of the 行政层级 page: a county above the top-level 街道, a 街道 into a county, a city above the top-level
counties, a county into a city (docs/decisions/0072). Only the system administrator reaches them; they collect
input, the page hands it to org.actions, whose refusals come back onto the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import NodeKind
from ..models import Node
from .territory import NodeForm, _StackedForm


class _NodeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Node) -> str:
        return obj.full_name or obj.name


class _NodeChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Node) -> str:
        return obj.full_name or obj.name


def _of_kind(kind: str, *, roots: bool = False):
    nodes = Node.objects.filter(kind=kind).defer("geometry").order_by("path")
    return nodes.filter(depth=1) if roots else nodes


class _NewNodeForm(NodeForm):
    """Name, division code and case-number prefix of the county or city to be made: the node form without the
    geometry (the node page edits that afterwards)."""

    geometry = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("请填写名称")


class CountyAboveForm(_NewNodeForm):
    streets = _NodeChoices(
        label=_("移入新县的街道/乡镇"),
        queryset=Node.objects.none(),
        error_messages={"required": _("请选择要移入新县的街道/乡镇")},
        help_text=_("所有街道/乡镇须在同一层级，顶层的街道/乡镇须一并移入"),
    )

    field_order = ["streets", "name", "code", "case_prefix"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["streets"].queryset = _of_kind(NodeKind.STREET, roots=True)
        self.fields["name"].label = _("县/区名称")
        self.fields["code"].help_text = _("12位数字，如临朐县 370724000000；没有可不填")
        self.fields["case_prefix"].help_text = _(
            "县级登记的案件用此前缀；各街道/乡镇的案件编号不变，按原前缀和序号继续"
        )


class MoveStreetForm(_StackedForm):
    street = _NodeChoice(label=_("街道/乡镇"), queryset=Node.objects.none(), empty_label=_("请选择"))
    county = _NodeChoice(label=_("移入县/区"), queryset=Node.objects.none(), empty_label=_("请选择"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = _of_kind(NodeKind.STREET)
        self.fields["county"].queryset = _of_kind(NodeKind.COUNTY)


class CityAboveForm(_NewNodeForm):
    counties = _NodeChoices(
        label=_("移入新市的县/区"),
        queryset=Node.objects.none(),
        error_messages={"required": _("请选择要移入新市的县/区")},
        help_text=_("所有街道/乡镇须在同一层级，有街道/乡镇的顶层县/区须一并移入"),
    )

    field_order = ["counties", "name", "code", "case_prefix"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counties"].queryset = _of_kind(NodeKind.COUNTY, roots=True)
        self.fields["name"].label = _("市名称")
        self.fields["code"].help_text = _("12位数字，如潍坊市 370700000000；没有可不填")
        self.fields["case_prefix"].help_text = _(
            "市级登记的案件用此前缀；各县/区、街道/乡镇的案件编号不变，按原前缀和序号继续"
        )


class MoveCountyForm(_StackedForm):
    county = _NodeChoice(label=_("县/区"), queryset=Node.objects.none(), empty_label=_("请选择"))
    city = _NodeChoice(label=_("移入市"), queryset=Node.objects.none(), empty_label=_("请选择"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = _of_kind(NodeKind.COUNTY)
        self.fields["city"].queryset = _of_kind(NodeKind.CITY)
