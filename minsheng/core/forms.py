"""What every app's pages share about forms: putting an action's refusal onto the form that asked for it."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def apply_action_errors(form: forms.BaseForm, exc: ValidationError | PermissionDenied) -> None:
    """Show an action's refusal on the form: field messages beside their fields (a field the form does not have
    goes to the top), a refused right or a message for the whole record at the top."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or _("没有权限执行此操作"))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
