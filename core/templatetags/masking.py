from django import template

from core import masking

register = template.Library()

register.filter("mask_citizen_id", masking.mask_citizen_id)
register.filter("mask_phone", masking.mask_phone)
