from django.contrib import admin

from .models import ActivityEntry, CarbonEstimate, FactorOverride


class ActivityEntryInline(admin.TabularInline):
    model = ActivityEntry
    extra = 0


class FactorOverrideInline(admin.TabularInline):
    model = FactorOverride
    extra = 0
    readonly_fields = ["set_by", "set_at"]


@admin.register(CarbonEstimate)
class CarbonEstimateAdmin(admin.ModelAdmin):
    list_display = ["reporting_year", "factor_set_version", "updated_at"]
    list_select_related = ["reporting_year__organisation"]
    readonly_fields = ["updated_by", "created_at", "updated_at"]
    inlines = [ActivityEntryInline, FactorOverrideInline]
