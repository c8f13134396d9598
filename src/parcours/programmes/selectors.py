from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from parcours.diagnoses.models import Diagnosis
from parcours.organisations.models import Organisation

from .models import Enrolment, Programme, Session, SharedPractice, StaffRole, Step


def programmes_for_user(user: Any) -> list[Programme]:
    """Programmes where the person has a role, with ``role`` and ``n_organisations``."""
    if not user.is_authenticated:
        return []
    return list(
        Programme.objects.filter(staff__user=user)
        .annotate(role=F("staff__role"), n_organisations=Count("enrolments", distinct=True))
        .order_by("-starts_on", "name")
    )


def programme_enrolments(programme: Programme) -> QuerySet[Enrolment]:
    """Enrolled organisations with their latest completed diagnosis, in one query."""
    completed = Diagnosis.objects.filter(
        organisation=OuterRef("organisation"), status__in=Diagnosis.FINAL
    ).order_by("-completed_at")
    return (
        Enrolment.objects.filter(programme=programme)
        .select_related("organisation", "consultant")
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


def programme_consultants(programme: Programme) -> list[Any]:
    return [s.user for s in programme.staff.filter(role=StaffRole.CONSULTANT).select_related("user")]


def calendar(programme: Programme) -> list[dict[str, Any]]:
    """Steps and sessions in date order, for the programme's calendar."""
    items: list[dict[str, Any]] = [
        {"date": s.starts_on, "end": s.ends_on, "kind": s.get_kind_display(), "title": s.title, "step": s}
        for s in Step.objects.filter(programme=programme)
    ]
    items += [
        {
            "date": timezone.localtime(s.starts_at).date(),
            "end": None,
            "kind": s.get_kind_display(),
            "title": s.title,
            "session": s,
        }
        for s in Session.objects.filter(programme=programme)
    ]
    items.sort(key=lambda i: (i["date"], i["title"]))
    return items


def organisation_programmes(organisation: Organisation) -> list[dict[str, Any]]:
    """The programmes an organisation takes part in, with their coming steps and sessions."""
    today = timezone.localdate()
    out = []
    for enrolment in Enrolment.objects.filter(organisation=organisation).select_related(
        "programme", "consultant"
    ):
        programme = enrolment.programme
        upcoming = [item for item in calendar(programme) if (item["end"] or item["date"]) >= today]
        out.append({"enrolment": enrolment, "programme": programme, "upcoming": upcoming[:5]})
    return out


def cohort_organisation_ids(organisation: Organisation) -> QuerySet[Any]:
    """Organisations sharing at least one programme with this one (itself included)."""
    return Enrolment.objects.filter(
        programme__in=Enrolment.objects.filter(organisation=organisation).values("programme")
    ).values("organisation")


def cohort_practices(organisation: Organisation) -> QuerySet[SharedPractice]:
    """Good practices visible to the organisation: shared by companies of its cohorts."""
    return (
        SharedPractice.objects.filter(organisation__in=cohort_organisation_ids(organisation))
        .select_related("organisation", "action")
        .prefetch_related("action__domains")
    )
