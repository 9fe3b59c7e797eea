"""DRF pieces every app's API uses: related-object choices through the caller's scope, and pages
without a COUNT."""

from django import forms
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


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
