"""The FilterSet every list inherits (page and API alike): one bounded integer filter and one strict date parser.

django-filter's NumberFilter takes any decimal (`1e30`, `-1.8e308`), which overflows the database driver, and its
date filters take year 1, which overflows on conversion to UTC: both answered 500. Here every whole-number filter
(ids above all) is a 64-bit integer written in digits, and every date and time goes through `core.parsing`, so
such input is a field error (400 in the API, a form error on pages). A list that really filters on a decimal
declares `DecimalFilter` explicitly.
"""

import copy
from typing import Any

import django_filters as df
from django import forms
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import filterset as rest_filterset

from . import parsing


class BoundedIntegerField(forms.IntegerField):
    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return parsing.parse_int(value)
        except parsing.InvalidValue as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class StrictDateField(forms.DateField):
    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return parsing.parse_date(value)
        except parsing.InvalidValue as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class StrictDateTimeField(forms.DateTimeField):
    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return parsing.parse_datetime(value)
        except parsing.InvalidValue as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class IntegerFilter(df.NumberFilter):
    """A whole number (an id, a year, a count) inside 64 bits."""

    field_class = BoundedIntegerField

    def get_max_validator(self) -> Any:
        return None


class DecimalFilter(df.NumberFilter):
    """A decimal, bounded so that the database can compare with it."""

    def get_max_validator(self) -> Any:
        from django.core.validators import MaxValueValidator

        return MaxValueValidator(10**15)


class DateFilter(df.DateFilter):
    field_class = StrictDateField


class DateTimeFilter(df.IsoDateTimeFilter):
    field_class = StrictDateTimeField


#: Filter classes replaced wherever they appear, declared or generated from `filterset_fields`.
_REPLACE = {
    df.NumberFilter: IntegerFilter,
    df.DateFilter: DateFilter,
    df.DateTimeFilter: DateTimeFilter,
    df.IsoDateTimeFilter: DateTimeFilter,
}
_FIELD_CLASSES = {
    IntegerFilter: BoundedIntegerField,
    DateFilter: StrictDateField,
    DateTimeFilter: StrictDateTimeField,
}

FILTER_DEFAULTS = copy.deepcopy(rest_filterset.FILTER_FOR_DBFIELD_DEFAULTS)
for _field in (
    models.AutoField,
    models.SmallIntegerField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
):
    FILTER_DEFAULTS[_field] = {"filter_class": IntegerFilter}
FILTER_DEFAULTS[models.DateField] = {"filter_class": DateFilter}
FILTER_DEFAULTS[models.DateTimeField] = {"filter_class": DateTimeFilter}
FILTER_DEFAULTS[models.DecimalField] = {"filter_class": DecimalFilter}
FILTER_DEFAULTS[models.FloatField] = {"filter_class": DecimalFilter}


def harden(filters: dict[str, Any]) -> None:
    """Give a filterset's (per-instance) filters the strict form fields, whatever class they were declared with."""
    for name, filter_ in filters.items():
        replacement = _REPLACE.get(type(filter_))
        if replacement is not None:
            filter_.__class__ = replacement
        field_class = _FIELD_CLASSES.get(type(filter_))
        if field_class is not None and not issubclass(filter_.field_class, field_class):
            filter_.field_class = field_class
        filters[name] = filter_


class FilterSet(rest_filterset.FilterSet):
    FILTER_DEFAULTS = FILTER_DEFAULTS

    @classmethod
    def get_filters(cls) -> Any:
        # Hardened on the class, so that the OpenAPI schema (read from the class) says "integer" too.
        filters = super().get_filters()
        harden(filters)
        return filters


class FilterBackend(DjangoFilterBackend):
    """The API's filter backend: lists declared with `filterset_fields` get the hardened FilterSet, and a
    filterset class that does not inherit it is hardened per request all the same."""

    filterset_base = FilterSet

    def get_filterset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            harden(filterset.filters)
        return filterset
