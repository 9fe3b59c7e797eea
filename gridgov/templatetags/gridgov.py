from django import template

from gridgov import masking

register = template.Library()

register.filter("mask_citizen_id", masking.mask_citizen_id)
register.filter("mask_phone", masking.mask_phone)


@register.filter
def percent(rate) -> str:
    """A rate of 0–1 as a percentage to one decimal; a rate with nothing to count as a dash."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}%"
