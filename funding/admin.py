from django.contrib import admin

from funding import services
from funding.models import (
    BudgetCommunity,
    BudgetLine,
    BudgetRun,
    CostSplit,
    HouseholdBand,
    MonthlySubsidy,
    NewUnitCost,
    PartyBuildingRate,
    PayRecord,
    PayRisePromise,
    Policy,
    ProfessionalAllowance,
    Scenario,
)


class PartyBuildingRateInline(admin.TabularInline):
    model = PartyBuildingRate
    extra = 0


class HouseholdBandInline(admin.TabularInline):
    model = HouseholdBand
    extra = 0


class MonthlySubsidyInline(admin.TabularInline):
    model = MonthlySubsidy
    extra = 0


class CostSplitInline(admin.TabularInline):
    model = CostSplit
    extra = 0


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    """A policy and its rule rows on one page; every change is in the admin log."""

    list_display = ["title", "issuing_body", "jurisdiction", "effective_from", "effective_to"]
    search_fields = ["title", "issuing_body"]
    inlines = [PartyBuildingRateInline, HouseholdBandInline, MonthlySubsidyInline, CostSplitInline]


@admin.register(PartyBuildingRate, HouseholdBand, MonthlySubsidy, CostSplit, ProfessionalAllowance, PayRisePromise)
class PolicyRowAdmin(admin.ModelAdmin):
    list_display = ["__str__", "policy"]
    list_filter = ["policy"]
    search_fields = ["clause"]


@admin.register(NewUnitCost)
class NewUnitCostAdmin(admin.ModelAdmin):
    list_display = ["year", "community", "new_staff", "new_staff_annual_salary", "new_venue_cost"]
    list_filter = ["year"]
    search_fields = ["community__name", "note"]
    autocomplete_fields = ["community"]

    def save_model(self, request, obj, form, change):
        saved = services.record_new_unit_cost(
            actor=request.user,
            year=obj.year,
            community=obj.community,
            new_staff=obj.new_staff,
            new_staff_annual_salary=obj.new_staff_annual_salary,
            new_venue_cost=obj.new_venue_cost,
            note=obj.note,
        )
        obj.pk = saved.pk


class ReadOnlyAdmin(admin.ModelAdmin):
    """A stored run is a record: it is never edited, only read (and superseded by a new run)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BudgetRun)
class BudgetRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "year", "area", "status", "amount", "city", "local", "created_by", "created_at"]
    list_filter = ["year", "status"]
    search_fields = ["area__name"]
    list_select_related = ["area", "created_by"]


@admin.register(BudgetCommunity)
class BudgetCommunityAdmin(ReadOnlyAdmin):
    list_display = ["run", "name", "org_kind", "declared_households", "amount", "city", "local"]
    search_fields = ["name"]
    list_select_related = ["run__area"]


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ["community", "item", "amount", "city", "local", "assumption"]
    list_filter = ["item", "assumption"]
    search_fields = ["community__name"]
    list_select_related = ["community__run__area"]


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "created_by", "created_at"]
    list_filter = ["year"]
    search_fields = ["name"]


@admin.register(PayRecord)
class PayRecordAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "community", "basic", "qualification"]
    list_filter = ["year", "qualification"]
    search_fields = ["name", "community__name"]
    autocomplete_fields = ["community", "user"]
    list_select_related = ["community"]

    def save_model(self, request, obj, form, change):
        services.save_pay_record(actor=request.user, record=obj)
