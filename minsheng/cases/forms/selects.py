"""Select widgets that write their HTML in Python rather than through the form template engine.

Django draws a select with one template include per option (select.html → select_option.html → attrs.html): for
the workbench's filter bar, whose category select alone holds a hundred options, that was the largest single cost
of a list page (decision 0075). `QuickSelect.render` produces exactly the markup of Django's own templates
(tests/test_list_cost.py compares the two option by option), from the same `choices`, attrs and value handling.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


class QuickSelect(forms.Select):
    """forms.Select, rendered in Python: the same markup, several times faster for long option lists."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        wanted = set(self.format_value(value))
        multiple = self.allow_multiple_selected
        has_selected = False
        parts = [f'<select name="{conditional_escape(name)}"{_attrs(final)}>']
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, list | tuple)
            group = option_label if grouped else [(option_value, option_label)]
            named = grouped and bool(option_value)  # Django's template: {% if group_name %}
            if named:
                parts.append(f'\n  <optgroup label="{conditional_escape(option_value)}">')
            for sub_value, sub_label in group:
                selected = (not has_selected or multiple) and str(sub_value) in wanted
                has_selected |= selected
                parts.append(
                    f'\n  <option value="{conditional_escape(str(sub_value))}"'
                    f"{' selected' if selected else ''}>{conditional_escape(sub_label)}</option>\n"
                )
            if named:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")  # the form renderer strips the template's last newline
        return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


class OneOfMany(QuickSelect, forms.SelectMultiple):
    """One value picked in a plain select, read as the list a multiple-choice filter expects (?status=a&status=b
    links still work)."""

    allow_multiple_selected = False
