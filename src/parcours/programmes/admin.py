from django.contrib import admin

from .models import Enrolment, Programme, ProgrammeStaff, Session, SharedPractice, Step


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    raw_id_fields = ("organisation", "consultant")


class StaffInline(admin.TabularInline):
    model = ProgrammeStaff
    extra = 0
    raw_id_fields = ("user",)


class StepInline(admin.TabularInline):
    model = Step
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "starts_on", "ends_on")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [StaffInline, StepInline, EnrolmentInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("title", "programme", "kind", "starts_at")
    list_filter = ("kind",)


@admin.register(SharedPractice)
class SharedPracticeAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "shared_at", "copies")
