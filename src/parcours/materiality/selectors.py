from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from parcours.diagnoses.models import Diagnosis
from parcours.organisations.models import Organisation
from parcours.referential.models import Domain
from parcours.referential.selectors import current_version, referential_tree

from .models import MaterialityRating, Stakeholder, Survey, SurveyResponse


def stakeholders_of(organisation: Organisation) -> QuerySet[Stakeholder]:
    return Stakeholder.objects.filter(organisation=organisation)


def get_stakeholder(organisation: Organisation, stakeholder_id: int) -> Stakeholder:
    return get_object_or_404(Stakeholder, organisation=organisation, pk=stakeholder_id)


def get_survey(organisation: Organisation, survey_id: int) -> Survey:
    return get_object_or_404(
        Survey.objects.annotate(n_responses=Count("responses")), organisation=organisation, pk=survey_id
    )


def surveys_of(organisation: Organisation) -> QuerySet[Survey]:
    return Survey.objects.filter(organisation=organisation).annotate(n_responses=Count("responses"))


def not_relevant_domains(organisation: Organisation) -> set[str]:
    return set(
        MaterialityRating.objects.filter(organisation=organisation, relevant=False).values_list(
            "domain_key", flat=True
        )
    )


def significance_map(organisation: Organisation) -> dict[str, int]:
    return {
        key: significance
        for key, significance in MaterialityRating.objects.filter(
            organisation=organisation, significance__isnull=False
        ).values_list("domain_key", "significance")
        if significance is not None
    }


@dataclass
class MaterialityRow:
    domain: Domain
    rating: MaterialityRating | None
    score: int | None
    survey_mean: float | None
    survey_count: int
    raised_by: list[Stakeholder] = field(default_factory=list)

    @property
    def relevant(self) -> bool:
        return self.rating is None or self.rating.relevant

    @property
    def gap(self) -> int | None:
        return None if self.score is None else 100 - self.score

    @property
    def suggested_significance(self) -> int | None:
        """Survey ratings run 0–3; significance 1–4."""
        return None if self.survey_mean is None else min(4, max(1, round(self.survey_mean + 1)))


def latest_scores(organisation: Organisation) -> dict[str, int]:
    diagnosis = (
        Diagnosis.objects.filter(organisation=organisation, status__in=Diagnosis.FINAL)
        .order_by("-completed_at")
        .first()
    )
    return {
        k: v for k, v in (diagnosis.results.get("domains", {}) if diagnosis else {}).items() if v is not None
    }


def survey_means(organisation: Organisation) -> dict[str, tuple[float, int]]:
    totals: dict[str, list[int]] = {}
    for ratings in SurveyResponse.objects.filter(survey__organisation=organisation).values_list(
        "ratings", flat=True
    ):
        for key, value in ratings.items():
            totals.setdefault(key, []).append(int(value))
    return {k: (sum(v) / len(v), len(v)) for k, v in totals.items()}


def materiality_rows(organisation: Organisation) -> list[MaterialityRow]:
    """One row per domain of the current referential, in a fixed number of queries."""
    version = current_version()
    if version is None:
        return []
    tree = referential_tree(version)
    ratings = {
        r.domain_key: r
        for r in MaterialityRating.objects.filter(organisation=organisation).prefetch_related("raised_by")
    }
    scores = latest_scores(organisation)
    means = survey_means(organisation)
    rows = []
    for key, node in tree.domains.items():
        rating = ratings.get(key)
        mean, count = means.get(key, (None, 0))
        rows.append(
            MaterialityRow(
                node.domain,
                rating,
                scores.get(key),
                mean,
                count,
                list(rating.raised_by.all()) if rating else [],
            )
        )
    return rows
