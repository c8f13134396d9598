from django.contrib import admin

from .models import Enrolment, Programme


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "funder", "starts_on", "ends_on")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("coordinators",)
    inlines = [EnrolmentInline]
