"""Proposed correspondences between ISO 26000 domains, the SDGs and the VSME disclosures
(data in data/crosswalks.yaml, derived by Parcours from public texts — not official tables;
pages must say so)."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from parcours.core.i18n import tr

DATA = Path(__file__).resolve().parent / "data" / "crosswalks.yaml"


@cache
def _data() -> dict[str, Any]:
    return dict(yaml.safe_load(DATA.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Crosswalk:
    vsme: list[str]  # disclosure codes, B1…C9
    sdgs: list[tuple[int, str]]  # (number, title in the current language)


def _matches(iso: str, clause: str) -> bool:
    return clause == iso or clause.startswith(iso + ".")


def note() -> str:
    return tr(_data()["meta"]["note"])


def for_domain(clause: str) -> Crosswalk:
    data = _data()
    vsme = [
        code for code, clauses in data["vsme_to_iso"].items() if any(_matches(c, clause) for c in clauses)
    ]
    row = data["iso_to_sdg"].get(clause) or {}
    sdgs = [(n, tr(data["sdgs"][n])) for n in sorted(row.get("sdgs", []))]
    return Crosswalk(vsme=vsme, sdgs=sdgs)


def domains_for_disclosure(code: str) -> list[str]:
    """ISO 26000 clauses (issues, or whole core subjects) related to a VSME disclosure."""
    return list(_data()["vsme_to_iso"].get(code, []))


def sdgs_for_disclosure(code: str) -> list[tuple[int, str]]:
    data = _data()
    numbers: set[int] = set()
    for iso in domains_for_disclosure(code):
        for clause, row in data["iso_to_sdg"].items():
            if _matches(iso, clause):
                numbers.update(row.get("sdgs", []))
    return [(n, tr(data["sdgs"][n])) for n in sorted(numbers)]


B2_MATTERS = "vsme:SustainabilityIssueAddressedByPracticePolicyAndOrFutureInitiative"
PRACTICE_IN_PLACE = 50  # a domain score of 50/100: on average level 2 of 4, a practice that exists


def b2_suggestions(domain_scores: dict[str, int | None], clause_of: dict[str, str]) -> dict[str, list[str]]:
    """VSME B2 sustainability matters the diagnosis shows practices for: member → the
    clauses of the domains scoring at least PRACTICE_IN_PLACE. ``domain_scores`` maps domain
    keys to scores (0–100), ``clause_of`` domain keys to clauses."""
    out: dict[str, list[str]] = {}
    for member, clauses in _data().get("b2_matter_to_iso", {}).items():
        hits = sorted(
            clause_of[key]
            for key, score in domain_scores.items()
            if score is not None
            and score >= PRACTICE_IN_PLACE
            and key in clause_of
            and any(_matches(c, clause_of[key]) for c in clauses)
        )
        if hits:
            out[member] = hits
    return out
