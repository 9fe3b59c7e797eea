"""The auditors' page: the audit log, searchable, for holders of core.audit_reader only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import audit_log


@login_required
def audit_list(request):
    # Anyone else gets the answer a missing page gets: the log's existence is no secret, its reader list is.
    # The menu's check, which asks is_staff first so that other users' pages pay no permission look-up.
    if not (request.user.is_staff and request.user.has_perm("core.audit_reader")):
        raise Http404
    filters = audit_log.AuditFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = audit_log.filtered(data)
    try:
        rows, next_cursor = audit_log.page(qs, request.GET.get("after"))
    except ValueError:
        messages.warning(request, _("翻页参数无效,已显示第一页"))
        rows, next_cursor = audit_log.page(qs, None)
    params = request.GET.copy()
    params.pop("after", None)
    return render(
        request,
        "core/audit_list.html",
        {"filters": filters, "rows": rows, "next_cursor": next_cursor, "params": params.urlencode()},
    )
