"""The action catalogue: data files in ``actions/data/catalogue/<core subject>.yaml``."""

from pathlib import Path
from typing import Any

import yaml

from parcours.core.content_checks import check_text, domain_core_subjects

CATALOGUE_DIR = Path(__file__).resolve().parent / "data" / "catalogue"
EFFORTS = {"low", "medium", "high"}
COSTS = {"none", "lt1k", "1k_10k", "gt10k"}
MIN_PER_DOMAIN = 2


def read_catalogue(files: list[Path] | None = None) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = []
    for path in files if files is not None else sorted(CATALOGUE_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for action in data.get("actions", []):
            actions.append({**action, "_file": path.name})
    return actions


def validate(actions: list[dict[str, Any]], require_all_domains: bool = True) -> list[str]:
    errors: list[str] = []
    known = domain_core_subjects()
    keys: set[str] = set()
    titles: set[str] = set()
    per_domain: dict[str, int] = {}
    main_subjects: set[str] = set()
    for a in actions:
        key = str(a.get("key", ""))
        where = f"{a.get('_file', '?')} {key}"
        if not key.startswith("a-") or key in keys:
            errors.append(f"{where}: key must start with 'a-' and be unique")
        keys.add(key)
        domains = a.get("domains") or []
        if not domains or any(d not in known for d in domains):
            errors.append(f"{where}: domains must be known domain keys")
        for d in domains:
            per_domain[d] = per_domain.get(d, 0) + 1
        if domains and domains[0] in known:
            main_subjects.add(known[domains[0]])
        check_text(a.get("title"), f"{where} title", errors, 8)
        check_text(a.get("description"), f"{where} description", errors, 80)
        check_text(a.get("expected_effect"), f"{where} expected_effect", errors, 20)
        check_text(a.get("indicator"), f"{where} indicator", errors, 10)
        if a.get("effort") not in EFFORTS:
            errors.append(f"{where}: effort must be one of {sorted(EFFORTS)}")
        if a.get("cost_band") not in COSTS:
            errors.append(f"{where}: cost_band must be one of {sorted(COSTS)}")
        for lang in ("fr", "en"):
            title = str((a.get("title") or {}).get(lang, "")).strip().lower()
            if title in titles:
                errors.append(f"{where}: duplicate title {title!r}")
            titles.add(title)
    for d, cs in known.items():
        if (require_all_domains or cs in main_subjects) and per_domain.get(d, 0) < MIN_PER_DOMAIN:
            errors.append(f"domain {d}: {per_domain.get(d, 0)} actions, needs at least {MIN_PER_DOMAIN}")
    return errors
