from django.contrib import admin

from appraisal.models import Answer, Evaluation, EvaluationRound, Scheme, SchemeMeasure, Training, TrainingRule
from core.admin import ReadOnlyAdmin


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyAdmin):
    """Opened and reported on through the 居民评议 pages (appraisal.services), where each change is recorded."""

    list_display = ["title", "community", "opens_on", "closes_on", "report_published_at"]
    list_select_related = ["community"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    """That a household has answered a round; what it answered is nowhere beside it."""

    list_display = ["round", "via", "submitted_at"]
    list_select_related = ["round"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    """The ratings, counted per person: no household and no time on a row."""

    list_display = ["round", "post", "rating"]
    list_select_related = ["round", "post"]


@admin.register(Training)
class TrainingAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "worker", "grid", "topic", "hours"]
    list_select_related = ["worker", "grid"]


class SchemeMeasureInline(admin.TabularInline):
    model = SchemeMeasure
    extra = 0


# Configuration as data, each row with its clause: kept in admin like the case categories and the
# funding policies (changes land in the admin's own log).
@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "year_from", "excellent_from", "good_from", "pass_from"]
    inlines = [SchemeMeasureInline]


@admin.register(TrainingRule)
class TrainingRuleAdmin(admin.ModelAdmin):
    list_display = ["min_sessions", "source", "starts_on", "ended_on"]


@admin.register(SchemeMeasure)
class SchemeMeasureAdmin(ReadOnlyAdmin):
    """A scheme's weights, listed across schemes; they are changed on their scheme's page."""

    list_display = ["scheme", "measure", "weight", "full_at"]
    list_select_related = ["scheme"]
