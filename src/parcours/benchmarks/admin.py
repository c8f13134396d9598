from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import BenchmarkGroup


@admin.register(BenchmarkGroup)
class BenchmarkGroupAdmin(admin.ModelAdmin):
    """Read-only: rows are written by the recompute only (docs/benchmarks.md)."""

    list_display = ("key", "status", "reason", "n", "published_at", "computed_at")
    list_filter = ("status", "reason", "size_band", "sector")
    search_fields = ("key",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
