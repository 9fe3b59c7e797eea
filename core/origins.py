"""Where an object came from, when an app above it made it: a case, a need or a service project
raised by a meeting's decision names the meeting on its page, without the app below knowing the
one above (the same one-way trick as grids.panels). Registered per model when the apps load; a
provider takes the caller's scope and the object and returns (label, text, url) rows, each read in
one query whatever the data, and the pages show them."""

from collections.abc import Callable
from typing import Any

from core.scope import Scope

Origin = tuple[str, str, str]  # (what it came from, its name, the page that shows it)
Provider = Callable[[Scope, Any], list[Origin]]
_providers: dict[type, list[Provider]] = {}


def provide(model: type, provider: Provider) -> None:
    """Called once per provider when the apps load; registering the same provider twice is a no-op."""
    registered = _providers.setdefault(model, [])
    if provider not in registered:
        registered.append(provider)


def of(scope: Scope, obj: Any) -> list[Origin]:
    return [row for provider in _providers.get(type(obj), ()) for row in provider(scope, obj)]
