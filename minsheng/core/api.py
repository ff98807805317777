"""API plumbing shared by every app: the exception handler mapping domain errors to HTTP statuses."""

import copy
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


class PrototypeFieldsMixin:
    """A serializer that builds its fields once per class, not once per instance.

    DRF deep-copies every declared field (querysets included) for each serializer instance, and a ModelSerializer
    also re-reads the model's fields to build its own: about a millisecond for a one-object answer on the intake
    path. Here the first instance's fields are kept as prototypes and each instance gets shallow copies, which
    `bind()` then ties to it. Fields holding a child field or serializer (lists, nested serializers) are still
    deep-copied: their child points back at its parent for the context (a request for absolute URLs).
    """

    def get_fields(self) -> dict[str, Any]:
        from rest_framework.fields import DictField, ListField
        from rest_framework.relations import ManyRelatedField
        from rest_framework.serializers import BaseSerializer

        cls = type(self)
        prototypes = cls.__dict__.get("_field_prototypes")
        if prototypes is None:
            prototypes = super().get_fields()  # type: ignore[misc]
            cls._field_prototypes = prototypes  # type: ignore[attr-defined]
        nested = (BaseSerializer, ManyRelatedField, ListField, DictField)
        return {
            name: copy.deepcopy(field) if isinstance(field, nested) else copy.copy(field)
            for name, field in prototypes.items()
        }
