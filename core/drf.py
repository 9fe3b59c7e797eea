"""DRF pieces every app's API uses: related-object choices through the caller's scope."""

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
