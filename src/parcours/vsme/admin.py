from django.contrib import admin

from .models import Fact, ReportingYear


class FactInline(admin.TabularInline):
    model = Fact
    extra = 0
    fields = ("concept", "dimensions", "period", "value", "unit", "decimals", "source", "updated_at")
    readonly_fields = ("updated_at",)


@admin.register(ReportingYear)
class ReportingYearAdmin(admin.ModelAdmin):
    list_display = ("organisation", "year", "module", "currency", "updated_at")
    list_filter = ("module", "year")
    search_fields = ("organisation__name", "organisation__slug")
    inlines = [FactInline]
