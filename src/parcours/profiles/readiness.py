"""Label readiness: where a self-assessment sits on a label's public score bands, which
domains hold it back, and which evidence is still missing (method in docs/label-readiness.md).

The bands come from ``data/labels.yaml`` (public facts, with their sources). Nothing here
predicts a label's evaluation: the real grid has per-chapter thresholds that are not public.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from parcours.core.i18n import tr
from parcours.diagnoses.models import Answer, Diagnosis, DomainAssessment
from parcours.diagnoses.scoring import round_half_up
from parcours.evidence.models import Evidence
from parcours.organisations.models import Organisation
from parcours.referential.models import CoreSubject, Domain, Question
from parcours.referential.selectors import referential_tree

from . import selectors

LABELS_FILE = Path(__file__).resolve().parent / "data" / "labels.yaml"
DEFAULT_LABEL = "afnor_engage_rse"
DOMAINS_SHOWN = 6
EVIDENCE_FROM_LEVEL = 2  # from level 2 an answer claims a practice an evaluator will ask to see

DISCLAIMER = _(
    "This is a self-assessment made with Parcours on the ISO 26000 guidelines. It is not the "
    "%(label)s label, it is not an evaluation by AFNOR Certification and it does not predict one: "
    "the label is awarded after AFNOR's own evaluation, whose thresholds per chapter are not public."
)


def disclaimer(label: "Label") -> str:
    return str(DISCLAIMER) % {"label": label.short_label}


@dataclass(frozen=True)
class Band:
    key: str
    name: dict[str, str]
    low: int
    high: int
    stars: int = 0

    @property
    def label(self) -> str:
        return tr(self.name)


@dataclass(frozen=True)
class Label:
    key: str
    name: dict[str, str]
    short_name: dict[str, str]
    nature: dict[str, str]
    scale_max: int
    bands: tuple[Band, ...]
    confidence: str
    sources: tuple[dict[str, str], ...]

    @property
    def label(self) -> str:
        return tr(self.name)

    @property
    def short_label(self) -> str:
        return tr(self.short_name)

    @property
    def nature_text(self) -> str:
        return tr(self.nature)

    def band_of(self, score: int) -> Band | None:
        """The band ``score`` falls in; None below the first band (a score of 0)."""
        return next((b for b in self.bands if b.low <= score <= b.high), None)

    def next_band(self, score: int) -> Band | None:
        """The first band above ``score``; None once in the top band."""
        return next((b for b in self.bands if b.low > score), None)


@cache
def labels() -> dict[str, Label]:
    with LABELS_FILE.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return {
        key: Label(
            key=key,
            name=entry["name"],
            short_name=entry.get("short_name", entry["name"]),
            nature=entry.get("nature", {}),
            scale_max=int(entry["scale_max"]),
            bands=tuple(
                Band(b["key"], b["name"], int(b["min"]), int(b["max"]), int(b.get("stars", 0)))
                for b in entry["levels"]
            ),
            confidence=entry.get("confidence", ""),
            sources=tuple(entry.get("sources", [])),
        )
        for key, entry in data.items()
    }


@dataclass(frozen=True)
class DomainLift:
    """A scored domain and what raising it to 100 would add to the overall score (0–1000)."""

    key: str
    core_subject: str
    score: int
    domains_in_subject: int
    gain: Fraction

    @property
    def gain_display(self) -> int:
        return int(round_half_up(self.gain) or 0)


def rank_domains(
    domain_scores: Mapping[str, int | None],
    subject_of: Mapping[str, str],
    order: Sequence[str] = (),
    limit: int = DOMAINS_SHOWN,
) -> list[DomainLift]:
    """Scored domains ranked by how much raising them to 100 would lift the overall score.

    The overall score is the mean of the scored core subjects × 10, and a core subject the
    mean of its scored domains, so a domain scoring s in a subject with n scored domains,
    among K scored subjects, can add (100 − s) × 10 ÷ (n × K) points: a domain of a subject
    with few domains counts more. Ties: the lower score first, then the referential order.
    """
    scored = {k: s for k, s in domain_scores.items() if s is not None and k in subject_of}
    per_subject = Counter(subject_of[k] for k in scored)
    subjects = len(per_subject)
    position = {k: i for i, k in enumerate(order)}
    lifts = [
        DomainLift(
            key=k,
            core_subject=subject_of[k],
            score=s,
            domains_in_subject=per_subject[subject_of[k]],
            gain=Fraction((100 - s) * 10, per_subject[subject_of[k]] * subjects),
        )
        for k, s in scored.items()
        if s < 100
    ]
    lifts.sort(key=lambda d: (-d.gain, d.score, position.get(d.key, len(position)), d.key))
    return lifts[:limit]


@dataclass
class MissingEvidence:
    question: Question
    level: int

    @property
    def text(self) -> str:
        return tr(self.question.text)

    @property
    def evidence(self) -> str:
        return tr(self.question.evidence)

    @property
    def level_text(self) -> str:
        levels = self.question.levels or []
        return tr(levels[self.level]) if self.level < len(levels) else ""


@dataclass
class DomainRow:
    lift: DomainLift
    domain: Domain
    core_subject: CoreSubject
    claimed: int = 0  # answers at level ≥ 2
    missing: list[MissingEvidence] = field(default_factory=list)


def missing_evidence(diagnosis: Diagnosis, questions: Sequence[Question]) -> tuple[set[int], list[Answer]]:
    """Among ``questions``, the ids of those answered at level ≥ 2, and the answers among
    them with no evidence file attached. One query."""
    answers = list(
        Answer.objects.filter(
            diagnosis=diagnosis,
            question_id__in=[q.pk for q in questions],
            level__gte=EVIDENCE_FROM_LEVEL,
            not_applicable=False,
        ).annotate(has_file=Exists(Evidence.objects.filter(answer=OuterRef("pk"))))
    )
    return {a.question_id for a in answers}, [a for a in answers if not a.has_file]


def readiness_context(organisation: Organisation, label_key: str = DEFAULT_LABEL) -> dict[str, Any]:
    """Everything the readiness page and its PDF show, in the active language."""
    label = labels()[label_key]
    diagnosis = selectors.latest_final_diagnosis(organisation)
    context: dict[str, Any] = {
        "label": label,
        "diagnosis": diagnosis,
        "open_diagnosis": None,
        "disclaimer": disclaimer(label),
    }
    if diagnosis is None:
        context["open_diagnosis"] = selectors.open_diagnosis(organisation)
        return context
    results = diagnosis.results or {}
    overall = diagnosis.overall_score if diagnosis.overall_score is not None else results.get("overall")
    tree = referential_tree(diagnosis.referential_version)
    subject_of = {key: node.domain.core_subject.key for key, node in tree.domains.items()}
    domain_scores: dict[str, int | None] = results.get("domains", {})
    lifts = rank_domains(domain_scores, subject_of, order=list(tree.domains))

    rows = [
        DomainRow(lift, tree.domains[lift.key].domain, tree.domains[lift.key].domain.core_subject)
        for lift in lifts
    ]
    by_key = {row.domain.key: row for row in rows}
    questions = [
        q for row in rows for q in tree.domains[row.domain.key].questions if q.applies_to(diagnosis.size_band)
    ]
    claimed, without_file = missing_evidence(diagnosis, questions)
    question_by_id = {q.pk: q for q in questions}
    for q in questions:
        by_key[q.domain.key].claimed += q.pk in claimed
    position = {q.pk: i for i, q in enumerate(questions)}
    for answer in sorted(without_file, key=lambda a: position[a.question_id]):
        q = question_by_id[answer.question_id]
        by_key[q.domain.key].missing.append(MissingEvidence(q, int(answer.level or 0)))

    not_relevant = set(
        DomainAssessment.objects.filter(diagnosis=diagnosis, relevant=False).values_list(
            "domain__key", flat=True
        )
    )
    unscored = [
        node.domain
        for key, node in tree.domains.items()
        if domain_scores.get(key) is None
        and key not in not_relevant
        and any(q.applies_to(diagnosis.size_band) for q in node.questions)
    ]
    band = label.band_of(overall) if overall is not None else None
    next_band = label.next_band(overall) if overall is not None else None
    context.update(
        {
            "overall": overall,
            "band": band,
            "next_band": next_band,
            "points_missing": next_band.low - overall
            if next_band is not None and overall is not None
            else None,
            "scale_percent": max(0, min(100, round(100 * (overall or 0) / label.scale_max))),
            "completeness": results.get("completeness"),
            "rows": rows,
            "unscored": unscored,
            "open_diagnosis": selectors.open_diagnosis(organisation),
        }
    )
    return context
