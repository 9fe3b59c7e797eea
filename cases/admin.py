"""Configuration (categories, limits, routing, calendar, weights) is edited here; cases, their
events and what the sweep recorded are read-only: they change only through the services."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin

from cases import selectors, services, workflow
from cases.models import (
    AnnouncedYear,
    CalendarDay,
    Case,
    CaseAlert,
    CaseCounter,
    CaseDayCount,
    CaseEvent,
    CasePhoto,
    Category,
    Delivery,
    DoorPlate,
    MetricWeight,
    Notification,
    NotificationSettings,
    ReplyTemplate,
    RoutingRule,
    SavedFilter,
    TimeLimit,
    Visit,
    VisitRule,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
    WorkChatHook,
)
from cases.notifications import services as notification_services
from core.admin import ReadOnlyAdmin


@admin.register(Category)
class CategoryAdmin(MPTTModelAdmin):
    list_display = ["name", "name_en", "code", "importance", "urgency", "resident_pickable", "default_department"]
    list_filter = ["resident_pickable", "importance", "urgency"]
    search_fields = ["name", "name_en", "code"]
    mptt_level_indent = 16

    def get_readonly_fields(self, request, obj=None):
        return ["parent"] if obj else []

    def save_model(self, request, obj, form, change):
        services.save_category(actor=request.user, category=obj)


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = [
        "colour",
        "category",
        "response",
        "response_unit",
        "resolution_working_days",
        "dispatch_hours",
        "escalate_when_overdue",
    ]
    list_filter = ["colour"]
    search_fields = ["category__name"]

    def has_delete_permission(self, request, obj=None):
        # A colour's default limit is what every case of that colour falls back to (the model
        # refuses to delete one too, for the bulk action and the shell): change it, never delete it.
        if obj is not None and obj.is_default:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """Ties — two rules a case could match with neither narrower in both category and area — are
    configuration errors, listed on top of the page until a rule covering the overlap settles them."""

    list_display = ["category", "area", "department"]
    search_fields = ["category__name", "area__name", "department__name"]
    autocomplete_fields = ["area"]

    def changelist_view(self, request, extra_context=None):
        for a, b in selectors.routing_ties():
            messages.error(
                request,
                _("分拨规则冲突:“%(a)s”与“%(b)s”都适用于%(cat)s在%(area)s的案件,请增加一条覆盖交叉部分的规则")
                % {
                    "a": a,
                    "b": b,
                    "cat": a.category if a.category.level > b.category.level else b.category,
                    "area": a.area if a.area.level > b.area.level else b.area,
                },
            )
        return super().changelist_view(request, extra_context)


class EventInline(admin.TabularInline):
    model = CaseEvent
    fields = ["at", "action", "actor", "actor_role", "from_status", "to_status", "department", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "category", "colour", "status", "level", "community", "department", "created_at"]
    list_filter = ["status", "colour", "level", "source"]
    search_fields = ["number", "description"]
    list_select_related = ["category", "community", "department"]
    exclude = ["reporter_phone"]
    inlines = [EventInline]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "action", "actor", "actor_role", "at"]
    list_filter = ["action"]
    search_fields = ["case__number"]
    list_select_related = ["case", "actor"]


@admin.register(CasePhoto)
class CasePhotoAdmin(ReadOnlyAdmin):
    list_display = ["case", "stage", "width", "height"]
    search_fields = ["case__number"]


@admin.register(CaseCounter)
class CaseCounterAdmin(ReadOnlyAdmin):
    list_display = ["district", "day", "last"]
    search_fields = ["district__name"]


@admin.register(CaseDayCount)
class CaseDayCountAdmin(ReadOnlyAdmin):
    """The dashboard's figures per street and day, kept by cases.rollup (`manage.py recount_cases`
    to recount): read here, to check them."""

    list_display = ["area", "day", "closed"]
    list_select_related = ["area"]
    search_fields = ["area__name", "area__code"]


@admin.register(CaseAlert)
class CaseAlertAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "due", "created_at"]
    list_filter = ["kind"]
    search_fields = ["case__number"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "case", "link", "kind", "text", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["case__number", "user__username"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """What went out through which channel, and what is still owed (tried again by beat)."""

    list_display = ["event", "key", "channel", "recipient", "kind", "attempts", "last_error", "created_at", "sent_at"]
    list_filter = ["channel", "kind"]
    search_fields = ["recipient"]
    list_select_related = ["event__case"]
    exclude = ["phone"]


@admin.register(WorkChatHook)
class WorkChatHookAdmin(admin.ModelAdmin):
    """企业微信/钉钉 group robots: hand-overs to a department's or place's staff are posted there."""

    list_display = ["__str__", "provider", "active"]
    list_filter = ["provider", "active"]
    list_select_related = ["area", "department"]
    autocomplete_fields = ["area", "department"]

    def save_model(self, request, obj, form, change):
        notification_services.save_work_chat_hook(actor=request.user, hook=obj)

    def delete_model(self, request, obj):
        notification_services.delete_work_chat_hook(actor=request.user, hook=obj)

    def delete_queryset(self, request, queryset):
        for hook in queryset:
            notification_services.delete_work_chat_hook(actor=request.user, hook=hook)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "working", "note"]
    list_filter = ["working"]
    search_fields = ["note"]


@admin.register(AnnouncedYear)
class AnnouncedYearAdmin(admin.ModelAdmin):
    list_display = ["year", "notice"]
    search_fields = ["notice"]


@admin.register(DoorPlate)
class DoorPlateAdmin(ReadOnlyAdmin):
    """Plates are issued from the community's printable sheet; a token never changes."""

    list_display = ["building", "created_at"]
    search_fields = ["building__name"]
    exclude = ["token"]


