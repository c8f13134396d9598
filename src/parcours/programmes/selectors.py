from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from parcours.diagnoses.models import Diagnosis

from .models import Enrolment, Programme


def programmes_for_coordinator(user: Any) -> list[Programme]:
    if not user.is_authenticated:
        return []
    return list(Programme.objects.filter(coordinators=user).annotate(n_organisations=Count("enrolments")))


def get_programme_for_coordinator(user: Any, slug: str) -> Programme:
    """The programme if the user coordinates it; 404 otherwise (outsiders learn nothing)."""
    programme = (
        Programme.objects.filter(slug=slug, coordinators=user).first() if user.is_authenticated else None
    )
    if programme is None:
        raise Http404
    return programme


def programme_enrolments(programme: Programme) -> QuerySet[Enrolment]:
    """Enrolled organisations with their latest completed diagnosis, in one query."""
    completed = Diagnosis.objects.filter(
        organisation=OuterRef("organisation"), status__in=Diagnosis.FINAL
    ).order_by("-completed_at")
    return (
        Enrolment.objects.filter(programme=programme)
        .select_related("organisation")
        .annotate(
            last_completed_at=Subquery(completed.values("completed_at")[:1]),
            last_score=Subquery(completed.values("overall_score")[:1]),
            completed_count=Count(
                "organisation__diagnoses",
                filter=Q(organisation__diagnoses__status__in=Diagnosis.FINAL),
            ),
            in_progress=Count(
                "organisation__diagnoses",
                filter=Q(organisation__diagnoses__status=Diagnosis.Status.IN_PROGRESS),
            ),
        )
        .order_by("organisation__name")
    )
