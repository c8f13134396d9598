"""Content stored in both languages ({"fr": ..., "en": ...}) and read in the current one."""

from typing import Any

from django.utils.translation import get_language

FALLBACK = "fr"


def tr(value: Any, language: str | None = None) -> str:
    """Pick the text of ``value`` (a {"fr", "en"} dict) for the active language."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    lang = (language or get_language() or FALLBACK)[:2]
    return str(value.get(lang) or value.get(FALLBACK) or next(iter(value.values()), ""))
