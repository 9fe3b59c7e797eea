"""Django admin is for system administrators and configuration: it reads across every scope, so the
scope guard is off inside it. Who gets in, and to which models, is the admin's own business: staff
status and model permissions, granted only to system administrators."""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from core.scoping import guard_off


class AdminSite(admin.AdminSite):
    site_header = _("网格治理 · 后台管理")
    site_title = _("GridGov 后台")
    index_title = _("配置与数据")

    def has_permission(self, request):
        # As django-otp's OTPAdminSite does, but for the whole house's rule: an admin session must
        # have passed its second step, whichever page it signed in on. The middleware sends it
        # there; this holds even where the middleware is not installed.
        from core import two_factor  # this module loads with the app registry, before any model

        return super().has_permission(request) and two_factor.is_satisfied(request)

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request, *args, **kwargs):
            with guard_off("Django admin: superusers and configuration, across every scope"):
                response = guarded(request, *args, **kwargs)
                # A TemplateResponse renders after the view returns, still under the request's
                # guard: render it here, where the guard is off.
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                return response

        return inner


class GridGovAdminConfig(AdminConfig):
    default_site = "gridgov.sites.AdminSite"
