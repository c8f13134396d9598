"""Where each enrolled company stands on the path, derived from its data (never typed in).

Stages, in order; a company is at the last stage of the unbroken run it has reached:
1. enrolled — it is in the programme;
2. trained — between them, its people covered all 7 core subjects, by taking a subject's
   self-check or by attending a programme training session on that subject;
3. materiality done — every domain is rated: not relevant (with a reason) or a significance;
4. diagnosis validated — a diagnosis was validated by its consultant;
5. action plan adopted — at least 3 actions are planned, in progress or done, each with an
   owner and a due date;
6. follow-up done — a later diagnosis was completed or validated after the validated one.
"""

from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parcours.actions.models import Action
from parcours.core import charts
from parcours.diagnoses.models import Diagnosis
from parcours.learning.models import LearningProgress
from parcours.materiality.models import MaterialityRating
from parcours.referential.selectors import current_version

from .models import Enrolment

STAGES = [
    ("enrolled", _("Enrolled")),
    ("trained", _("Trained")),
    ("materiality", _("Materiality done")),
    ("validated", _("Diagnosis validated")),
    ("plan", _("Action plan adopted")),
    ("follow_up", _("Follow-up done")),
]
CORE_SUBJECTS = 7
MIN_ACTIONS = 3


def _count(qs: QuerySet[Any], field: str = "pk", distinct: bool = False) -> Coalesce:
    return Coalesce(
        Subquery(qs.order_by().values("org").annotate(n=Count(field, distinct=distinct)).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def with_stages(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotate each enrolment with what it reached, in the one query of the list."""
    version = current_version()
    n_domains = version.domains.count() if version else 37
    org = OuterRef("organisation")
    rated = MaterialityRating.objects.filter(organisation=org).filter(
        Q(relevant=False) | Q(significance__isnull=False)
    )
    adopted = Action.objects.filter(
        organisation=org,
        status__in=(Action.Status.PLANNED, Action.Status.IN_PROGRESS, Action.Status.DONE),
        owner__isnull=False,
        due_date__isnull=False,
    )
    validated = Diagnosis.objects.filter(organisation=org, status=Diagnosis.Status.VALIDATED)
    first_validated = validated.order_by("completed_at").values("completed_at")[:1]
    return enrolments.annotate(
        domains_rated=_count(rated.annotate(org=F("organisation"))),
        actions_adopted=_count(adopted.annotate(org=F("organisation"))),
        has_validated=Exists(validated),
        has_follow_up=Exists(
            Diagnosis.objects.filter(
                organisation=org, status__in=Diagnosis.FINAL, completed_at__gt=Subquery(first_validated)
            )
        ),
        n_domains=Value(n_domains, output_field=IntegerField()),
    )


def staged(enrolments: QuerySet[Enrolment]) -> list[Enrolment]:
    """The enrolments with everything ``stage_of`` needs, in three queries whatever the cohort size."""
    rows = list(with_stages(enrolments))
    covered = trained_subjects([e.organisation_id for e in rows])
    for e in rows:
        e.subjects_trained = len(covered.get(e.organisation_id, ()))  # type: ignore[attr-defined]
    return rows


def trained_subjects(org_ids: Any) -> dict[int, set[str]]:
    """Core subjects each organisation's people covered: self-checks taken, or trainings attended.

    ``org_ids``: a list of ids or a subquery of them.
    """
    from .models import Attendance, Session

    covered: dict[int, set[str]] = {}
    self_checks = (
        LearningProgress.objects.filter(
            user__memberships__organisation__in=org_ids, self_check_at__isnull=False
        )
        .values_list("user__memberships__organisation", "core_subject")
        .distinct()
    )
    for org_id, subject in self_checks:
        covered.setdefault(org_id, set()).add(subject)
    attended = (
        Attendance.objects.filter(organisation__in=org_ids, session__kind=Session.Kind.TRAINING)
        .values_list("organisation", "session__core_subjects")
        .distinct()
    )
    for org_id, subjects in attended:
        covered.setdefault(org_id, set()).update(subjects or [])
    return covered


def stage_of(e: Enrolment) -> int:
    """Index in STAGES of the last stage of the unbroken run reached (0 = enrolled)."""
    reached = [
        True,
        getattr(e, "subjects_trained", 0) >= CORE_SUBJECTS,
        getattr(e, "domains_rated", 0) >= getattr(e, "n_domains", 37),
        bool(getattr(e, "has_validated", False)),
        getattr(e, "actions_adopted", 0) >= MIN_ACTIONS,
        bool(getattr(e, "has_follow_up", False)),
    ]
    stage = 0
    for i, ok in enumerate(reached[1:], start=1):
        if not ok:
            break
        stage = i
    return stage


def funnel(stages: list[int]) -> list[tuple[str, int]]:
    """How many companies reached each stage (a company at stage 3 reached 0 to 3)."""
    return [(str(name), sum(1 for s in stages if s >= i)) for i, (_key, name) in enumerate(STAGES)]


def funnel_chart(rows: list[tuple[str, int]], total: int) -> str:
    return charts.bars(
        [charts.Bar(label=f"{name} ({n})", value=100 * n / (total or 1)) for name, n in rows],
        title=gettext(
            "Companies that reached each stage, as a share of the cohort; the table gives the figures."
        ),
    )
