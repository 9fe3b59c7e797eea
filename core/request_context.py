"""Who is asking, for the audit log: the request id and the client address of the request being served.

The top floor's middleware binds them; `core.audit.record` reads them, so the ground floor never
imports the project package and a service called outside a request (a command, a task) records
neither.
"""

import dataclasses
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from ipaddress import ip_address

from django.conf import settings


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    client_address: str | None
    # The prefix of the client key the request came with (orgs.client_keys), named in its audit rows.
    client_key: str = ""


_current: ContextVar[RequestContext | None] = ContextVar("audit_request", default=None)
# A proxy's id is taken only if it looks like one: it ends up in the log and in a response header.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current() -> RequestContext | None:
    return _current.get()


def name_client_key(prefix: str) -> None:
    """Called by the API's authentication once it knows the caller is a client key. The context
    the middleware bound is replaced, not changed, so its reset at the end of the request undoes this too."""
    context = _current.get()
    if context is not None:
        _current.set(dataclasses.replace(context, client_key=prefix))


@contextmanager
def bound(context: RequestContext) -> Iterator[RequestContext]:
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def _valid_ip(value: str) -> str | None:
    try:
        return str(ip_address(value.strip()))
    except ValueError:
        return None


def _from_trusted_proxy(meta) -> bool:
    return meta.get("REMOTE_ADDR", "") in settings.TRUSTED_PROXIES


def client_address(meta) -> str | None:
    """REMOTE_ADDR, or, when that is a trusted proxy, the address the proxy appended to X-Forwarded-For.

    Only the last entry is the proxy's own; anything before it was written by the client.
    """
    remote = _valid_ip(meta.get("REMOTE_ADDR", ""))
    if _from_trusted_proxy(meta):
        forwarded = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return _valid_ip(forwarded[-1]) or remote
    return remote


def request_id(meta) -> str:
    offered = meta.get("HTTP_X_REQUEST_ID", "")
    if _from_trusted_proxy(meta) and _REQUEST_ID.match(offered):
        return offered
    return uuid.uuid4().hex


def for_request(request) -> RequestContext:
    return RequestContext(request_id=request_id(request.META), client_address=client_address(request.META))


class RequestIdFilter(logging.Filter):
    """Gives every log record the id of the request it was written in ("-" outside one: a task,
    a command), for the log format's {request_id}: a line matches its request's response header
    and audit rows."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        # Django logs a 4xx/5xx response after the middleware has returned, with the request attached.
        request = getattr(record, "request", None)
        record.request_id = context.request_id if context else getattr(request, "request_id", "-")
        return True
