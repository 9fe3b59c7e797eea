"""我的通知 and 通知设置: a user's own inbox (mark one or all read) and their choice of channels."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import forms, selectors
from cases.models import Notification
from cases.notifications import services
from core.scope import Scope

PAGE_SIZE = 30


@login_required
def notifications(request):
    """What this user was told: their own, whatever their posts."""
    before = request.GET.get("before", "")
    # An inbox is its owner's whatever their posts: a scope of just the user, so no posts are read.
    rows, older = selectors.notifications_page(
        Scope(user=request.user), int(before) if before.isdecimal() and len(before) <= 18 else None, PAGE_SIZE
    )
    return render(request, "cases/notifications.html", {"notifications": rows, "older": older})


@login_required
@require_POST
def read(request, pk: int):
    """Marks it read and opens its case, or the page a notice about something else links to."""
    try:
        notification = services.mark_read(actor=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    if notification.case_id is None:
        # A path this site wrote (reverse()); anything else is not followed off the site.
        if not url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
            raise Http404
        return redirect(notification.link)
    return redirect("cases:detail", notification.case_id)


@login_required
@require_POST
def read_all(request):
    services.mark_all_read(actor=request.user)
    return redirect("cases:notifications")


@login_required
def notification_settings(request):
    mine = selectors.notification_settings(Scope(user=request.user))
    form = forms.NotificationSettingsForm(request.POST or None, settings=mine)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_notification_settings(actor=request.user, **form.service_arguments())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("通知设置已保存"))
            return redirect("cases:notification_settings")
    return render(request, "cases/notification_settings.html", {"form": form})
