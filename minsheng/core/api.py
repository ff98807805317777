"""API plumbing shared by every app: the exception handler mapping domain errors to HTTP statuses."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.metadata import SimpleMetadata
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import IllegalTransition


class Metadata(SimpleMetadata):
    """OPTIONS: DRF asks a PUT-able view for its object to test permissions, which a list-level action (such as
    the caller's notification preferences) has none of: that answered 500."""

    def determine_actions(self, request: Any, view: Any) -> Any:
        if getattr(view, "detail", None) is False:
            view.get_object = lambda: None
        return super().determine_actions(request, view)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": _("请求体过大")}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IllegalTransition):
        return Response({"detail": str(exc), "code": "illegal_transition"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        data = exc.message_dict if hasattr(exc, "message_dict") else {"detail": exc.messages}
        if "__all__" in data:  # whole-record errors look like every other API's non-field errors
            data["non_field_errors"] = data.pop("__all__")
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": str(exc) or "没有权限"}, status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)
