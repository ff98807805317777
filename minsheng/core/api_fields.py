"""Serializer fields built once per class (the intake's hot path, decision 0064).

A module of its own: `core.api` is loaded by DRF's settings (its Metadata class), so a serializer module importing
from there could run into a circular import.
"""

import copy
from typing import Any


# A serializer that builds its fields once per class, not once per instance.
#
# DRF deep-copies every declared field (querysets included) for each serializer instance, and a ModelSerializer
# also re-reads the model's fields to build its own: about a millisecond for a one-object answer on the intake
# path. Here the first instance's fields are kept as prototypes and each instance gets shallow copies, which
# `bind()` then ties to it. Fields holding a child field or serializer (lists, nested serializers) are still
# deep-copied: their child points back at its parent for the context (a request for absolute URLs).
#
# (A comment, not a docstring: the OpenAPI schema would take it as every using serializer's description.)
class PrototypeFieldsMixin:
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
