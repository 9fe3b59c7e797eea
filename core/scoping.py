"""The scope guard: a read of a scoped model must say which scope it goes through.

A scoped model's default manager is a `ScopedManager`. While the guard is on — for the length of
every request (gridgov's scope middleware) and every Celery task — evaluating one of its querysets
raises `ScopeError` unless the queryset was narrowed by `.within(scope)` (the model's own
`in_scope` rule), names the object it re-reads with `.reread(obj)`, or opts out by name with
`.unscoped("why")`. Reads that start from an object already in hand (`household.residents.all()`,
prefetches, forward foreign keys, django-mptt's walks from a node) are not entry points and pass.
Outside requests and tasks (the shell, migrations, a test's own assertions) the guard is off.

We wrote this instead of using django-scopes: django-scopes filters by equality on a tenant column
(`event=…`), while a GridGov scope is a set of subtrees of the area tree, a set of departments or
both, which each model maps to a Q of its own. What we keep of its design: the manager refuses an
unscoped read rather than silently filtering, and an opt-out must be written out.

Greppable opt-outs: `.unscoped(` and `guard_off(`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from mptt.querysets import TreeQuerySet

_enforced: ContextVar[bool] = ContextVar("scope_guard_enforced", default=False)


class ScopeError(RuntimeError):
    """A scoped model was read without a scope while the guard was on: a bug, never a user error."""


@contextmanager
def guard_on() -> Iterator[None]:
    token = _enforced.set(True)
    try:
        yield
    finally:
        _enforced.reset(token)


@contextmanager
def guard_off(reason: str) -> Iterator[None]:
    """Global by design for the length of the block (Django admin, the QR page, commands)."""
    assert reason, "say why the guard is off"
    token = _enforced.set(False)
    try:
        yield
    finally:
        _enforced.reset(token)


def full_clean(obj: models.Model, **kwargs) -> None:
    """`obj.full_clean()` for a service. Django's unique checks read the table through the default
    manager; they say only that a value is taken, nothing of the row that has it, so they need no
    scope. Everything else a model's `clean` reads starts from the object in hand."""
    with guard_off("uniqueness checks in full_clean"):
        obj.full_clean(**kwargs)


class ScopedQuerySet(models.QuerySet):
    _scope_checked: bool | str = False

    def _clone(self):
        clone = super()._clone()
        clone._scope_checked = self._scope_checked
        return clone

    def within(self, scope) -> "ScopedQuerySet":
        """The rows the scope may see, by the model's own rule (`Model.in_scope(scope) -> Q`)."""
        narrowed = self._clone() if scope.unrestricted else self.filter(self.model.in_scope(scope))
        narrowed._scope_checked = "within"
        return narrowed

    def reread(self, obj: models.Model) -> "ScopedQuerySet":
        """The row of an object already read through a scope, again: to lock it or fetch it fresh."""
        assert obj.pk is not None and not obj._state.adding, "reread takes an object read from the database"
        narrowed = self.filter(pk=obj.pk)
        narrowed._scope_checked = "reread"
        return narrowed

    def lock(self, obj: models.Model) -> None:
        """Hold the row of an object in hand until the transaction ends (writes that check before
        they insert wait for each other on it); nothing of the row is read."""
        self.reread(obj).select_for_update().values_list("pk").get()

    def unscoped(self, reason: str) -> "ScopedQuerySet":
        """Global by design: say why (the QR page, the sweep, a uniqueness check that says nothing)."""
        assert reason, "say why this read needs no scope"
        clone = self._clone()
        clone._scope_checked = "unscoped"
        return clone

    def none(self):
        clone = super().none()
        clone._scope_checked = "none"
        return clone

    def _check_scope(self) -> None:
        # A related manager, a prefetch or a forward relation hints the instance it starts from.
        if not self._scope_checked and not self._hints.get("instance") and _enforced.get():
            raise ScopeError(
                f"{self.model._meta.label} read without a scope: go through a selector "
                "(.within(scope)), or say why with .unscoped(reason)"
            )

    def _fetch_all(self):
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def count(self):
        if self._result_cache is None:
            self._check_scope()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._check_scope()
        return super().exists()

    def update(self, **kwargs):
        self._check_scope()
        return super().update(**kwargs)

    def delete(self):
        self._check_scope()
        return super().delete()

    def aggregate(self, *args, **kwargs):
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def iterator(self, *args, **kwargs):
        self._check_scope()
        return super().iterator(*args, **kwargs)

    def in_bulk(self, *args, **kwargs):
        self._check_scope()
        return super().in_bulk(*args, **kwargs)

    def contains(self, obj):
        self._check_scope()
        return super().contains(obj)


class ScopedTreeQuerySet(ScopedQuerySet, TreeQuerySet):
    """For django-mptt models: the tree walks of TreeQuerySet, behind the guard."""


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


class ScopedTreeManager(models.Manager.from_queryset(ScopedTreeQuerySet)):
    """The default manager of a scoped django-mptt model. It is deliberately not a TreeManager, so
    django-mptt takes the model's plain `tree = TreeManager()` for its own walks and writes: those
    start from a node in hand (`area.get_descendants()`), like a related manager."""

    def get_queryset(self):
        opts = self.model._mptt_meta
        return super().get_queryset().order_by(opts.tree_id_attr, opts.left_attr)
