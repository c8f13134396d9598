"""Synthetic companies with validated diagnoses, created in bulk, to test and time the
benchmarks at scale (never in production). Used by the tests and callable from a bench
script::

    from parcours.benchmarks.synthetic import bulk_seed, time_recompute
    bulk_seed(organisations=10_000, programmes=20)
    print(time_recompute(runs=5))
"""

import random
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from parcours.diagnoses import scoring
from parcours.diagnoses.models import Diagnosis
from parcours.organisations.models import HeadcountBand, Organisation
from parcours.programmes.models import Enrolment, Programme
from parcours.referential.selectors import Tree, current_version, referential_tree

from .services import recompute_benchmarks

# NAF codes spread over sections, manufacturing and trade the most common as among SMEs
NACE_CODES = (
    ["13.20Z", "25.62B", "10.71C", "31.09B", "16.23Z"] * 3
    + ["46.90Z", "47.11B", "45.20A"] * 2
    + ["41.20A", "43.22A", "62.01Z", "70.22Z", "71.12B", "56.10A", "55.10Z"]
    + ["01.11Z", "38.11Z", "49.41A", "86.23Z", "85.59A", "96.02A", "68.20B", ""]
)


class SeedRefused(Exception):
    pass


@dataclass(frozen=True)
class Seeded:
    organisations: list[int]
    programmes: list[int]
    diagnoses: list[int]


def _results(rng: random.Random, subjects: dict[str, list[str]]) -> dict[str, Any]:
    base = rng.uniform(15, 85)
    domains: dict[str, int | None] = {}
    core_subjects: dict[str, int | None] = {}
    for cs, keys in subjects.items():
        scored = []
        for key in keys:
            value = None if rng.random() < 0.12 else max(0, min(100, round(rng.gauss(base, 18))))
            domains[key] = value
            if value is not None:
                scored.append(value)
        if not scored:  # a validated diagnosis scores every core subject
            domains[keys[0]] = round(base)
            scored.append(round(base))
        core_subjects[cs] = round(sum(scored) / len(scored))
    overall = round(sum(v for v in core_subjects.values() if v is not None) / len(core_subjects) * 10)
    return {"method": "2026.1", "overall": overall, "core_subjects": core_subjects, "domains": domains}


def results_snapshot(rng: random.Random, subjects: dict[str, list[str]]) -> dict[str, Any]:
    """Like ``_results``, in the full shape of ``scoring.Results.snapshot()`` (with the maturity
    level and completeness), for a diagnosis stored without its answers."""
    results = _results(rng, subjects)
    return {
        "method": scoring.METHOD_VERSION,
        "overall": results["overall"],
        "maturity_level": scoring.maturity_level(results["overall"]),
        "completeness": 100,
        "core_subjects": results["core_subjects"],
        "domains": results["domains"],
    }


def scored_answers(
    rng: random.Random, tree: Tree, size_band: str, base: float
) -> tuple[dict[int, int | None], dict[str, Any]]:
    """A level (0–4, drawn around ``base``) for every question that applies to ``size_band``,
    3 % of them not applicable (None), and the snapshot ``scoring`` computes from them: the
    results a diagnosis completed with these answers would store."""
    levels: dict[int, int | None] = {}
    inputs = []
    for node in tree.core_subjects:
        shift = rng.gauss(0, 0.5)
        for d in node.domains:
            values: list[int | str | None] = []
            for q in d.questions:
                if not q.applies_to(size_band):
                    continue
                level = (
                    None if rng.random() < 0.03 else max(0, min(4, round(base + shift + rng.gauss(0, 0.8))))
                )
                levels[q.pk] = level
                values.append("na" if level is None else level)
            inputs.append(scoring.DomainInput(d.domain.key, node.core_subject.key, True, values))
    results = scoring.score(inputs, [n.core_subject.key for n in tree.core_subjects])
    return levels, results.snapshot()


@transaction.atomic
def bulk_seed(
    *, organisations: int, programmes: int = 20, seed: int = 26000, prefix: str = "bench"
) -> Seeded:
    """Create ``organisations`` companies, each with one validated diagnosis (a tenth with
    an older one too), and ``programmes`` programmes enrolling about two thirds of them."""
    if not settings.ALLOW_DEMO_SEED:
        raise SeedRefused("synthetic data is refused in production")
    version = current_version()
    if version is None:
        raise SeedRefused("load the referential first (manage.py load_referential)")
    tree = referential_tree(version)
    subjects = {n.core_subject.key: [d.domain.key for d in n.domains] for n in tree.core_subjects}
    rng = random.Random(seed)
    now = timezone.now()

    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"{prefix.title()} company {i}",
            slug=f"{prefix}-{seed}-{i}",
            nace_code=rng.choice(NACE_CODES),
            headcount_band=rng.choice(HeadcountBand.values),
        )
        for i in range(organisations)
    )
    progs = Programme.objects.bulk_create(
        Programme(name=f"{prefix.title()} programme {i}", slug=f"{prefix}-{seed}-p{i}")
        for i in range(programmes)
    )
    enrolments = []
    for org in orgs:
        if progs and rng.random() < 0.67:
            for programme in rng.sample(progs, 2 if rng.random() < 0.1 else 1):
                enrolments.append(Enrolment(programme=programme, organisation=org))
    Enrolment.objects.bulk_create(enrolments)

    diagnoses = []
    for org in orgs:
        versions = 2 if rng.random() < 0.1 else 1
        for v in range(versions):
            when = now - timedelta(days=400 * (versions - 1 - v) + rng.randint(1, 300))
            results = _results(rng, subjects)
            diagnoses.append(
                Diagnosis(
                    organisation=org,
                    referential_version=version,
                    size_band=org.headcount_band,
                    status=Diagnosis.Status.VALIDATED,
                    completed_at=when,
                    validated_at=when,
                    overall_score=results["overall"],
                    results=results,
                )
            )
    Diagnosis.objects.bulk_create(diagnoses, batch_size=1000)
    return Seeded(
        organisations=[o.pk for o in orgs],
        programmes=[p.pk for p in progs],
        diagnoses=[d.pk for d in diagnoses],
    )


def time_recompute(runs: int = 5) -> dict[str, float]:
    """Seconds for a first full recompute, then the median of ``runs`` further ones."""
    start = time.perf_counter()
    recompute_benchmarks()
    first = time.perf_counter() - start
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        recompute_benchmarks()
        samples.append(time.perf_counter() - start)
    return {"first_s": round(first, 3), "median_s": round(statistics.median(samples), 3)}
