"""DRF pieces every app's API uses: related-object choices through the caller's scope, pages
without a COUNT, and read-only rows written without DRF's per-field dispatch."""

import inspect
from operator import attrgetter

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


# The output of a ModelSerializer whose every readable field is a plain model value, a related
# row's primary key or a list of them: each row written by one reader per field, chosen once per
# class from DRF's own fields.
#
# DRF builds the serializer's fields for every response (copying each declared one and mapping
# each model field again) and then passes every value of every row through `get_attribute`,
# its callable and None checks and `to_representation`. For plain fields the reader reads the
# attribute and calls the field's own `to_representation`; a foreign key is its `_id` column. A
# field of any other kind, or a serialiser that decides its fields per instance, is refused with
# ImproperlyConfigured at its first response (tests/cases/test_plain_rows.py makes every one
# answer), so the output is DRF's to the character. A row that lacks an attribute goes through
# DRF itself, which skips such a field. The readers belong to the class and are built from an
# instance of their own, with no request: none of them holds or reads a caller's.
# (A comment, not a docstring: the OpenAPI schema would give every such serialiser this text.)
class PlainRows:
    def to_representation(self, instance):
        readers = type(self).__dict__.get("_readers")
        if readers is None:
            readers = _readers(type(self))
            type(self)._readers = readers
        try:
            return {name: read(instance) for name, read in readers}
        except AttributeError:
            return super().to_representation(instance)


def _readers(serializer: type) -> tuple:
    if serializer.get_fields is not serializers.ModelSerializer.get_fields or "__init__" in vars(serializer):
        raise ImproperlyConfigured(f"{serializer.__name__}: PlainRows needs the same fields for every instance")
    model = serializer.Meta.model
    readers = []
    for name, field in serializer().fields.items():
        if field.write_only:
            continue
        if len(field.source_attrs) != 1 or inspect.isfunction(getattr(model, field.source, None)):
            raise ImproperlyConfigured(f"{serializer.__name__}.{name}: PlainRows reads one plain attribute per field")
        readers.append((name, _reader(serializer, name, field, model)))
    return tuple(readers)


def _reader(serializer: type, name: str, field: serializers.Field, model):
    source = field.source
    if isinstance(field, serializers.ManyRelatedField) and _is_plain_pk(field.child_relation):
        return lambda row: [] if row.pk is None else [item.pk for item in getattr(row, source).all()]
    if _is_plain_pk(field):
        return attrgetter(model._meta.get_field(source).attname)
    if not _is_plain_value(field):
        raise ImproperlyConfigured(f"{serializer.__name__}.{name}: {type(field).__name__} is not a plain field")
    represent, read = field.to_representation, attrgetter(source)

    def value(row):
        got = read(row)
        return None if got is None else represent(got)

    return value


def _is_plain_value(field: serializers.Field) -> bool:
    """One of DRF's own value fields, read as DRF reads it, whose output needs no request (a file's
    URL is built from the request's host)."""
    if isinstance(field, serializers.ListField | serializers.DictField):
        return _is_plain_value(field.child)
    return (
        type(field).__module__ == serializers.Field.__module__
        and not isinstance(field, serializers.FileField)
        and type(field).get_attribute is serializers.Field.get_attribute
    )


def _is_plain_pk(field) -> bool:
    """A primary key DRF writes as the related row's `pk`, read from the foreign key's column."""
    return (
        isinstance(field, serializers.PrimaryKeyRelatedField)
        and field.pk_field is None
        and type(field).to_representation is serializers.PrimaryKeyRelatedField.to_representation
        and type(field).get_attribute is serializers.RelatedField.get_attribute
    )


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key whose choices are the caller's scope of the model (`Model.objects.within(scope)`):
    an id outside it is refused exactly like one that does not exist. `narrow`, if given, takes
    (queryset, serializer context) and narrows it further (say, to the case's own district)."""

    def __init__(self, model, *, narrow=None, **kwargs):
        self.model = model
        self.narrow = narrow
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = self.model.objects.within(self.context["request"].scope)
        return self.narrow(queryset, self.context) if self.narrow else queryset


# The largest id a bigint column holds. A larger number in a query is a 400 here, not an
# OverflowError from SQLite's driver (a 500).
MAX_ID = 2**63 - 1
# Path ids: at most 18 digits always fit under MAX_ID; anything else fails to resolve (404).
ID_PATH_PATTERN = "[0-9]{1,18}"


class IdFilter(filters.NumberFilter):
    """Filter on a related row's id: a whole number from 1 to MAX_ID, else a 400.

    Unlike a ModelChoiceFilter it reads no table to validate, so no unscoped read of a guarded
    model; an id outside the caller's scope finds nothing, as the list is scoped already."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UncountedPagination(PageNumberPagination):
    """Pages of `page_size` with next and previous links but no `count`: a COUNT over a city's
    residents would cost more than the page itself. One row past the page says whether another
    follows. Lists that grow without bound use keyset pagination instead (the case list)."""

    max_page = 10_000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        raw = request.query_params.get(self.page_query_param, "1")
        if not raw.isdecimal() or not 1 <= int(raw) <= self.max_page:
            raise NotFound(_("无效页码"))
        self.number = int(raw)
        size = self.get_page_size(request)
        start = (self.number - 1) * size
        rows = list(queryset[start : start + size + 1])
        if not rows and self.number > 1:
            raise NotFound(_("无效页码"))
        self.has_next = len(rows) > size
        return rows[:size]

    def _link(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.number + 1) if self.has_next else None,
                "previous": self._link(self.number - 1) if self.number > 1 else None,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"].pop("count", None)
        described["required"] = [name for name in described.get("required", []) if name != "count"]
        return described
