"""DRF pieces every app's API uses: related-object choices through the caller's scope."""

from django import forms
from django_filters import rest_framework as filters
from rest_framework import serializers


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
