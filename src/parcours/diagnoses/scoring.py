"""The scoring method, as pure functions (documented in docs/scoring.md).

- A question answered at level L (0 to 4) scores L / 4 × 100.
- A domain scores the mean of its answered questions (0–100). "Not applicable"
  answers and unanswered questions are left out, not counted as zero. A domain marked
  not relevant is left out entirely; a domain with no answered question has no score.
- A core subject scores the mean of its scored domains (0–100).
- The overall score is the mean of the scored core subjects × 10 (0–1000): each core
  subject weighs the same, as ISO 26000 asks for a holistic view.
- Four maturity levels by overall score: 0–300, 301–500, 501–700, 701–1000 (the bands of
  AFNOR's public Engagé RSE scale, used for orientation only).

Arithmetic is exact (fractions) and rounded half up only for display, so raising an
answer can never lower any score.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

METHOD_VERSION = "2026.1"
MAX_LEVEL = 4

MATURITY_LEVELS = (
    # (level, lowest score, highest score, name)
    (1, 0, 300, _("Getting started")),
    (2, 301, 500, _("Progressing")),
    (3, 501, 700, _("Established")),
    (4, 701, 1000, _("Exemplary")),
)


@dataclass(frozen=True)
class DomainInput:
    key: str
    core_subject: str
    relevant: bool = True
    # one entry per applicable question: a level 0–4, "na" for not applicable, None if unanswered
    answers: Sequence[int | str | None] = ()


@dataclass
class DomainResult:
    key: str
    core_subject: str
    relevant: bool
    score: Fraction | None
    answered: int
    not_applicable: int
    unanswered: int

    @property
    def display(self) -> int | None:
        return round_half_up(self.score)


@dataclass
class CoreSubjectResult:
    key: str
    score: Fraction | None
    domains_scored: int

    @property
    def display(self) -> int | None:
        return round_half_up(self.score)


@dataclass
class Results:
    domains: dict[str, DomainResult]
    core_subjects: dict[str, CoreSubjectResult]
    overall: int | None
    maturity_level: int | None
    answered: int = 0
    applicable: int = 0
    strengths: list[DomainResult] = field(default_factory=list)
    priorities: list[DomainResult] = field(default_factory=list)

    @property
    def completeness(self) -> int:
        return (
            100
            if not self.applicable
            else int(round_half_up(Fraction(self.answered * 100, self.applicable)) or 0)
        )

    def snapshot(self) -> dict:
        """A JSON-able copy, stored when a diagnosis is completed."""
        return {
            "method": METHOD_VERSION,
            "overall": self.overall,
            "maturity_level": self.maturity_level,
            "completeness": self.completeness,
            "core_subjects": {k: v.display for k, v in self.core_subjects.items()},
            "domains": {k: v.display for k, v in self.domains.items()},
        }


def round_half_up(value: Fraction | None) -> int | None:
    if value is None:
        return None
    return int((value * 2 + 1) // 2)


def mean(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def maturity_level(overall: int | None) -> int | None:
    if overall is None:
        return None
    for level, low, high, _name in MATURITY_LEVELS:
        if low <= overall <= high:
            return level
    raise ValueError(f"score out of range: {overall}")


def maturity_name(level: int | None) -> str:
    return next((str(name) for lv, _lo, _hi, name in MATURITY_LEVELS if lv == level), "")


def score_domain(d: DomainInput) -> DomainResult:
    levels = [a for a in d.answers if isinstance(a, int)]
    for level in levels:
        if not 0 <= level <= MAX_LEVEL:
            raise ValueError(f"level out of range: {level}")
    na = sum(1 for a in d.answers if a == "na")
    unanswered = sum(1 for a in d.answers if a is None)
    score = mean([Fraction(level * 100, MAX_LEVEL) for level in levels]) if d.relevant else None
    return DomainResult(d.key, d.core_subject, d.relevant, score, len(levels), na, unanswered)


def score(domains: Iterable[DomainInput], core_subject_order: Sequence[str] = ()) -> Results:
    domain_results = {d.key: score_domain(d) for d in domains}
    by_cs: dict[str, list[Fraction]] = {key: [] for key in core_subject_order}
    for r in domain_results.values():
        by_cs.setdefault(r.core_subject, [])
        if r.score is not None:
            by_cs[r.core_subject].append(r.score)
    cs_results = {key: CoreSubjectResult(key, mean(scores), len(scores)) for key, scores in by_cs.items()}
    cs_scores = [r.score for r in cs_results.values() if r.score is not None]
    overall_exact = mean(cs_scores)
    overall = round_half_up(overall_exact * 10) if overall_exact is not None else None

    relevant = [r for r in domain_results.values() if r.relevant]
    scored = [r for r in relevant if r.score is not None]
    order = {key: i for i, key in enumerate(domain_results)}
    best_first = sorted(scored, key=lambda r: (-(r.score or 0), order[r.key]))
    # Five of each; with fewer than ten scored domains, the better half are strengths.
    n_strengths = min(5, (len(best_first) + 1) // 2)
    strengths = best_first[:n_strengths]
    priorities = sorted(best_first[n_strengths:], key=lambda r: (r.score or 0, order[r.key]))[:5]
    return Results(
        domains=domain_results,
        core_subjects=cs_results,
        overall=overall,
        maturity_level=maturity_level(overall),
        answered=sum(r.answered + r.not_applicable for r in relevant),
        applicable=sum(r.answered + r.not_applicable + r.unanswered for r in relevant),
        strengths=strengths,
        priorities=priorities,
    )
