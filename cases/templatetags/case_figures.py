import datetime

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


_DEADLINE_LABELS = {
    "response_due": gettext_lazy("响应期限"),
    "resolution_due": gettext_lazy("办结期限"),
    "dispatch_due": gettext_lazy("派遣期限"),
}


def _local(value: str | None) -> str:
    moment = parse_datetime(value) if value else None
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if isinstance(moment, datetime.datetime) else "—"


@register.filter
def moved_deadlines(event) -> list[str]:
    """What a correction (or an escalation replacing a running clock) did to the deadlines, old to
    new, and whether the old one had already passed: no deadline moves without the timeline saying so."""
    data = event.data or {}
    moved = dict(data.get("deadlines") or {})
    if data.get("dispatch_due_was"):
        moved["dispatch_due"] = [data["dispatch_due_was"], data.get("dispatch_due")]
    lines = []
    for which, (old, new) in moved.items():
        line = _("%(label)s:%(old)s → %(new)s") % {
            "label": _DEADLINE_LABELS[which],
            "old": _local(old),
            "new": _local(new),
        }
        if which in (data.get("passed") or ()):
            line += _("(原期限已过)")
        lines.append(line)
    return lines
