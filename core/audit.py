"""The one function every service calls to record a write: who, in which capacity, what, to which object."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core import request_context
from core.models import AuditEntry, Result
from core.scope import ADMIN, SYSTEM, Scope


def entry(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    fields: Iterable[str] = (),
    capacity: str = "",
    result: str = Result.OK,
    username: str = "",
) -> AuditEntry:
    """The entry `record` saves, not yet saved. The object is kept as type and id only: its str()
    may be a resident's name."""
    user = actor if actor is not None and actor is not SYSTEM and actor.is_authenticated else None
    context = request_context.current()
    capacity = capacity or ("system" if actor is SYSTEM else "")
    if context and context.client_key:
        # A client key acts through its service account's post: the entry names the key and that post.
        capacity = f"{context.client_key}:{capacity}"[:40]
    return AuditEntry(
        actor=user,
        capacity=capacity,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        fields=sorted(set(fields)),
        result=result,
        username=username[:150],
        client_address=context.client_address if context else None,
        request_id=context.request_id if context else "",
    )


def record(**about) -> AuditEntry:
    """Called inside the service's transaction, so the entry and the change commit or fail
    together; takes what `entry` takes."""
    made = entry(**about)
    made.save()
    return made


def record_all(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Entries made by `entry`, saved in one insert and chained in their order: for a job that
    records many writes at once (the deadline sweep)."""
    return AuditEntry.objects.append_all(entries)


def reader_capacity(scope: Scope) -> str:
    """The capacity of a read that needs no one capability (an export of what the reader sees):
    the roles of the reader's posts, or the admin."""
    return ADMIN if scope.unrestricted else ",".join(sorted(scope.roles))[:40]
