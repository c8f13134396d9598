from typing import Any

from django import template

from parcours.core.i18n import tr as translate

register = template.Library()


@register.filter
def tr(value: Any) -> str:
    """{{ domain.title|tr }}: content stored in both languages, shown in the active one."""
    return translate(value)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def signed(value: int | None) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else ("±0" if value == 0 else f"−{abs(value)}")
