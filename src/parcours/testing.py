"""Factories and helpers shared by the test suites (imported by tests only)."""

from typing import Any

import factory
from django.contrib.auth import get_user_model

from parcours.diagnoses.models import Answer, Diagnosis
from parcours.organisations.models import ConsultantAssignment, Membership, Organisation, Role
from parcours.referential.selectors import current_version, referential_tree

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test accounts only


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    headcount_band = "small"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.OWNER


class DiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnosis

    organisation = factory.SubFactory(OrganisationFactory)
    referential_version = factory.LazyFunction(current_version)
    size_band = factory.LazyAttribute(lambda d: d.organisation.headcount_band)


def member(organisation: Organisation, role: str) -> Any:
    user: Any = UserFactory()
    Membership.objects.create(organisation=organisation, user=user, role=role)
    return user


def consultant_for(organisation: Organisation) -> Any:
    user: Any = UserFactory()
    ConsultantAssignment.objects.create(organisation=organisation, consultant=user)
    return user


def answer_all(diagnosis: Diagnosis, level: int | None = 2, limit: int | None = None) -> int:
    """Answer the diagnosis' applicable questions at ``level`` (the first ``limit`` of them)."""
    tree = referential_tree(diagnosis.referential_version)
    questions = [q for q in tree.questions.values() if q.applies_to(diagnosis.size_band)]
    if limit is not None:
        questions = questions[:limit]
    Answer.objects.bulk_create(Answer(diagnosis=diagnosis, question=q, level=level) for q in questions)
    return len(questions)
