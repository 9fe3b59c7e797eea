"""Handling aids: reply templates (admin configuration) and a user's own saved list filters."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from cases.models import ReplyTemplate, SavedFilter
from cases.queues import QUEUES
from core import audit
from core.scope import scope_for
from core.scoping import full_clean

# What a saved filter may hold: the case list's own parameters, nothing else (no page cursor).
FILTER_KEYS = ("q", "status", "colour", "category", "level", "grid", "overdue", "sort")
MAX_FILTERS = 30


@transaction.atomic
def save_reply_template(*, actor, template: ReplyTemplate) -> ReplyTemplate:
    """From Django admin, whose permissions have already decided; `actor` is whom the audit names."""
    creating = template.pk is None
    full_clean(template)
    template.save()
    audit.record(
        actor=actor,
        action="reply_template.create" if creating else "reply_template.change",
        target=template,
        fields=["title", "text", "step", "category", "area", "order"],
    )
    return template


@transaction.atomic
def delete_reply_template(*, actor, template: ReplyTemplate) -> None:
    """From Django admin, like its saving; the audit keeps what was removed."""
    audit.record(actor=actor, action="reply_template.delete", target=template, fields=["title", "step"])
    template.delete()


def clean_query(query: str) -> str:
    """The list's querystring kept to the list's own parameters, re-encoded: what is stored is a
    querystring the list understands, whatever was sent."""
    given = QueryDict(query or "")
    kept = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        values = [v for v in given.getlist(key) if v.strip()]
        if values:
            kept.setlist(key, values[:1])
    return kept.urlencode()


@transaction.atomic
def save_filter(*, actor, name: str, query: str, queue: str = "") -> SavedFilter:
    """A named filter of the case list or of one work queue, the actor's own; the same name again
    replaces what it holds. Whether the actor may open the queue is asked when they open it."""
    scope = scope_for(actor)
    if scope.user is None:
        raise PermissionDenied(_("请先登录"))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("请为筛选命名")]})
    query = clean_query(query)
    if not query:
        raise ValidationError({"query": [_("当前没有筛选条件可保存")]})
    if queue and queue not in QUEUES:
        raise ValidationError({"queue": [_("没有这个待办队列")]})
    mine = SavedFilter.objects.within(scope).select_for_update()
    existing = mine.filter(name=name).first()
    if existing is None and mine.count() >= MAX_FILTERS:
        raise ValidationError(_("最多保存%(n)s个筛选") % {"n": MAX_FILTERS})
    saved = existing or SavedFilter(user=actor, name=name)
    saved.query, saved.queue = query, queue
    full_clean(saved, exclude=["user"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            saved.save()
    except IntegrityError as exc:  # the same name saved twice at once: the first one stands
        raise ValidationError({"name": [_("已有同名筛选")]}) from exc
    audit.record(actor=actor, action="saved_filter.save", target=saved, fields=["name", "query", "queue"])
    return saved


@transaction.atomic
def delete_filter(*, actor, saved: SavedFilter) -> None:
    """`saved` was read through the actor's own scope: someone else's is a 404 before this."""
    saved = SavedFilter.objects.within(scope_for(actor)).filter(pk=saved.pk).select_for_update().first()
    if saved is None:
        return
    audit.record(actor=actor, action="saved_filter.delete", target=saved, fields=["name", "query", "queue"])
    saved.delete()
