"""Companies with a validated diagnosis, created in bulk (three queries whatever the number)."""

import itertools
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from parcours.diagnoses.models import Diagnosis
from parcours.organisations.models import Organisation
from parcours.programmes.models import Enrolment, Programme
from parcours.referential.selectors import current_version, referential_tree

_serial = itertools.count(1)


def keys() -> tuple[list[str], list[str]]:
    version = current_version()
    assert version is not None
    tree = referential_tree(version)
    return (
        [n.core_subject.key for n in tree.core_subjects],
        [d.domain.key for n in tree.core_subjects for d in n.domains],
    )


def results(overall: int, subject: int | None = None, domain: int | None = None) -> dict[str, Any]:
    """A results snapshot: every core subject at ``subject`` and every domain at ``domain``
    (both default to overall ÷ 10)."""
    subjects, domains = keys()
    subject = overall // 10 if subject is None else subject
    domain = subject if domain is None else domain
    return {
        "method": "2026.1",
        "overall": overall,
        "core_subjects": dict.fromkeys(subjects, subject),
        "domains": dict.fromkeys(domains, domain),
    }


def programme(name: str = "Cohorte") -> Programme:
    n = next(_serial)
    return Programme.objects.create(name=name, slug=f"cohort-{n}")


def companies(
    count: int,
    *,
    nace: str = "13.20Z",
    size: str = "small",
    programmes: Iterable[Programme] = (),
    overall: Callable[[int], int] = lambda i: 400 + 10 * i,
    status: str = Diagnosis.Status.VALIDATED,
    validated_at: datetime | None = None,
) -> list[Diagnosis]:
    """``count`` organisations, each with one diagnosis in ``status``; the i-th scores overall(i)."""
    version = current_version()
    when = validated_at or timezone.now() - timedelta(days=1)
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Bench {n}", slug=f"bm-{n}", nace_code=nace, headcount_band=size)
        for n in (next(_serial) for _ in range(count))
    )
    Enrolment.objects.bulk_create(Enrolment(programme=p, organisation=o) for p in programmes for o in orgs)
    final = status in Diagnosis.FINAL
    return Diagnosis.objects.bulk_create(
        Diagnosis(
            organisation=o,
            referential_version=version,
            size_band=size,
            status=status,
            completed_at=when if final else None,
            validated_at=when if status == Diagnosis.Status.VALIDATED else None,
            overall_score=overall(i) if final else None,
            results=results(overall(i)) if final else {},
        )
        for i, o in enumerate(orgs)
    )


def validated_again(organisation: Organisation, overall: int, when: datetime | None = None) -> Diagnosis:
    return Diagnosis.objects.create(
        organisation=organisation,
        referential_version=current_version(),
        size_band=organisation.headcount_band,
        status=Diagnosis.Status.VALIDATED,
        completed_at=when or timezone.now(),
        validated_at=when or timezone.now(),
        overall_score=overall,
        results=results(overall),
    )
