from django.contrib import admin

from .models import PublicProfile, PublicSlug


@admin.register(PublicProfile)
class PublicProfileAdmin(admin.ModelAdmin):
    list_display = ("public_slug", "organisation", "published", "published_at", "updated_at")
    list_filter = ("published",)
    search_fields = ("public_slug", "organisation__name")
    readonly_fields = ("organisation", "published_at", "created_at", "updated_at", "updated_by")
    filter_horizontal = ("actions",)


@admin.register(PublicSlug)
class PublicSlugAdmin(admin.ModelAdmin):
    list_display = ("slug", "organisation", "created_at")
    search_fields = ("slug", "organisation__name")
    readonly_fields = ("slug", "organisation", "created_at")
