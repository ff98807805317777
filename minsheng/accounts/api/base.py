"""Building blocks every app's API shares: the capability gate, references scoped to the user, the acting user.

They sit with accounts because capabilities are defined here; nothing in them depends on another app.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from minsheng.accounts.choices import Cap
from minsheng.core.api_pagination import Pagination
from minsheng.core.context import current


class HasCapability(BasePermission):
    """A coarse gate: the user holds the view's capability somewhere.

    Which rows they read is decided by `visible_to`, and whether they may change one particular row by the action,
    which checks the capability at that row's node.
    """

    message = _("没有权限")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        capability = view.read_capability if request.method in SAFE_METHODS else view.write_capability
        return user.has_cap(capability)


class CapabilityViewMixin:
    """Mixed into every scoped API view: the capability gate, pagination, and the acting user for the audit log."""

    permission_classes = [HasCapability]
    pagination_class = Pagination
    read_capability = Cap.ORG_VIEW
    write_capability = Cap.ORG_CHANGE

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # The request middleware saw Django's user before DRF authenticated a token: changes made through the API
        # must be attributed to the token's owner.
        ctx = current()
        if ctx is not None:
            ctx.user = request.user

    def get_object(self):
        """One row through the user's scope (404 outside it, like a missing one); list filters do not apply."""
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        obj = get_object_or_404(self.get_queryset(), **lookup)
        self.check_object_permissions(self.request, obj)
        return obj


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id to a row the requesting user can see; any other id reads as "does not exist".

    So a client cannot learn which ids exist outside its scope by writing to them.
    """

    def __init__(self, capability: str = Cap.ORG_VIEW, **kwargs):
        self.capability = capability
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(getattr(request, "user", None), self.capability)
        return queryset
