"""Check the learning guidance and the action catalogue files (no Django needed).

Usage: python tools/check_content.py [guidance|actions] [FILE...]
"""

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent / "src/parcours"
STRUCTURE = ROOT / "referential/data/iso26000-2026.1/structure.yaml"
LANGS = ("fr", "en")
EFFORTS = {"low", "medium", "high"}
COSTS = {"none", "lt1k", "1k_10k", "gt10k"}


def domains() -> dict[str, str]:
    s = yaml.safe_load(STRUCTURE.read_text(encoding="utf-8"))
    return {d["key"]: cs["key"] for cs in s["core_subjects"] for d in cs["domains"]}


def text(value: object, where: str, errors: list[str], min_len: int = 10) -> None:
    if not isinstance(value, dict):
        errors.append(f"{where}: expected {{fr, en}}")
        return
    for lang in LANGS:
        if len(str(value.get(lang, "")).strip()) < min_len:
            errors.append(f"{where}: {lang} missing or too short")


def text_list(value: object, where: str, errors: list[str], min_items: int) -> None:
    if not isinstance(value, dict):
        errors.append(f"{where}: expected {{fr: [...], en: [...]}}")
        return
    fr, en = value.get("fr") or [], value.get("en") or []
    if len(fr) != len(en):
        errors.append(f"{where}: {len(fr)} French items but {len(en)} English ones")
    if len(fr) < min_items:
        errors.append(f"{where}: needs at least {min_items} items")


def check_guidance(files: list[Path]) -> list[str]:
    errors: list[str] = []
    known = domains()
    seen_domains: set[str] = set()
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        cs = data.get("core_subject")
        text(data.get("overview"), f"{path.name} overview", errors, 200)
        checks = data.get("self_check") or []
        if not 3 <= len(checks) <= 5:
            errors.append(f"{path.name}: self_check needs 3 to 5 questions, has {len(checks)}")
        for i, q in enumerate(checks):
            where = f"{path.name} self_check {i + 1}"
            if not str(q.get("key", "")).startswith(f"{cs}."):
                errors.append(f"{where}: key must start with '{cs}.'")
            text(q.get("question"), where, errors)
            text(q.get("explanation"), f"{where} explanation", errors, 30)
            options = q.get("options") or []
            if not 3 <= len(options) <= 4 or sum(1 for o in options if o.get("correct")) != 1:
                errors.append(f"{where}: needs 3–4 options with exactly one correct")
            for o in options:
                text(o, f"{where} option", errors, 2)
        for block in data.get("domains", []):
            key = block.get("domain")
            where = f"{path.name} {key}"
            if known.get(key) != cs:
                errors.append(f"{where}: not a domain of {cs}")
            seen_domains.add(key)
            text(block.get("meaning"), f"{where} meaning", errors, 150)
            text_list(block.get("examples"), f"{where} examples", errors, 3)
            text_list(block.get("pitfalls"), f"{where} pitfalls", errors, 2)
            text_list(block.get("obligations"), f"{where} obligations", errors, 0)
        expected = {d for d, c in known.items() if c == cs}
        if missing := expected - seen_domains:
            errors.append(f"{path.name}: domains without guidance: {sorted(missing)}")
    return errors


def check_actions(files: list[Path]) -> list[str]:
    errors: list[str] = []
    known = domains()
    keys: set[str] = set()
    titles: set[str] = set()
    per_domain: dict[str, int] = {}
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for a in data.get("actions", []):
            key = a.get("key", "")
            where = f"{path.name} {key}"
            if not key.startswith("a-") or key in keys:
                errors.append(f"{where}: key must start with 'a-' and be unique")
            keys.add(key)
            ds = a.get("domains") or []
            if not ds or any(d not in known for d in ds):
                errors.append(f"{where}: domains must be known domain keys")
            for d in ds:
                per_domain[d] = per_domain.get(d, 0) + 1
            text(a.get("title"), f"{where} title", errors, 8)
            text(a.get("description"), f"{where} description", errors, 80)
            text(a.get("expected_effect"), f"{where} expected_effect", errors, 20)
            text(a.get("indicator"), f"{where} indicator", errors, 10)
            if a.get("effort") not in EFFORTS:
                errors.append(f"{where}: effort must be one of {sorted(EFFORTS)}")
            if a.get("cost_band") not in COSTS:
                errors.append(f"{where}: cost_band must be one of {sorted(COSTS)}")
            for lang in LANGS:
                t = str((a.get("title") or {}).get(lang, "")).lower()
                if t in titles:
                    errors.append(f"{where}: duplicate title {t!r}")
                titles.add(t)
    covered_cs = {known[d] for d in per_domain}
    for d, cs in known.items():
        if cs in covered_cs and per_domain.get(d, 0) < 2:
            errors.append(f"domain {d}: {per_domain.get(d, 0)} actions, needs at least 2")
    return errors


def main(argv: list[str]) -> int:
    kind = argv[0] if argv else "guidance"
    folder = ROOT / ("learning/data/guidance" if kind == "guidance" else "actions/data/catalogue")
    files = [Path(a) for a in argv[1:]] or sorted(folder.glob("*.yaml"))
    errors = check_guidance(files) if kind == "guidance" else check_actions(files)
    for e in errors:
        print(e)
    print(f"{kind}: {len(files)} files, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
