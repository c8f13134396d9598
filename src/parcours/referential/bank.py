"""Reading and checking the referential data files (no Django needed, so content authors
can run ``python tools/check_question_bank.py``).

A referential version is a folder: ``structure.yaml`` (principles, fundamental practices,
core subjects and domains) and ``questions/<core subject>.yaml`` (the question bank).
"""

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGS = ("fr", "en")
SIZE_BANDS = {"micro", "small", "medium"}
LEVEL_COUNT = 5
MIN_QUESTIONS_PER_DOMAIN = 3
BARE_DEGREES = re.compile(
    r"\b(partially|mostly|somewhat|fully|partiellement|plutôt|globalement|en partie|totalement)\b", re.I
)


def available_versions() -> list[Path]:
    return sorted(p for p in DATA_DIR.iterdir() if (p / "structure.yaml").exists())


def latest_version_dir() -> Path:
    versions = available_versions()
    if not versions:
        raise FileNotFoundError(f"no referential version under {DATA_DIR}")
    return versions[-1]


def read_bank(folder: Path, question_files: list[Path] | None = None) -> dict[str, Any]:
    """Return the structure with each domain's questions attached, in file order."""
    structure = yaml.safe_load((folder / "structure.yaml").read_text(encoding="utf-8"))
    by_domain = {d["key"]: d for cs in structure["core_subjects"] for d in cs["domains"]}
    for d in by_domain.values():
        d.setdefault("questions", [])
    files = question_files if question_files is not None else sorted((folder / "questions").glob("*.yaml"))
    structure["_question_core_subjects"] = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        structure["_question_core_subjects"].append(data.get("core_subject"))
        for block in data.get("domains", []):
            domain = by_domain.get(block.get("domain"))
            if domain is None:
                raise ValueError(f"{path.name}: unknown domain {block.get('domain')!r}")
            domain["_file_core_subject"] = data.get("core_subject")
            domain["questions"].extend(block.get("questions", []))
    return structure


def validate(bank: dict[str, Any], require_all_domains: bool = True) -> list[str]:
    """Every rule the question bank must follow; an empty list means it is sound."""
    errors: list[str] = []
    keys: set[str] = set()
    texts: dict[str, str] = {}
    checked = set(bank.get("_question_core_subjects", []))
    for cs in bank["core_subjects"]:
        for field in ("key", "clause"):
            if not cs.get(field):
                errors.append(f"core subject without {field}")
        errors += _check_langs(cs.get("title"), f"core subject {cs.get('key')} title")
        for domain in cs["domains"]:
            dkey = domain["key"]
            errors += _check_langs(domain.get("title"), f"domain {dkey} title")
            if domain.get("_file_core_subject") not in (None, cs["key"]):
                errors.append(f"domain {dkey} is filed under {domain['_file_core_subject']}, not {cs['key']}")
            for q in domain["questions"]:
                errors += _check_question(q, dkey, keys, texts)
            if (require_all_domains or cs["key"] in checked) and len(
                domain["questions"]
            ) < MIN_QUESTIONS_PER_DOMAIN:
                errors.append(
                    f"domain {dkey}: {len(domain['questions'])} questions, needs at least {MIN_QUESTIONS_PER_DOMAIN}"
                )
    return errors


def _check_langs(value: Any, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: expected fr and en"]
    return [f"{where}: missing {lang}" for lang in LANGS if not str(value.get(lang, "")).strip()]


def _check_question(q: dict[str, Any], dkey: str, keys: set[str], texts: dict[str, str]) -> list[str]:
    errors: list[str] = []
    key = str(q.get("key", ""))
    where = f"question {key or '?'}"
    if not key.startswith(f"{dkey}."):
        errors.append(f"{where}: key must start with '{dkey}.'")
    if key in keys:
        errors.append(f"{where}: duplicate key")
    keys.add(key)
    for field in ("text", "why", "evidence"):
        errors += _check_langs(q.get(field), f"{where} {field}")
    for lang in LANGS:
        text = str((q.get("text") or {}).get(lang, "")).strip().lower()
        if text in texts:
            errors.append(f"{where}: same text as {texts[text]}")
        texts[text] = key
    levels = q.get("levels") or []
    if len(levels) != LEVEL_COUNT:
        errors.append(f"{where}: needs exactly {LEVEL_COUNT} levels (0 to 4), has {len(levels)}")
    for lang in LANGS:
        seen: set[str] = set()
        for i, level in enumerate(levels):
            text = str((level or {}).get(lang, "")).strip()
            if len(text) < 25:
                errors.append(f"{where}: level {i} {lang} too short to describe a practice")
            if BARE_DEGREES.search(text):
                errors.append(f"{where}: level {i} {lang} uses a bare degree word: {text!r}")
            if text.lower() in seen:
                errors.append(f"{where}: level {i} {lang} repeats another level")
            seen.add(text.lower())
    bands = q.get("size_bands")
    if bands is not None and (not bands or not set(bands) <= SIZE_BANDS):
        errors.append(f"{where}: size_bands must be a non-empty subset of {sorted(SIZE_BANDS)}")
    return errors


def structure_fingerprint(bank: dict[str, Any]) -> str:
    """What scores depend on: which domains, which questions, how many levels, size bands."""
    shape = [
        [
            cs["key"],
            [
                [
                    d["key"],
                    [[q["key"], len(q["levels"]), sorted(q.get("size_bands") or [])] for q in d["questions"]],
                ]
                for d in cs["domains"]
            ],
        ]
        for cs in bank["core_subjects"]
    ]
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()


def content_hash(bank: dict[str, Any]) -> str:
    clean = {k: v for k, v in bank.items() if not k.startswith("_")}
    return hashlib.sha256(json.dumps(clean, sort_keys=True, default=str).encode()).hexdigest()
