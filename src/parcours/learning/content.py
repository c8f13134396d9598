"""Learning guidance: data files in ``learning/data/guidance/<core subject>.yaml``.

Content is read from the package files (it is versioned with the code); only each
person's progress is stored in the database.
"""

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from parcours.core.content_checks import check_text, check_text_list, domain_core_subjects

GUIDANCE_DIR = Path(__file__).resolve().parent / "data" / "guidance"


def read_file(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@cache
def guidance() -> dict[str, dict[str, Any]]:
    """core subject key → its guidance (overview, self_check, domains by key)."""
    out = {}
    for path in sorted(GUIDANCE_DIR.glob("*.yaml")):
        data = read_file(path)
        data["domains_by_key"] = {block["domain"]: block for block in data.get("domains", [])}
        out[data["core_subject"]] = data
    return out


def validate(files: list[Path] | None = None) -> list[str]:
    errors: list[str] = []
    known = domain_core_subjects()
    paths = files if files is not None else sorted(GUIDANCE_DIR.glob("*.yaml"))
    seen_subjects = set()
    for path in paths:
        data = read_file(path)
        cs = data.get("core_subject")
        seen_subjects.add(cs)
        check_text(data.get("overview"), f"{path.name} overview", errors, 200)
        checks = data.get("self_check") or []
        if not 3 <= len(checks) <= 5:
            errors.append(f"{path.name}: self_check needs 3 to 5 questions, has {len(checks)}")
        keys = set()
        for i, q in enumerate(checks):
            where = f"{path.name} self_check {i + 1}"
            key = str(q.get("key", ""))
            if not key.startswith(f"{cs}.") or key in keys:
                errors.append(f"{where}: key must start with '{cs}.' and be unique")
            keys.add(key)
            check_text(q.get("question"), where, errors)
            check_text(q.get("explanation"), f"{where} explanation", errors, 30)
            options = q.get("options") or []
            if not 3 <= len(options) <= 4 or sum(1 for o in options if o.get("correct")) != 1:
                errors.append(f"{where}: needs 3–4 options with exactly one correct")
            for option in options:
                check_text(option, f"{where} option", errors, 2)
        seen_domains = set()
        for block in data.get("domains", []):
            key = block.get("domain")
            where = f"{path.name} {key}"
            if known.get(key) != cs:
                errors.append(f"{where}: not a domain of {cs}")
            seen_domains.add(key)
            check_text(block.get("meaning"), f"{where} meaning", errors, 150)
            check_text_list(block.get("examples"), f"{where} examples", errors, 3)
            check_text_list(block.get("pitfalls"), f"{where} pitfalls", errors, 2)
            check_text_list(block.get("obligations"), f"{where} obligations", errors, 0)
        if missing := {d for d, c in known.items() if c == cs} - seen_domains:
            errors.append(f"{path.name}: domains without guidance: {sorted(missing)}")
    if files is None and (missing_cs := set(known.values()) - seen_subjects):
        errors.append(f"core subjects without guidance: {sorted(missing_cs)}")
    return errors
