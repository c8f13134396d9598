"""Shared checks for bilingual content files (no Django needed)."""

from pathlib import Path

import yaml

LANGS = ("fr", "en")
STRUCTURE = Path(__file__).resolve().parent.parent / "referential/data/iso26000-2026.1/structure.yaml"


def domain_core_subjects() -> dict[str, str]:
    """domain key → core subject key, from the referential's structure file."""
    s = yaml.safe_load(STRUCTURE.read_text(encoding="utf-8"))
    return {d["key"]: cs["key"] for cs in s["core_subjects"] for d in cs["domains"]}


def check_text(value: object, where: str, errors: list[str], min_len: int = 10) -> None:
    if not isinstance(value, dict):
        errors.append(f"{where}: expected {{fr, en}}")
        return
    for lang in LANGS:
        if len(str(value.get(lang, "")).strip()) < min_len:
            errors.append(f"{where}: {lang} missing or too short")


def check_text_list(value: object, where: str, errors: list[str], min_items: int) -> None:
    if not isinstance(value, dict):
        errors.append(f"{where}: expected {{fr: [...], en: [...]}}")
        return
    fr, en = value.get("fr") or [], value.get("en") or []
    if len(fr) != len(en):
        errors.append(f"{where}: {len(fr)} French items but {len(en)} English ones")
    if len(fr) < min_items:
        errors.append(f"{where}: needs at least {min_items} items")
