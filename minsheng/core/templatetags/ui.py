"""Template helpers of the workbench shell: `{% icon %}`, `{% audit_history %}`, `{% kind_badge %}`, `{% url_or %}`.

Load with `{% load ui %}`.
"""

from typing import Any

from django import template
from django.template import Context
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from minsheng.core.badges import Colour

register = template.Library()

# Line icons drawn for this project on a 24×24 grid (stroke only, so they take the text colour).
_ICONS = {
    "inbox": '<path d="M4 13l2.5-8h11L20 13v6H4z"/><path d="M4 13h5l1 2h4l1-2h5"/>',
    "chart": '<path d="M4 20V4M4 20h16"/><path d="M8 16v-5M12 16V8M16 16v-3"/>',
    "home": '<path d="M3 11l9-7 9 7"/><path d="M5 10v10h5v-6h4v6h5V10"/>',
    "tree": '<rect x="9" y="3" width="6" height="5" rx="1"/><rect x="3" y="16" width="6" height="5" rx="1"/>'
    '<rect x="15" y="16" width="6" height="5" rx="1"/><path d="M12 8v4M6 16v-4h12v4"/>',
    "grid": '<rect x="3" y="3" width="18" height="18" rx="2"/><path d="M3 9h18M3 15h18M9 3v18M15 3v18"/>',
    "map": '<path d="M3 6l6-2 6 2 6-2v14l-6 2-6-2-6 2z"/><path d="M9 4v14M15 6v14"/>',
    "people": '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20c.8-3.5 3.4-5.5 6.5-5.5s5.7 2 6.5 5.5"/>'
    '<circle cx="17" cy="9" r="2.5"/><path d="M16.5 14.2c2.6.1 4.4 2 5 4.8"/>',
    "house": '<path d="M4 10l8-6 8 6v10H4z"/><path d="M10 20v-5h4v5"/>',
    "flag": '<path d="M5 21V4"/><path d="M5 4h12l-2 4 2 4H5"/>',
    "building": '<rect x="5" y="3" width="14" height="18" rx="1"/><path d="M3 21h18M9 7h2M13 7h2M9 11h2M13 11h2'
    'M9 15h2M13 15h2"/>',
    "link": '<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1"/>'
    '<path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"/>',
    "sheet": '<rect x="4" y="3" width="16" height="18" rx="2"/><path d="M4 9h16M4 15h16M10 9v12"/>',
    "bell": '<path d="M6 16v-5a6 6 0 0 1 12 0v5l2 2H4z"/><path d="M10 20a2 2 0 0 0 4 0"/>',
    "gear": '<path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0"/><circle cx="16" cy="6" r="2"/>'
    '<circle cx="10" cy="12" r="2"/><circle cx="18" cy="18" r="2"/>',
    "more": '<circle cx="5" cy="12" r="1.5"/><circle cx="12" cy="12" r="1.5"/><circle cx="19" cy="12" r="1.5"/>',
    "logout": '<path d="M15 4h4v16h-4"/><path d="M10 8l-4 4 4 4M6 12h10"/>',
    "search": '<circle cx="11" cy="11" r="6"/><path d="M20 20l-4.5-4.5"/>',
    "chevron": '<path d="M9 6l6 6-6 6"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "edit": '<path d="M4 20h4L19 9l-4-4L4 16z"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21c1-4 4-6 8-6s7 2 8 6"/>',
    "globe": '<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18"/>',
    "pin": '<path d="M12 21s-7-6.5-7-12a7 7 0 0 1 14 0c0 5.5-7 12-7 12z"/><circle cx="12" cy="9" r="2.5"/>',
}


@register.simple_tag
def icon(name: str, extra_class: str = "") -> SafeString:
    body = _ICONS.get(name, _ICONS["more"])
    cls = f"icon {extra_class}".strip()
    return format_html(
        '<svg class="{}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" '
        'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">{}</svg>',
        cls,
        mark_safe(body),  # noqa: S308 — constant markup defined above
    )


@register.simple_tag
def url_or(url_name: str, *args: Any, default: str = "") -> str:
    """`reverse()` that yields `default` when the page does not exist (yet): links to other apps' pages."""
    try:
        return reverse(url_name, args=args)
    except NoReverseMatch:
        return default


@register.inclusion_tag("core/_audit_history.html", takes_context=True)
def audit_history(context: Context, obj: Any, revealed: bool = False) -> dict[str, Any]:
    """`{% audit_history obj revealed %}`: the object's change history, if the viewer may read it (see
    can_view_history); personal fields unmasked only on an audited reveal (`revealed` true)."""
    from minsheng.core.views import audit_entries_for

    request = context.get("request")
    user = getattr(request, "user", None)
    return {"entries": audit_entries_for(obj, user, revealed=bool(revealed)) if user is not None else None}


@register.simple_tag
def kind_badge(node: Any) -> SafeString:
    """A coloured badge with an org node's kind (街道, 社区, 小区 …)."""
    colour = getattr(node, "kind_colour", Colour.GRAY)
    return format_html('<span class="badge badge-{}">{}</span>', colour, node.get_kind_display())
