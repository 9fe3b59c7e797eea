"""The back office's pages for maintained objects, declared once: list with filters, detail,
create, the object's writes (edit, end …) and its history from the audit trail.

NetBox declares generic object views per model (ObjectListView, ObjectEditView …); here one
`ObjectPages` value per model names its selector, filterset, columns and `Action`s, and `urls()`
gives every page. The views stay thin: request.scope → selector → form → the object's service
with actor=request.user → redirect. A service's PermissionDenied is the 404 a page outside the
scope gets; its ValidationError lands on the form field it names, in the user's language.
"""

import logging
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core import origins
from core.models import AuditEntry
from core.scope import Scope

logger = logging.getLogger(__name__)
HISTORY_ROWS = 100


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Any], Any]
    link: bool = False  # this column links to the object's detail page


@dataclass(frozen=True)
class Action:
    """One write: a form whose cleaned data the service takes, and who may be offered it."""

    slug: str
    label: str
    form: type[forms.Form]
    # perform(actor=user, obj=the object or None when creating, data=cleaned_data) -> the object
    # to show next, or None when there is none left (a removal)
    perform: Callable[..., Model]
    allowed: Callable[[Scope, Model | None], bool]
    form_kwargs: Callable[[Scope, Model | None], dict] = lambda scope, obj: {}
    initial: Callable[[Model], dict] = lambda obj: {}
    done: str = ""  # the message after it worked


