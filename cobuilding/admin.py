"""Admin for co-building: every save goes through the services, as the signed-in admin."""

from django.contrib import admin

from cobuilding import services
from cobuilding.models import (
    Agreement,
    CoBuildingUnit,
    JointMeeting,
    Need,
    PointsRule,
    Rating,
    ResourceBooking,
    ServiceProject,
    SharedResource,
    UnitPoints,
)
from core.admin import RecordedOnceAdmin


def _save_points(request, entry: UnitPoints, change: bool) -> None:
    if change:
        # The ledger is append-only: a changed entry becomes a counter-entry to the stored one.
        stored = UnitPoints.objects.select_related("unit__community").get(pk=entry.pk)
        services.correct_unit_points(
            actor=request.user, entry=stored, points=entry.points, on=entry.on, reason=entry.reason
        )
    else:
        services.award_unit_points(
            actor=request.user, unit=entry.unit, on=entry.on, points=entry.points, reason=entry.reason
        )


class UnitPointsInline(admin.TabularInline):
    model = UnitPoints
    extra = 0
    can_delete = False  # a wrong entry is corrected by a counter-entry, never removed
    exclude = ["corrects"]


@admin.register(CoBuildingUnit)
class CoBuildingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "community", "credit_code", "credit_code_valid"]
    list_filter = ["kind", "credit_code_valid"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["community"]
    inlines = [UnitPointsInline]

    def get_readonly_fields(self, request, obj=None):
        # The community and the ending change by their own steps (the unit's page), never here.
        return ["community", "ended_on", "end_reason"] if obj is not None else ["ended_on", "end_reason"]

    def has_delete_permission(self, request, obj=None):
        return False  # a unit leaves co-building (退出共建) and stays on the record

    def save_model(self, request, obj, form, change):
        if change:
            services.update_unit(actor=request.user, unit=obj)
        else:
            services.register_unit(actor=request.user, unit=obj)

    def save_formset(self, request, form, formset, change):
        # The points ledger inline: each new or changed entry through the services; removals as usual.
        entries = formset.save(commit=False)
        for entry in formset.deleted_objects:
            if not isinstance(entry, UnitPoints):
                entry.delete()
        for entry in entries:
            _save_points(request, entry, change=entry.pk is not None)
        formset.save_m2m()


@admin.register(Agreement)
class AgreementAdmin(RecordedOnceAdmin):
    list_display = ["unit", "community", "signed_on", "valid_until"]
    list_filter = ["signed_on"]
    search_fields = ["unit__name", "content"]
    autocomplete_fields = ["unit", "community"]

    def save_model(self, request, obj, form, change):
        services.sign_agreement(actor=request.user, agreement=obj)


@admin.register(UnitPoints)
class UnitPointsAdmin(admin.ModelAdmin):
    list_display = ["unit", "on", "points", "reason"]
    list_filter = ["on"]
    search_fields = ["unit__name", "reason"]
    autocomplete_fields = ["unit"]
    exclude = ["corrects"]

    def has_delete_permission(self, request, obj=None):
        return False  # a wrong entry is corrected by a counter-entry, never removed

    def save_model(self, request, obj, form, change):
        _save_points(request, obj, change)


@admin.register(PointsRule)
class PointsRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "comparison", "threshold", "inclusive", "consequence"]


@admin.register(Rating)
class RatingAdmin(RecordedOnceAdmin):
    list_display = ["unit", "year", "direction", "score"]
    list_filter = ["year", "direction"]
    search_fields = ["unit__name"]
    autocomplete_fields = ["unit"]

    def save_model(self, request, obj, form, change):
        services.rate(actor=request.user, rating=obj)


@admin.register(JointMeeting)
class JointMeetingAdmin(admin.ModelAdmin):
    list_display = ["held_on", "title", "level", "area"]
    list_filter = ["level", "held_on"]
    search_fields = ["title", "minutes", "decisions"]
    autocomplete_fields = ["area", "units"]

    def save_model(self, request, obj, form, change):
        services.record_meeting(actor=request.user, meeting=obj, units=form.cleaned_data["units"])

    def save_related(self, request, form, formsets, change):
        # The units were set by the service; saving the form's m2m again would only repeat it.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(SharedResource)
class SharedResourceAdmin(RecordedOnceAdmin):
    list_display = ["name", "kind", "pricing", "community", "unit"]
    list_filter = ["kind", "pricing"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["community", "unit"]

    def save_model(self, request, obj, form, change):
        services.list_resource(actor=request.user, resource=obj)


@admin.register(ResourceBooking)
class ResourceBookingAdmin(RecordedOnceAdmin):
    list_display = ["resource", "on", "unit", "purpose", "cancelled_at"]
    list_filter = ["on", ("cancelled_at", admin.EmptyFieldListFilter)]
    search_fields = ["resource__name", "unit__name", "purpose"]
    autocomplete_fields = ["unit"]
    # Called off on the resource's page, through its service: never here.
    readonly_fields = ["cancelled_at", "cancelled_by", "cancel_reason"]

    def save_model(self, request, obj, form, change):
        services.book_resource(actor=request.user, booking=obj)


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    """Claims and completion happen on the community's lists page, where the rules are kept."""

    list_display = ["title", "community", "status", "claimed_by", "raised_on", "done_on"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["community"]
    readonly_fields = ["status", "claimed_by", "claimed_on", "answer", "done_on", "result"]

    def save_model(self, request, obj, form, change):
        if change:
            services.update_need(actor=request.user, need=obj)
        else:
            services.raise_need(actor=request.user, need=obj)


@admin.register(ServiceProject)
class ServiceProjectAdmin(RecordedOnceAdmin):
    list_display = ["title", "unit", "community", "status", "starts_on"]
    list_filter = ["status"]
    search_fields = ["title"]
    autocomplete_fields = ["community", "unit", "need"]

    def save_model(self, request, obj, form, change):
        services.start_project(actor=request.user, project=obj)
