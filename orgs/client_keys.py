"""Client keys: how another system (the 12345 hotline platform, a department's own case system)
calls the API, presented as `Authorization: Bearer ggc_…` like a personal token.

Each key has a service account of its own holding one post, district staff of its district or an
officer of its department, so every service decides what the key may do and see exactly as for a
person in that post; its audit rows name the key beside the post (core.audit). Stored, expired and
revoked like personal tokens (core.models.ApiCredential); issued and revoked by the district's
command centre for its district and the district's departments, by system admins for any, and by
`manage.py create_client_key`.
"""

import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from core import request_context
from core.api_tokens import CLIENT, KEYWORDS, PREFIX_LENGTH, digest, note_use
from core.audit import record
from core.capabilities import Capability
from core.scope import Scope, scope_for
from grids.models import ROOT_KINDS, Area
from orgs.models import ClientKey, Department, Post, Role

DEFAULT_DAYS = 365


def _keeper_areas(scope: Scope) -> list[Area]:
    return [
        post.area
        for post in scope.posts
        if post.area_id and Capability.KEEP_CLIENT_KEYS in scope.role_capabilities.get(post.role, ())
    ]


def _under(prefix: str, area: Area) -> Q:
    return Q(**{f"{prefix}tree_id": area.tree_id, f"{prefix}lft__gte": area.lft, f"{prefix}lft__lte": area.rght})


def keys_q(scope: Scope) -> Q:
    """The keys the scope keeps: a system admin's all; district staff's those of their district and
    of the departments whose jurisdiction lies in it."""
    if scope.unrestricted:
        return Q()
    q = Q(pk__in=[])
    for area in _keeper_areas(scope):
        q |= _under("district__", area) | _under("department__jurisdiction__", area)
    return q


def client_keys(scope: Scope) -> QuerySet[ClientKey]:
    return ClientKey.objects.filter(keys_q(scope)).select_related("district", "department", "created_by")


def may_keep(scope: Scope) -> bool:
    return scope.unrestricted or bool(_keeper_areas(scope))


def districts_for(scope: Scope) -> QuerySet[Area]:
    districts = Area.objects.unscoped("narrowed to the keeper's own districts below").filter(
        kind__in=sorted(ROOT_KINDS)
    )
    if scope.unrestricted:
        return districts
    q = Q(pk__in=[])
    for area in _keeper_areas(scope):
        q |= _under("", area)
    return districts.filter(q)


def departments_for(scope: Scope) -> QuerySet[Department]:
    departments = Department.objects.unscoped("narrowed to the keeper's own districts below")
    if scope.unrestricted:
        return departments
    q = Q(pk__in=[])
    for area in _keeper_areas(scope):
        q |= _under("jurisdiction__", area)
    return departments.filter(q)


def _capacity(scope: Scope, place: Area) -> str:
    capacity = scope.capacity(Capability.KEEP_CLIENT_KEYS, at=place)
    if capacity is None:
        raise PermissionDenied(_("只有系统管理员和本区指挥中心可以签发接入密钥"))
    return capacity


@transaction.atomic
def create_client_key(
    *,
    actor,
    name: str,
    expires_on: date,
    district: Area | None = None,
    department: Department | None = None,
    secret: str | None = None,
) -> tuple[ClientKey, str]:
    """A new key for one district or one department, and its secret, returned this once and kept
    nowhere. `secret` is for the demo's published key only."""
    if (district is None) == (department is None):
        raise ValidationError(_("接入密钥须属于一个区县或一个部门,二者选一"), code="invalid")
    if district is not None and district.kind not in ROOT_KINDS:
        raise ValidationError({"district": _("须为区、县或县级市")}, code="invalid")
    capacity = _capacity(scope_for(actor), district or department.jurisdiction)
    secret = secret or CLIENT + secrets.token_urlsafe(32)
    prefix = secret[:PREFIX_LENGTH]
    key = ClientKey(
        name=name,
        prefix=prefix,
        digest=digest(secret),
        expires_on=expires_on,
        district=district,
        department=department,
        created_by=actor if isinstance(actor, get_user_model()) else None,
    )
    key.full_clean(exclude=["account"])
    account = get_user_model()(username=f"client.{prefix}", first_name=name[:150])
    account.set_unusable_password()
    account.save()
    post = Post(
        user=account,
        holder_name=name[:50],
        role=Role.DISTRICT_STAFF if district else Role.DEPARTMENT_OFFICER,
        area=district,
        department=department,
        start=timezone.localdate(),
    )
    post.full_clean()
    post.save()
    key.account = account
    key.save()
    record(
        actor=actor,
        action="auth.client_key_created",
        target=key,
        fields=["name", "expires_on", "district" if district else "department"],
        capacity=capacity,
        username=account.username,
    )
    return key, secret


@transaction.atomic
def revoke_client_key(*, actor, key_id: int) -> ClientKey:
    """The key stops working at once and its account's post ends; a key the actor does not keep
    is a 404. Revoking twice changes nothing and records nothing."""
    scope = scope_for(actor)
    key = get_object_or_404(ClientKey.objects.filter(keys_q(scope)).select_for_update(of=("self",)), pk=key_id)
    if key.revoked_at is None:
        capacity = _capacity(scope, key.district or key.department.jurisdiction)
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        get_user_model().objects.filter(pk=key.account_id).update(is_active=False)
        Post.objects.unscoped("the revoked key's own service account").filter(
            user_id=key.account_id, end__isnull=True
        ).update(end=timezone.localdate())
        record(
            actor=actor,
            action="auth.client_key_revoked",
            target=key,
            fields=["revoked_at"],
            capacity=capacity,
            username=key.account.get_username(),
        )
    return key


def authenticate_secret(secret: str) -> ClientKey:
    """The key whose secret this is, if it still works, noted as used and named in the request's
    audit rows; else AuthenticationFailed. For the Authorization header below and for Open311's
    `api_key` parameter (cases.open311) alike."""
    key = ClientKey.objects.select_related("account", "district").filter(digest=digest(secret)).first()
    if key is None:
        raise exceptions.AuthenticationFailed(gettext_lazy("密钥无效"), code="key_invalid")
    if key.is_revoked or not key.account.is_active:
        raise exceptions.AuthenticationFailed(gettext_lazy("密钥已撤销"), code="key_revoked")
    if key.is_expired:
        raise exceptions.AuthenticationFailed(gettext_lazy("密钥已过期"), code="key_expired")
    note_use(key)
    request_context.name_client_key(key.prefix)
    return key


class ClientKeyAuthentication(BaseAuthentication):
    """Takes `Bearer ggc_…` only; every other Authorization falls through to the personal tokens.
    The request is then its service account's, and its audit rows name the key."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() not in KEYWORDS or not parts[1].startswith(CLIENT.encode()):
            return None
        key = authenticate_secret(parts[1].decode("ascii", errors="replace"))
        return key.account, key

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ClientKeyScheme(OpenApiAuthenticationExtension):
    target_class = ClientKeyAuthentication
    name = "clientKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "对接系统的接入密钥(`ggc_` 开头,属于一个区县或一个部门),由区指挥中心或系统管理员签发",
        }
