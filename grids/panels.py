"""What the apps above places show on places' pages, without places knowing them.

Places are the ground the structure hangs on: an area has posts, a household has party members
who live in it or look after it. Those belong to orgs, which imports grids, never the other way.
So a grids page asks this registry for the context of a page (`context(AREA, scope, area)`),
and orgs fills it in when the apps load (`provide(AREA, posts_at)` in its AppConfig.ready()).
A provider takes the caller's scope and the object the page shows, and returns template context.
"""

from collections.abc import Callable
from typing import Any

from core.scope import Scope

AREA = "area"
HOUSEHOLD = "household"
# A building's public QR page (cases' resident form): the caller is a resident, scope NOBODY.
PLATE = "plate"

Provider = Callable[[Scope, Any], dict[str, Any]]
_providers: dict[str, list[Provider]] = {}


def provide(page: str, provider: Provider) -> None:
    """Called once per provider when the apps load; registering the same provider twice is a no-op."""
    registered = _providers.setdefault(page, [])
    if provider not in registered:
        registered.append(provider)


def context(page: str, scope: Scope, obj: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for provider in _providers.get(page, ()):
        merged.update(provider(scope, obj))
    return merged
