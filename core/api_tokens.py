"""Personal API tokens: made and revoked by their user on the account page, presented by a script
as `Authorization: Bearer <token>` (or `Token <token>`), and then the request is the user's own,
so every scope check applies as on the user's pages.

A token is `ggp_` and 43 random URL-safe characters; only its sha256 is kept, with its first 12
characters to tell tokens apart. The `ggp_` marks a personal token, so a client key of another
kind can sit beside it with a marker of its own, and a secret pasted where it should not be is
easy to recognise and search for.
"""

import hashlib
import secrets
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from core.audit import record
from core.models import ApiCredential, ApiToken

PERSONAL = "ggp_"
# A client key's marker (orgs.client_keys), whose authentication comes first and takes those.
CLIENT = "ggc_"
PREFIX_LENGTH = 12
DEFAULT_DAYS = 90
# A token's last use is written at most this often: one UPDATE per token every few minutes,
# not one per request of a busy script.
LAST_USED_EVERY = timedelta(minutes=5)
KEYWORDS = (b"bearer", b"token")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user):
    """The user's own tokens, newest first: an account page shows nobody else's."""
    return ApiToken.objects.filter(user=user)


@transaction.atomic
def create_api_token(*, actor, name: str, expires_on: date) -> tuple[ApiToken, str]:
    """A new token of the actor's, and its secret, which is returned this once and kept nowhere."""
    secret = PERSONAL + secrets.token_urlsafe(32)
    token = ApiToken(user=actor, name=name, prefix=secret[:PREFIX_LENGTH], digest=digest(secret), expires_on=expires_on)
    token.full_clean()
    token.save()
    record(
        actor=actor,
        action="auth.api_token_created",
        target=token,
        fields=["name", "expires_on"],
        username=actor.get_username(),
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, actor, token_id: int) -> ApiToken:
    """The actor's token stops working at once; another user's is a 404, as if it did not exist.
    Revoking twice changes nothing and records nothing."""
    token = get_object_or_404(tokens_of(actor).select_for_update(), pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            actor=actor,
            action="auth.api_token_revoked",
            target=token,
            fields=["revoked_at"],
            username=actor.get_username(),
        )
    return token


def note_use(token: ApiCredential) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    # Conditional, so two requests at once write it once.
    type(token).objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    ).update(last_used_at=now)


class ApiTokenAuthentication(BaseAuthentication):
    """First of the API's authentication classes, so a refusal is a 401 naming the Bearer scheme.

    A token request carries no session and so needs no CSRF token; a request without an
    Authorization header falls through to the session, whose writes keep their CSRF check."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确"), code="token_malformed")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确"), code="token_malformed") from None
        token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("令牌无效"), code="token_invalid")
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(_("令牌已撤销"), code="token_revoked")
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("令牌已过期"), code="token_expired")
        # As a session is held at the password page, a token stops with its owner's password age.
        from core.passwords import password_expired  # it imports DRF, whose settings import this

        if password_expired(token.user):
            raise exceptions.AuthenticationFailed(
                _("密码已过期,请登录网页修改密码后再使用令牌"), code="password_expired"
            )
        note_use(token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Names the token scheme in the OpenAPI schema's securitySchemes."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "个人API令牌(账号菜单 → API令牌),也可写作 `Authorization: Token <令牌>`",
        }
