from django.contrib import admin

from .models import AuditEntry, ConsultantAssignment, Invitation, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


class ConsultantInline(admin.TabularInline):
    model = ConsultantAssignment
    extra = 0
    autocomplete_fields = ("consultant",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "siren", "headcount_band", "region", "department")
    search_fields = ("name", "slug", "siren")
    list_filter = ("headcount_band", "region")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline, ConsultantInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "created_at", "accepted_at")
    exclude = ("token",)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is never edited, not even by staff."""

    list_display = ("at", "organisation", "actor", "action", "object_type", "object_id")
    list_filter = ("action",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
