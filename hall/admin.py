from django.contrib import admin

from core.admin import ReadOnlyAdmin
from hall.models import ServiceCategory, ServiceItem, ServiceRequest, Window


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    """The catalogue is configuration (loaded from seed 004 by migration 0002), kept here."""

    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "limit_days", "window", "active"]
    list_filter = ["category", "window", "active"]
    list_select_related = ["category"]
    search_fields = ["name", "code"]


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "kind", "active"]
    list_filter = ["kind", "active"]
    list_select_related = ["community"]
    search_fields = ["name", "community__name"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin):
    """Received, handed over and ended through the hall's pages (hall.services), each step recorded."""

    list_display = ["received_at", "item", "community", "status", "due_at", "handler"]
    list_filter = ["status", "source"]
    list_select_related = ["item", "community", "handler"]
    search_fields = ["item__name", "applicant_name"]
    exclude = ["applicant_phone"]
