from django.contrib import admin

from funding.models import CostSplit, HouseholdBand, MonthlySubsidy, PartyBuildingRate, Policy


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


@admin.register(PartyBuildingRate, HouseholdBand, MonthlySubsidy, CostSplit)
class PolicyRowAdmin(admin.ModelAdmin):
    list_display = ["__str__", "policy"]
    list_filter = ["policy"]
    search_fields = ["clause"]
