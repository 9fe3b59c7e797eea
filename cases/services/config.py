"""Configuration an admin keeps (the category tree), and an operator's recount."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import rollup
from cases.models import Category
from core import audit
from core.scoping import full_clean
from grids.access import require_unrestricted


@transaction.atomic
def save_category(*, actor, category: Category) -> Category:
    """Categories are a tree: an insert renumbers its neighbours (django-mptt), so it takes a lock
    on every root (a handful of rows) and two admins adding at once cannot interleave. A saved
    category keeps its parent: moving one would move every case's place in the statistics.
    Called from Django admin, where the admin's own permissions have already decided; `actor` is
    whom the audit entry names."""
    list(Category.objects.select_for_update().filter(parent__isnull=True).values_list("pk"))
    if category.pk and Category.objects.filter(pk=category.pk).exclude(parent=category.parent_id).exists():
        raise ValidationError({"parent": [_("已有类别不能调整上级")]})
    creating = category.pk is None
    full_clean(
        category,
    )
    category.save()
    audit.record(
        actor=actor,
        action="case_category.create" if creating else "case_category.change",
        target=category,
        fields=["code", "name", "parent", "importance", "urgency", "resident_pickable", "default_department"],
    )
    return category


@transaction.atomic
def recount_case_days(*, actor) -> int:
    """The dashboard's day counts again from every case: for operators, after cases were written
    past the services (a repair by hand, a loader). Returns the days stored."""
    capacity = require_unrestricted(actor)
    # The audit chain's lock before the day rows, the order every step takes them in.
    audit.record(actor=actor, action="cases.recount_days", capacity=capacity)
    return rollup.recount_all()
