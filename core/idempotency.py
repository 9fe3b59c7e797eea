"""Idempotency-Key on every create of the API, after Stripe's design: a client that is not sure its
POST arrived sends it again with the same key and gets the first answer back, not a second record.

The key is the client's: a person's (session or personal token) or a client key's, which signs in
as a service account of its own. The same key and body from the same client within
IDEMPOTENCY_KEY_HOURS replay the first answer (with `Idempotent-Replayed: true`); the same key with
another body is a 422. Only a successful create is kept: one refused (a 4xx) keeps nothing, so the
client may correct it and send it again under the same key.

Two requests with one key at the same moment: the first claims the key by inserting its row in
the transaction that creates the record, so the second's insert waits on the unique index until
the first commits, then finds the row and replays its answer (or, if the first rolled back, claims
the key itself). One record either way, on PostgreSQL as on SQLite.
"""

import datetime
import functools
import hashlib
import json
import uuid

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.UUID,
    OpenApiParameter.HEADER,
    required=False,
    description="重发同一请求时带上同一个UUID:同一客户端、同一键、同一请求体返回第一次的响应而不再新建;"
    "同一键换了请求体为422。键在 IDEMPOTENCY_KEY_HOURS 小时后失效",
)


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "key_reused"
    default_detail = _("该幂等键已用于另一个请求")


def _file_digest(value):
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": digest.hexdigest()}
    return str(value)


def fingerprint(request) -> str:
    """The endpoint and the body as parsed, so a form sent again with a new multipart boundary, or
    JSON with its keys in another order, is the same request; an upload counts by its content."""
    data = request.data
    body = sorted(data.lists()) if hasattr(data, "lists") else data
    text = json.dumps([request.method, request.path, body], sort_keys=True, default=_file_digest, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def key_of(request) -> uuid.UUID | None:
    raw = request.headers.get(HEADER)
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ValidationError({HEADER: [_("须为UUID")]}, code="invalid") from None


def _expired():
    return IdempotentRequest.objects.filter(
        created_at__lt=timezone.now() - datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    )


def drop_expired() -> int:
    return _expired().delete()[0]


def _claim(user, key: uuid.UUID, digest: str) -> tuple[IdempotentRequest, bool]:
    """This client's row for the key, and whether this request made it (and so must do the work)."""
    # The client's expired keys go first, so an old key starts afresh.
    _expired().filter(user=user).delete()
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(user=user, key=key, fingerprint=digest), True
    except IntegrityError:
        # Another request under this key committed first (we waited for it on the unique index).
        return IdempotentRequest.objects.get(user=user, key=key), False


def idempotent(create):
    """For a viewset's create: honours the Idempotency-Key header as described above."""

    @functools.wraps(create)
    def honoured(self, request, *args, **kwargs):
        key = key_of(request)
        if key is None:
            return create(self, request, *args, **kwargs)
        digest = fingerprint(request)
        with transaction.atomic():
            claim, mine = _claim(request.user, key, digest)
            if not mine:
                if claim.fingerprint != digest:
                    raise KeyReused({HEADER: [KeyReused.default_detail]})
                answer = json.loads(claim.response_body)
                return Response(answer, status=claim.response_status, headers={REPLAYED: "true"})
            response = create(self, request, *args, **kwargs)
            if not status.is_success(response.status_code):
                transaction.set_rollback(True)  # the key stays free for the corrected request
                return response
            claim.response_status = response.status_code
            claim.response_body = JSONRenderer().render(response.data).decode()
            claim.save(update_fields=["response_status", "response_body"])
        return response

    honoured.idempotent = True  # tests/api/test_idempotency.py finds every create wearing it
    return honoured
