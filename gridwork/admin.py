from django.contrib import admin

from core.admin import ReadOnlyAdmin
from gridwork.models import Decision, GridMeeting, MeetingRule


@admin.register(GridMeeting)
class GridMeetingAdmin(ReadOnlyAdmin):
    """Held and attended through the 网格例会 pages (gridwork.services), where each change is recorded."""

    list_display = ["held_on", "grid", "topic", "convener"]
    list_select_related = ["grid", "convener"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "text", "case", "need", "project"]
    list_select_related = ["meeting", "case", "need", "project"]


@admin.register(MeetingRule)
class MeetingRuleAdmin(ReadOnlyAdmin):
    list_display = ["area", "kind", "every_months", "starts_on", "ended_on"]
    list_select_related = ["area"]
