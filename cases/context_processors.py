from django.utils.functional import SimpleLazyObject

from cases import selectors
from core.scope import Scope


def unread_notifications(request) -> dict:
    """The header's unread count, read only where a page shows it (signed-in pages)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(Scope(user=user)))}
