"""The picker fields every form can use: choices of nodes and people limited to the acting user's scope, so a
tampered POST cannot reach outside it.

Pickers (see the comment at the top of static/minsheng/picker.js): `NodePickerField` and `UserPickerField` are
ModelChoiceFields whose widget renders only the chosen option and lets picker.js search the rest by name, code or
pinyin initials, so a 街道 with thousands of buildings never ships them all in a <select>.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Role
from minsheng.accounts.models import Membership

from ..models import Node

# -- pickers ----------------------------------------------------------------------------------------------------


class _PickerMixin:
    """Render only the selected options: picker.js fetches the others on demand."""

    def __init__(self, picker: str = "nodes", kinds=None, capability: str = "org.view", attrs=None, **kwargs):
        attrs = {"data-picker": picker, **(attrs or {})}
        if kinds:
            attrs["data-picker-kind"] = ",".join(str(k) for k in kinds)
        if capability != "org.view":
            attrs["data-picker-cap"] = capability
        super().__init__(attrs=attrs, **kwargs)

    def optgroups(self, name, value, attrs=None):
        chosen = [str(v) for v in value if v not in (None, "")]
        if not chosen:
            return []
        labels = self._labels(chosen)
        options = [
            self.create_option(name, v, labels[v], True, index, attrs=attrs)
            for index, v in enumerate(chosen)
            if v in labels
        ]
        return [(None, options, 0)]

    def _labels(self, chosen: list[str]) -> dict[str, str]:
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return {str(k): str(label) for k, label in self.choices if str(k) in chosen}
        try:
            objects = list(queryset.filter(pk__in=chosen))
        except (ValueError, TypeError, ValidationError):  # a tampered value re-shown with its error
            return {}
        return {str(o.pk): self.choices.field.label_from_instance(o) for o in objects}


class PickerSelect(_PickerMixin, forms.Select):
    pass


class PickerSelectMultiple(_PickerMixin, forms.SelectMultiple):
    pass


def staff_users_visible_to(user):
    """Accounts holding a staff role at a node the user may see: who can be named responsible for something."""
    memberships = Membership.objects.visible_to(user).exclude(role=Role.RESIDENT)
    return get_user_model().objects.filter(is_active=True, memberships__in=memberships).distinct()


class NodePickerField(forms.ModelChoiceField):
    """An org node among those `user` may see (or, with `capability`, act on), optionally of given kinds."""

    def __init__(self, *, user, kinds=None, capability: str = "org.view", **kwargs):
        queryset = Node.objects.visible_to(user, capability)
        if kinds:
            queryset = queryset.filter(kind__in=kinds)
        kwargs.setdefault("widget", PickerSelect(picker="nodes", kinds=kinds, capability=capability))
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.name


class NodeMultiplePickerField(forms.ModelMultipleChoiceField):
    def __init__(self, *, user, kinds=None, capability: str = "org.view", **kwargs):
        queryset = Node.objects.visible_to(user, capability)
        if kinds:
            queryset = queryset.filter(kind__in=kinds)
        kwargs.setdefault("widget", PickerSelectMultiple(picker="nodes", kinds=kinds, capability=capability))
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.name


class UserPickerField(forms.ModelChoiceField):
    """A staff account within the user's scope."""

    def __init__(self, *, user, **kwargs):
        kwargs.setdefault("widget", PickerSelect(picker="users"))
        super().__init__(queryset=staff_users_visible_to(user), **kwargs)


class UserMultiplePickerField(forms.ModelMultipleChoiceField):
    def __init__(self, *, user, **kwargs):
        kwargs.setdefault("widget", PickerSelectMultiple(picker="users"))
        super().__init__(queryset=staff_users_visible_to(user), **kwargs)


def apply_action_errors(form: forms.Form, exc: ValidationError | PermissionDenied) -> None:
    """Show an action's refusal on the form: field messages beside their fields, the rest at the top."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or _("没有权限执行此操作"))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# -- GeoJSON ----------------------------------------------------------------------------------------------------
