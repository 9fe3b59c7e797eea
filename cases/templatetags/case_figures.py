from django import template

from cases import metrics
from cases.models import Colour, Level, Status

register = template.Library()


@register.filter
def percent(rate) -> str:
    """A rate as a percentage to one decimal, as the charts show it; nothing to count is a dash."""
    return "—" if rate is None else f"{metrics.points(rate)}%"


# A list's labels, looked up in the choices enum: Model.get_FOO_display rebuilds a dict of the
# field's lazy choices on every call, which was most of what a 30-row list spent per row.
@register.filter
def status_label(value: str) -> str:
    return Status(value).label


@register.filter
def colour_label(value: str) -> str:
    return Colour(value).label


@register.filter
def level_label(value: str) -> str:
    return Level(value).label
