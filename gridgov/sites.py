"""Django admin is for system administrators and configuration: it reads across every scope, so the
scope guard is off inside it (the sites' own permissions decide who gets in)."""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from core.scoping import guard_off


class AdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request, *args, **kwargs):
            with guard_off("Django admin: superusers and configuration, across every scope"):
                return guarded(request, *args, **kwargs)

        return inner


class GridGovAdminConfig(AdminConfig):
    default_site = "gridgov.sites.AdminSite"
