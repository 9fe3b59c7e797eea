"""The page that fixes one refused row of an applied import: the row's columns as the upload has
them, the import's reason on the field it names; the work is in grids.imports.fixes.
A run is its owner's: anyone else's, a row that was never refused, a dry run are 404s."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.capabilities import Capability
from core.scope import area_scope_or_404
from grids import selectors
from grids.import_models import ImportKind, RowOutcome
from grids.imports import fixes
from grids.imports.columns import COLUMNS


class FixRowForm(forms.Form):
    """The workbook's columns as text, as a sheet's cells are: the import's own check judges them
    (the template draws the inputs, marking the ones the check refused)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for column in COLUMNS:
            self.fields[column.key] = forms.CharField(
                label=column.heading, required=False, max_length=200, help_text=column.note
            )


@login_required
def import_fix(request, pk: int, number: int):
    scope = area_scope_or_404(request.scope)
    if not scope.may(Capability.EDIT_PEOPLE):
        raise Http404
    runs = selectors.own_import_runs(scope).filter(kind=ImportKind.RESIDENTS)  # the others are fixed in the file
    run = get_object_or_404(runs, pk=pk, dry_run=False, applied=True)
    row = get_object_or_404(run.outcomes.all(), number=number)
    if row.outcome != RowOutcome.REFUSED and row.fixed_at is None:
        raise Http404  # a row the import took: nothing to fix
    status = 200
    can_fix = row.outcome == RowOutcome.REFUSED and fixes.fixable(run)
    if request.method == "POST":
        form = FixRowForm(request.POST)
        if form.is_valid():
            try:
                fixed = fixes.fix_row(actor=request.user, run=run, number=number, values=form.cleaned_data)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                done = _("第%(n)d行已改正并写入:%(outcome)s") % {"n": number, "outcome": fixed.get_outcome_display()}
                messages.success(request, done)
                return redirect("grids:import_run", pk=run.pk)
        status = 400
    else:
        cells = fixes.source_cells(run, number) if can_fix else None
        can_fix = cells is not None  # an upload that can no longer be read is as good as gone
        form = FixRowForm(cells)
        if can_fix:
            form.is_valid()  # bound to the row as it was, so the import's reason sits on its field
            for key, errors in fixes.errors_by_field(row.reason).items():
                for error in errors:
                    form.add_error(None if key == NON_FIELD_ERRORS else key, error)
    context = {
        "run": run,
        "row": row,
        "form": form,
        "can_fix": can_fix,
        "keep_until": fixes.keep_until(run),
    }
    return render(request, "grids/import_fix.html", context, status=status)
