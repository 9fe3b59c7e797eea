from django import template

from core.scope import scope_for
from gridgov.navigation import menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def menu(context):
    """The menu entries the signed-in user may open, the current page's marked."""
    request = context.get("request")
    if request is None or not hasattr(request, "user"):
        return []
    scope = getattr(request, "scope", None) or scope_for(request.user)
    current = request.resolver_match.view_name if request.resolver_match else ""
    return [
        (entry, entry.url_name == current and (not entry.args or entry.url == request.path))
        for entry in menu_for(scope, request.user)
    ]


@register.filter
def records(entries):
    """The menu's record-keeping entries, shown together in one dropdown."""
    return [(entry, current) for entry, current in entries if entry.records]
