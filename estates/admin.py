from django.contrib import admin

from core.admin import ReadOnlyAdmin, RecordedOnceAdmin
from estates.models import Assessment, AssessmentRound, AssessmentRule, Inspection, ServiceTerm


@admin.register(AssessmentRule)
class AssessmentRuleAdmin(RecordedOnceAdmin):
    """A new rule is a new row from its date: a round keeps the rule it was scored under."""

    list_display = ["name", "starts_on", "pass_score", "rectify_working_days"]


@admin.register(ServiceTerm)
class ServiceTermAdmin(ReadOnlyAdmin):
    """Admitted and ended through the 物业服务 pages (estates.services), where each step is recorded."""

    list_display = ["compound", "company", "starts_on", "ends_on", "admission_ref"]
    list_select_related = ["compound", "company"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["inspected_on", "term", "score", "inspector_role"]
    list_select_related = ["term__compound", "term__company"]


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "street", "period_start", "period_end", "rule"]
    list_select_related = ["street", "rule"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["round", "term", "score", "status", "rectify_due"]
    list_select_related = ["round", "term__compound", "term__company"]
