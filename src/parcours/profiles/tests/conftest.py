import pytest

from parcours.diagnoses.models import Answer, Diagnosis
from parcours.diagnoses.services import diagnosis_complete, diagnosis_submit, diagnosis_validate
from parcours.testing import DiagnosisFactory, answer_all


def complete(org, level=2, adjust=None, actor=None) -> Diagnosis:  # type: ignore[no-untyped-def]
    """A completed diagnosis with every applicable question answered at ``level``;
    ``adjust(diagnosis)`` may change answers before it is frozen."""
    diagnosis = DiagnosisFactory(organisation=org)
    answer_all(diagnosis, level=level)
    if adjust is not None:
        adjust(diagnosis)
    return diagnosis_complete(actor=actor, diagnosis=diagnosis)


def validate(org, consultant, owner, level=3) -> Diagnosis:  # type: ignore[no-untyped-def]
    diagnosis = DiagnosisFactory(organisation=org)
    answer_all(diagnosis, level=level)
    diagnosis_submit(actor=owner, diagnosis=diagnosis)
    return diagnosis_validate(actor=consultant, diagnosis=diagnosis)


def set_level(diagnosis: Diagnosis, domain_key: str, level: int) -> None:
    Answer.objects.filter(diagnosis=diagnosis, question__domain__key=domain_key).update(level=level)


@pytest.fixture
def english(viewer, owner):  # type: ignore[no-untyped-def]
    """Page text is asserted in English (the source language), whatever French says later."""
    for user in (viewer, owner):
        user.language = "en"
        user.save(update_fields=["language"])
