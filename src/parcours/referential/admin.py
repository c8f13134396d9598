from django.contrib import admin

from .models import CoreSubject, Domain, Question, ReferentialVersion


@admin.register(ReferentialVersion)
class ReferentialVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "is_current", "loaded_at")
    readonly_fields = ("structure_fingerprint", "content_hash", "loaded_at")


@admin.register(CoreSubject)
class CoreSubjectAdmin(admin.ModelAdmin):
    list_display = ("clause", "key", "version")
    list_filter = ("version",)


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("clause", "key", "core_subject", "version")
    list_filter = ("version",)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("key", "domain", "version")
    list_filter = ("version",)
    search_fields = ("key",)
