from django import template

from cases import metrics

register = template.Library()


@register.filter
def percent(rate) -> str:
    """A rate as a percentage to one decimal, as the charts show it; nothing to count is a dash."""
    return "—" if rate is None else f"{metrics.points(rate)}%"
