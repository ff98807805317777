"""What every staff page of the activities app shares: the capability gate and the nodes a user may act in."""

import functools

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.core.views import staff_required
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

PAGE_SIZE = 30

#: Where activities are put on: the 街道 itself and its 社区/村.
HOST_KINDS = [NodeKind.STREET, NodeKind.COMMUNITY, NodeKind.VILLAGE]


def activities_required(capability: str = Cap.ACTIVITIES_VIEW):
    def decorate(view):
        @functools.wraps(view)
        @staff_required
        def wrapper(request, *args, **kwargs):
            if not request.user.has_cap(capability):
                raise PermissionDenied(_("您没有活动与志愿服务的权限"))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def nodes_for(user, capability: str = Cap.ACTIVITIES_MANAGE):
    return (
        Node.objects.visible_to(user, capability)
        .filter(kind__in=HOST_KINDS)
        .defer("geometry")
        .order_by("path")
    )


def error_text(exc) -> str:
    """One Chinese sentence from an action's error, for a message on the page."""
    messages = getattr(exc, "messages", None)
    if messages:
        return "；".join(str(m) for m in messages)
    return str(exc) or _("操作失败")
