from django.contrib import admin

from alliances.models import (
    Alliance,
    ChairTerm,
    CommitteeMember,
    DualReport,
    JointDecision,
    Membership,
    ServiceActivity,
)
from core.admin import ReadOnlyAdmin


@admin.register(Alliance)
class AllianceAdmin(ReadOnlyAdmin):
    """Set up, joined and handed over through the alliance's pages (alliances.services), each change recorded."""

    list_display = ["name", "area", "founded_on", "chair_term_months", "ended_on"]
    list_select_related = ["area"]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ReadOnlyAdmin):
    list_display = ["alliance", "name", "role", "affiliation", "start", "end"]
    list_select_related = ["alliance"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["alliance", "unit", "organization", "joined_on", "left_on", "rotation_order"]
    list_select_related = ["alliance", "unit", "organization"]


@admin.register(ChairTerm)
class ChairTermAdmin(ReadOnlyAdmin):
    list_display = ["alliance", "member", "starts_on", "ends_on", "handed_over_by"]
    list_select_related = ["alliance", "member__unit", "member__organization", "handed_over_by"]


@admin.register(JointDecision)
class JointDecisionAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "text", "case", "need", "project"]
    list_select_related = ["meeting", "case", "need", "project"]


@admin.register(ServiceActivity)
class ServiceActivityAdmin(ReadOnlyAdmin):
    list_display = ["member", "on", "activity", "hours"]
    list_select_related = ["member"]


@admin.register(DualReport)
class DualReportAdmin(ReadOnlyAdmin):
    list_display = ["member", "unit", "period_start", "activities", "hours", "sent_at"]
    list_select_related = ["member", "unit"]
