"""Sessions that end: an idle timeout, an absolute lifetime, and ending a user's sessions when
they log out, change their password, are disabled or leave their last post (等保 2.0 level 3)."""

import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.db.models.signals import post_save
from django.dispatch import receiver

STARTED = "gridgov_started"
SEEN = "gridgov_seen"
# Marking the session as seen on every request would write it on every request; a minute's
# slack on a thirty-minute timeout is the price of writing it at most once a minute.
SEEN_RESOLUTION = 60


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from core.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        obj = super().create_model_instance(data)
        try:
            obj.user_id = int(data.get(auth.SESSION_KEY))
        except (TypeError, ValueError):
            obj.user_id = None
        return obj


def end_sessions(user, *, keep: str | None = None) -> int:
    """Delete every session of this user except the one whose key is `keep`."""
    from core.models import UserSession

    rows = UserSession.objects.filter(user_id=user.pk)
    if keep:
        rows = rows.exclude(session_key=keep)
    return rows.delete()[0]


@receiver(user_logged_in)
def _stamp_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED] = request.session[SEEN] = now


@receiver(user_logged_out)
def _end_all_on_logout(sender, request, user, **kwargs):
    if user is not None:
        end_sessions(user)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _end_all_when_disabled(sender, instance, **kwargs):
    if not instance.is_active:
        end_sessions(instance)


class SessionLifetimeMiddleware:
    """Log out a session idle longer than SESSION_IDLE_MINUTES or older than SESSION_MAX_HOURS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and self._expired(request.session):
            # Only this session ends (flush, not logout: an idle phone must not end the desk's
            # session); the request goes on anonymous, so pages send it to log in and the API 403s.
            request.session.flush()
            request.user = AnonymousUser()
        return self.get_response(request)

    @staticmethod
    def _expired(session) -> bool:
        now = int(time.time())
        started = session.get(STARTED)
        seen = session.get(SEEN)
        if started is None or seen is None:
            # A session from before these stamps existed: start counting now.
            session[STARTED] = session[SEEN] = now
            return False
        if now - seen > settings.SESSION_IDLE_MINUTES * 60:
            return True
        if now - started > settings.SESSION_MAX_HOURS * 3600:
            return True
        if now - seen >= SEEN_RESOLUTION:
            session[SEEN] = now
        return False
