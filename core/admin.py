from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin

from core.lockout_audit import released_by
from core.models import AuditEntry, IdempotentRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """What the services wrote as it happened (cases, events, moves, imports): read here, never changed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordedOnceAdmin(admin.ModelAdmin):
    """Records the pages keep through their steps (an agreement ended, a booking, a project
    finished): an administrator may add one through its service, then reads it; never deleted."""

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only, and only for auditors: the log is append-only and names who looked at what."""

    list_display = ["at", "actor", "capacity", "action", "result", "target_type", "target_id", "client_address"]
    list_filter = ["result", "target_type"]
    search_fields = ["action", "actor__username", "username", "request_id"]
    list_select_related = ["actor", "target_type"]
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("core.audit_reader")

    def has_module_permission(self, request):
        return request.user.has_perm("core.audit_reader")


class AuditedAccessAttemptAdmin(AccessAttemptAdmin):
    """axes' own admin of sign-in lockouts; releasing one here is recorded with who did it."""

    def delete_model(self, request, obj):
        with released_by(request.user):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with released_by(request.user):
            super().delete_queryset(request, queryset)


@admin.register(IdempotentRequest)
class IdempotentRequestAdmin(ReadOnlyAdmin):
    """Which client sent which key, when: the stored answer is not shown (it may name a resident)."""

    list_display = ["created_at", "user", "key", "response_status"]
    fields = ["created_at", "user", "key", "fingerprint", "response_status"]
    search_fields = ["user__username"]
    list_select_related = ["user"]


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, AuditedAccessAttemptAdmin)
