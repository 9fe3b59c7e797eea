from django import template

from grids.imports import fixes

register = template.Library()

# Whether the run's refused rows may be fixed on its page, and until when (grids/imports/fixes.py).
register.filter("fixable", fixes.fixable)
register.filter("keep_until", fixes.keep_until)
