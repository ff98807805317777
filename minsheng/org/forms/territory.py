"""Forms of the territory pages (org nodes and grids).

Forms only validate and collect input; the views hand `cleaned_data` to org.actions. Choices of nodes and people
are limited to the acting user's scope, so a tampered POST cannot reach outside it.
"""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap

from ..choices import ALLOWED_CHILDREN, TERRITORIAL_KINDS, NodeKind
from ..models import Node
from ..validators import validate_division_code, validate_geojson_geometry
from .pickers import (
    NodeMultiplePickerField,
    NodePickerField,
    UserMultiplePickerField,
    UserPickerField,
)


class GeoJSONField(forms.CharField):
    """GeoJSON pasted as text (a geometry, or a Feature whose geometry is taken), checked like the model does."""

    widget = forms.Textarea(attrs={"rows": 5, "class": "code", "spellcheck": "false"})
    default_error_messages = {
        "invalid_json": _("不是有效的 GeoJSON 文本（第 %(line)s 行第 %(column)s 列附近有误）"),
        "not_geometry": _('请填写 GeoJSON 几何对象，例如 {"type": "Polygon", "coordinates": [...]}'),
    }

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                self.error_messages["invalid_json"],
                code="invalid_json",
                params={"line": exc.lineno, "column": exc.colno},
            ) from exc
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        if not isinstance(data, dict):
            raise ValidationError(self.error_messages["not_geometry"], code="not_geometry")
        return data

    def validate(self, value):
        super().validate(value)
        validate_geojson_geometry(value)


# -- org nodes --------------------------------------------------------------------------------------------------


class _StackedForm(forms.Form):
    """Labels sit above their fields, so they need no trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class NodeForm(_StackedForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    code = forms.CharField(
        label=_("统计用区划代码"),
        max_length=12,
        required=False,
        validators=[validate_division_code],
        help_text=_("12位数字，社区/村一级通常有；没有可不填"),
    )
    geometry = GeoJSONField(
        label=_("范围或位置（GeoJSON）"),
        required=False,
        help_text=_("Polygon、MultiPolygon 或 Point，经纬度坐标（WGS84）"),
    )
    case_prefix = forms.RegexField(
        label=_("案件编号前缀"),
        regex=r"^[A-Za-z][A-Za-z0-9]{0,7}$",
        max_length=8,
        required=False,
        error_messages={"invalid": _("用1–8位字母或数字，以字母开头")},
        help_text=_("街道/乡镇填写（如 CG），本街道的案件编号为 CG-年份-序号；其他层级留空"),
    )

    def clean_case_prefix(self):
        return self.cleaned_data["case_prefix"].upper()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("请填写名称"), code="required")
        return name


class NodeCreateForm(NodeForm):
    """A child of `parent`: the kinds offered are the ones the tree's grammar allows under it."""

    kind = forms.ChoiceField(label=_("类型"))

    field_order = ["kind", "name", "code", "geometry", "case_prefix"]

    def __init__(self, *args, parent: Node, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_CHILDREN.get(parent.kind, set())
        self.fields["kind"].choices = [(k.value, k.label) for k in NodeKind if k in allowed]


# -- grids ------------------------------------------------------------------------------------------------------

_COVERABLE_KINDS = [NodeKind.ESTATE, NodeKind.NATURAL_VILLAGE, NodeKind.BUILDING]


class GridForm(_StackedForm):
    name = forms.CharField(label=_("网格名称"), max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"] = UserPickerField(
            user=user,
            label=_("网格员"),
            required=False,
            help_text=_("不指定时由所属社区/村兜底负责"),
        )
        self.fields["deputies"] = UserMultiplePickerField(user=user, label=_("协管员"), required=False)
        self.fields["nodes"] = NodeMultiplePickerField(
            user=user, kinds=_COVERABLE_KINDS, label=_("覆盖的小区/自然村/楼栋"), required=False
        )
        self.fields["boundary"] = GeoJSONField(
            label=_("网格边界（GeoJSON）"),
            required=False,
            help_text=_("Polygon 或 MultiPolygon，经纬度坐标（WGS84）"),
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("请填写网格名称"), code="required")
        return name

    def clean(self):
        data = super().clean()
        worker, deputies = data.get("worker"), data.get("deputies")
        if worker is not None and deputies and worker in deputies:
            self.add_error("deputies", _("网格员不必再列为协管员"))
        boundary = data.get("boundary")
        if boundary and boundary.get("type") == "Point":
            self.add_error("boundary", _("网格边界须为多边形（Polygon 或 MultiPolygon）"))
        return data


class GridCreateForm(GridForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["community"] = NodePickerField(
            user=user, kinds=sorted(TERRITORIAL_KINDS), capability=Cap.ORG_CHANGE, label=_("所属社区/村")
        )
        self.order_fields(["community", "name", "worker", "deputies", "nodes", "boundary"])
