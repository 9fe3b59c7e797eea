from django import template
from django.utils.translation import gettext as _

from cases import metrics
from cases.models import Colour, Level, Status
from orgs.models import Role

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


@register.filter
def capacity(event) -> str:
    """Who the actor was when they took the step: the post's role and where or for whom they hold it
    (网格员 · 网格A, 部门工作人员 · 城管局, 居民, 系统), not the case's department."""
    role = event.actor_role
    label = {"resident": _("居民"), "system": _("系统"), "admin": _("管理员")}.get(role)
    if label is None:
        label = Role(role).label if role in Role.values else role
    places = [p.name for p in (event.actor_area, event.actor_department) if p is not None]
    return " · ".join([str(label), *places])
