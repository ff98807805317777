"""Widgets and fields more than one agri form uses."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Commodity

DECIMAL_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "step": "0.0001", "min": "0"}


def add_action_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show an action's ValidationError on the form: on the field it names when the form has one, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class MultiplePhotoInput(forms.ClearableFileInput):
    """Several photos, straight from the phone's camera."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", **(attrs or {})})


class PhotosField(forms.FileField):
    """Zero or more photos; their bytes are checked by the inspection action, which refuses the whole visit on a
    bad one."""

    widget = MultiplePhotoInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        return [f for f in (data if isinstance(data, list | tuple) else [data]) if f]


class CommodityField(forms.CharField):
    """A commodity typed by name or alias (豆角 → 豇豆)."""

    def clean(self, value):
        value = super().clean(value)
        commodity = Commodity.objects.resolve(value)
        if commodity is None:
            raise ValidationError(_("没有找到“%(name)s”，请从提示中选择品种"), params={"name": value})
        return commodity
