from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import navigation


def shell(request: HttpRequest) -> dict[str, Any]:
    """Values the base template needs on every page: the menu, the phone's bottom bar, the user's roles."""
    user: Any = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    nav = navigation.entries_for(user, request.get_full_path()) if signed_in else []
    bottom = navigation.bottom_bar(nav)
    return {
        "SITE_NAME": "民生",
        "DEBUG": settings.DEBUG,
        "nav_entries": nav,
        "nav_bottom": bottom,
        # 更多 is lit when the current page is in the menu but not in the bottom bar.
        "nav_more_active": any(i["active"] for i in nav) and not any(i["active"] for i in bottom),
        "user_roles": user.role_labels() if signed_in else [],
    }