@admin.register(MetricWeight)
class MetricWeightAdmin(admin.ModelAdmin):
    list_display = ["metric", "weight"]
    search_fields = ["metric"]


class ReplyTemplateForm(forms.ModelForm):
    # The steps whose form has a note to fill, by the names the case page shows them under.
    step = forms.ChoiceField(
        label=_("办理环节"),
        required=False,
        choices=lambda: [("", _("所有环节")), *((s.slug, s.action.label) for s in workflow.ROWS if s.form)],
    )

    class Meta:
        model = ReplyTemplate
        fields = ["title", "text", "step", "category", "area", "order"]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    form = ReplyTemplateForm
    list_display = ["title", "step", "category", "area", "order"]
    list_filter = ["step"]
    search_fields = ["title", "text"]
    autocomplete_fields = ["area"]

    def save_model(self, request, obj, form, change):
        services.save_reply_template(actor=request.user, template=obj)

    def delete_model(self, request, obj):
        services.delete_reply_template(actor=request.user, template=obj)

    def delete_queryset(self, request, queryset):
        for template in queryset:
            services.delete_reply_template(actor=request.user, template=template)


@admin.register(SavedFilter)
class SavedFilterAdmin(ReadOnlyAdmin):
    """Each user keeps their own on the case list."""

    list_display = ["user", "name"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(ReadOnlyAdmin):
    """Each user chooses on their 通知设置 page; the phone stays encrypted and is not shown."""

    list_display = ["user"]
    exclude = ["phone"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    """Logged at the door (cases.services.record_visit), with the card change and case beside it."""

    list_display = ["household", "on", "visitor", "follow_up", "case"]
    list_select_related = ["household__building", "visitor", "case"]
    exclude = ["photo"]  # served only through the visit's scope


@admin.register(VisitRule)
class VisitRuleAdmin(ReadOnlyAdmin):
    """Kept by the community's staff on the 走访计划 pages, where each change is recorded."""

    list_display = ["area", "group", "every_days", "ended_on"]
    list_select_related = ["area", "group"]


# Webhooks change only through their services (cases/webhooks), on the 事件推送 pages.
@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["name", "district", "department", "url", "active", "paused_at", "failures"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    list_select_related = ["district", "department"]
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["subscription", "kind", "event", "created_at", "attempts", "delivered_at"]
    list_filter = ["kind"]
    search_fields = ["subscription__name", "event__case__number"]
    list_select_related = ["subscription", "event__case"]


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(ReadOnlyAdmin):
    list_display = ["delivery", "at", "status_code", "ok"]
    list_filter = ["ok"]
    search_fields = ["delivery__subscription__name"]
    list_select_related = ["delivery__subscription", "delivery__event__case"]