@dataclass(frozen=True)
class ObjectPages:
    namespace: str
    name: str  # routes: <name>_list, <name>_create, <name>, <name>_<slug>, <name>_history
    prefix: str  # the URL path, e.g. "posts"
    title: str
    rows: Callable[[Scope], QuerySet]
    get: Callable[[Scope, int], Model]  # raises Http404 outside the scope
    columns: Sequence[Column]
    filterset: type | None = None
    create: Action | None = None
    actions: Sequence[Action] = ()
    fields: Sequence[Column] = ()  # the generic detail page's rows
    detail_route: str = ""  # an existing detail page to link to instead of the generic one
    list_path: str = ""  # the list's path when it is not <prefix>/
    page_size: int = 30
    list_requires: Callable[[Scope], bool] = field(default=lambda scope: scope.has_areas)

    def url(self, route: str) -> str:
        return f"{self.namespace}:{self.name}{route}"

    def detail_url(self, obj: Model) -> str:
        return reverse(self.detail_route or self.url(""), args=[obj.pk])

    def links(self, scope: Scope, obj: Model) -> dict:
        """The object's writes the user may be offered, and its history: for any detail page."""
        actions = [
            (a.label, reverse(self.url(f"_{a.slug}"), args=[obj.pk])) for a in self.actions if a.allowed(scope, obj)
        ]
        return {"actions": actions, "history_url": reverse(self.url("_history"), args=[obj.pk])}

    def urls(self) -> list:
        list_path = self.list_path or f"{self.prefix}/"
        patterns = [path(list_path, login_required(self.list_view), name=f"{self.name}_list")]
        if self.create:
            patterns.append(path(f"{self.prefix}/new/", login_required(self.create_view), name=f"{self.name}_create"))
        if not self.detail_route:
            patterns.append(path(f"{self.prefix}/<int:pk>/", login_required(self.detail_view), name=self.name))
        for action in self.actions:
            view = login_required(self._action_view(action))
            patterns.append(path(f"{self.prefix}/<int:pk>/{action.slug}/", view, name=f"{self.name}_{action.slug}"))
        patterns.append(
            path(f"{self.prefix}/<int:pk>/history/", login_required(self.history_view), name=f"{self.name}_history")
        )
        return patterns

    # The pages ---------------------------------------------------------------------------------

    def list_view(self, request):
        scope = request.scope
        if not self.list_requires(scope):
            raise Http404
        rows = self.rows(scope)
        filters = None
        if self.filterset is not None:
            filters = self.filterset(request.GET or None, queryset=rows, request=request)
            rows = filters.qs if filters.is_bound and filters.is_valid() else rows
        number = _page_number(request.GET.get("page"))
        # One row past the page says whether there is a next one: no COUNT over a large scope.
        start = (number - 1) * self.page_size
        found = list(rows[start : start + self.page_size + 1])
        params = request.GET.copy()
        params.pop("page", None)
        return render(
            request,
            "backoffice/list.html",
            {
                "pages": self,
                "filters": filters,
                "rows": [
                    (obj, self.detail_url(obj), [c.value(obj) for c in self.columns]) for obj in found[: self.page_size]
                ],
                "number": number,
                "has_next": len(found) > self.page_size,
                "params": params.urlencode(),
                "can_create": self.create is not None and self.create.allowed(scope, None),
            },
        )

    def detail_view(self, request, pk: int):
        scope = request.scope
        obj = self.get(scope, pk)
        return render(
            request,
            "backoffice/detail.html",
            {
                "pages": self,
                "obj": obj,
                "fields": [(c.label, c.value(obj)) for c in self.fields],
                "origins": origins.of(scope, obj),
                "links": self.links(scope, obj),
            },
        )

    def create_view(self, request):
        scope = request.scope
        if not self.create.allowed(scope, None):
            raise Http404
        return self._run(request, self.create, None)

    def _action_view(self, action: Action):
        def view(request, pk: int):
            scope = request.scope
            obj = self.get(scope, pk)
            if not action.allowed(scope, obj):
                raise Http404
            return self._run(request, action, obj)

        view.__name__ = f"{self.name}_{action.slug}"
        return view

    def _run(self, request, action: Action, obj: Model | None):
        kwargs = action.form_kwargs(request.scope, obj)
        initial = action.initial(obj) if obj is not None else {}
        form = action.form(request.POST or None, initial=initial, **kwargs)
        status = 200
        if request.method == "POST":
            once = _Once(request)
            if once.seen is not None:  # the same form sent again (a double-click, a resend)
                messages.info(request, _("该表单已提交过,未重复保存"))
                return redirect(once.seen or (self.detail_url(obj) if obj else reverse(self.url("_list"))))
            if form.is_valid():
                try:
                    done = action.perform(actor=request.user, obj=obj, data=form.cleaned_data)
                except PermissionDenied:
                    once.forget()
                    raise Http404 from None
                except ValidationError as exc:
                    add_errors(form, exc)
                except Exception:  # nothing was written: the form may be sent again
                    once.forget()
                    raise
                else:
                    messages.success(request, action.done or _("已保存"))
                    # A removal leaves nothing to show but the list.
                    shown = self.detail_url(done) if done is not None else reverse(self.url("_list"))
                    once.done(shown)
                    return redirect(shown)
            once.forget()
            status = 400
        return render(
            request,
            "backoffice/form.html",
            {
                "pages": self,
                "obj": obj,
                "obj_url": self.detail_url(obj) if obj else "",
                "action": action,
                "form": form,
                "once": uuid.uuid4().hex,
            },
            status=status,
        )

    def history_view(self, request, pk: int):
        obj = self.get(request.scope, pk)
        # Not "entries": base.html's `{% menu as entries %}` writes that name into the page's context.
        history = (
            AuditEntry.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))
            .select_related("actor")
            .order_by("-at", "-id")[:HISTORY_ROWS]
        )
        return render(request, "backoffice/history.html", {"pages": self, "obj": obj, "history": history})


class _Once:
    """Each rendered form carries a key; the first POST with it claims it in the cache (atomically,
    so of two sent at once one waits out), and a second one is sent where the first went instead
    of writing again. A refused form gives its key back, to be sent again corrected. Without the
    cache (Redis down) the form is taken as it comes: the page still works."""

    TTL = 600

    def __init__(self, request):
        key = request.POST.get("_once", "")
        self.key = f"backoffice:once:{request.user.pk}:{key}" if re.fullmatch(r"[0-9a-f]{32}", key) else None
        self.seen = None
        if self.key is None:
            return
        try:
            if not cache.add(self.key, "", self.TTL):
                self.seen = cache.get(self.key) or ""
        except Exception:  # any cache failure: go on without the guard
            logger.warning("back-office submission key not checked: the cache did not answer")
            self.key = None

    def done(self, url: str) -> None:
        self._call(cache.set, self.key, url, self.TTL)

    def forget(self) -> None:
        self._call(cache.delete, self.key)

    def _call(self, method, *args) -> None:
        if self.key is None:
            return
        try:
            method(*args)
        except Exception:  # as above
            logger.warning("back-office submission key not kept: the cache did not answer")


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's errors onto the form: each beside the field it names, or above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _page_number(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 10_000))
    except ValueError:
        return 1
