"""The recompute against the database: which diagnoses count, what is stored, when it runs."""

import io
import json
import statistics
from datetime import timedelta
from itertools import combinations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parcours.benchmarks.engine import K
from parcours.benchmarks.models import BenchmarkGroup
from parcours.benchmarks.services import counted_diagnoses, recompute_benchmarks
from parcours.benchmarks.synthetic import bulk_seed
from parcours.diagnoses.models import Diagnosis
from parcours.diagnoses.services import diagnosis_submit, diagnosis_validate
from parcours.organisations.models import AuditEntry
from parcours.programmes.models import Enrolment
from parcours.testing import DiagnosisFactory, answer_all

from .helpers import companies, programme, validated_again

pytestmark = pytest.mark.django_db


def group(key: str) -> BenchmarkGroup:
    return BenchmarkGroup.objects.get(key=key)


def test_only_validated_diagnoses_count():
    counted = companies(5)
    companies(3, status=Diagnosis.Status.COMPLETED, overall=lambda i: 990)
    companies(2, status=Diagnosis.Status.SUBMITTED)
    companies(2, status=Diagnosis.Status.IN_PROGRESS)
    recompute_benchmarks()
    everyone = group("all")
    assert everyone.status == BenchmarkGroup.Status.PUBLISHED
    assert everyone.published_ids == sorted(d.pk for d in counted) and everyone.n == 5
    assert everyone.stats["overall"] == {"n": 5, "q1": 410, "median": 420, "q3": 430}


def test_each_organisation_counts_once_with_its_latest_validated_diagnosis():
    now = timezone.now()
    (first,) = companies(1, validated_at=now - timedelta(days=300))
    org = first.organisation
    latest = validated_again(org, 700, when=now - timedelta(days=30))
    validated_again(org, 100, when=now - timedelta(days=100))  # validated earlier, created later
    DiagnosisFactory(organisation=org, status=Diagnosis.Status.COMPLETED, completed_at=now)
    (other,) = companies(1, validated_at=now - timedelta(days=5))
    twin = validated_again(other.organisation, 300, when=other.validated_at)  # same instant: larger id
    counted = {org_id: pk for pk, org_id, *_ in counted_diagnoses()}
    assert counted == {org.pk: latest.pk, other.organisation_id: twin.pk}


def test_groups_cross_all_and_programmes_with_sector_and_size():
    cohort = programme("Cohorte Loire")
    companies(6, nace="13.20Z", size="small", programmes=[cohort])
    companies(6, nace="47.11B", size="micro", programmes=[cohort])
    companies(6, nace="", size="micro")  # no NACE code: in no sector group
    summary = recompute_benchmarks()
    rows = {g.key: g for g in BenchmarkGroup.objects.all()}
    assert set(rows) == {
        "all",
        "all|sector=C",
        "all|sector=G",
        "all|size=small",
        "all|size=micro",
        f"programme={cohort.pk}",
        f"programme={cohort.pk}|sector=C",
        f"programme={cohort.pk}|sector=G",
        f"programme={cohort.pk}|size=small",
        f"programme={cohort.pk}|size=micro",
    }
    split = rows[f"programme={cohort.pk}|sector=G"]
    assert (split.programme, split.sector, split.size_band) == (cohort, "G", "")
    assert rows["all|size=micro"].n == 12 and rows["all"].n == 18
    assert rows[f"programme={cohort.pk}"].n == 12
    # programme C and programme small are the same 6 companies: both shown; so are all|C
    assert rows[f"programme={cohort.pk}|sector=C"].published_ids == rows["all|size=small"].published_ids
    assert summary.groups == 10 and summary.diagnoses == 18
    assert AuditEntry.objects.filter(action="benchmarks.recomputed").count() == 1


def test_a_programme_one_company_short_of_all_is_not_published():
    cohort = programme()
    companies(10, programmes=[cohort])
    companies(1, nace="62.01Z")
    recompute_benchmarks()
    assert group("all").status == BenchmarkGroup.Status.PUBLISHED
    mine = group(f"programme={cohort.pk}")
    assert mine.status == BenchmarkGroup.Status.SUPPRESSED and mine.reason == BenchmarkGroup.Reason.OVERLAP
    assert mine.stats == {} and mine.n == 0
    # sector C is the programme exactly (identical sets may both be shown), and so 1 away from all
    assert group("all|sector=C").published_ids == []
    assert group("all|size=small").status == BenchmarkGroup.Status.PUBLISHED  # the 11 companies


def test_late_entrant_held_then_republished_through_the_database():
    cohort = programme()
    t0 = timezone.now() - timedelta(days=3)
    ten = companies(10, programmes=[cohort])
    recompute_benchmarks(now=t0)
    key = f"programme={cohort.pk}"
    published = group(key)
    assert published.status == BenchmarkGroup.Status.PUBLISHED and published.published_at == t0

    companies(1, programmes=[cohort], overall=lambda i: 1000)
    recompute_benchmarks(now=t0 + timedelta(days=1))
    held = group(key)
    assert held.status == BenchmarkGroup.Status.HELD
    assert (held.stats, held.n, held.published_ids) == (published.stats, 10, sorted(d.pk for d in ten))
    assert held.published_at == t0 and held.computed_at == t0 + timedelta(days=1)

    companies(4, programmes=[cohort], overall=lambda i: 1000)
    summary = recompute_benchmarks(now=t0 + timedelta(days=2))
    fresh = group(key)
    assert fresh.status == BenchmarkGroup.Status.PUBLISHED and fresh.n == 15
    assert fresh.published_at == t0 + timedelta(days=2) and fresh.stats != published.stats
    assert summary.new_figures >= 1


def test_a_run_with_no_change_rewrites_nothing():
    companies(7)
    t0 = timezone.now() - timedelta(hours=2)
    first = recompute_benchmarks(now=t0)
    assert first.rows_written == 3  # all, all|sector=C, all|size=small
    again = recompute_benchmarks()
    assert again.rows_written == 0 and again.new_figures == 0
    everyone = group("all")
    assert everyone.status == BenchmarkGroup.Status.PUBLISHED and everyone.published_at == t0
    assert everyone.computed_at > t0


def test_an_enrolment_ending_suppresses_and_remembers():
    cohort = programme()
    diagnoses = companies(6, programmes=[cohort])
    companies(10, nace="62.01Z", size="micro")  # keeps "all" far from the programme
    recompute_benchmarks()
    key = f"programme={cohort.pk}"
    remembered = group(key).published_ids
    Enrolment.objects.filter(programme=cohort, organisation=diagnoses[0].organisation).delete()
    Enrolment.objects.filter(programme=cohort, organisation=diagnoses[1].organisation).delete()
    recompute_benchmarks()
    gone = group(key)
    assert gone.status == BenchmarkGroup.Status.SUPPRESSED and gone.reason == BenchmarkGroup.Reason.TOO_FEW
    assert gone.published_ids == remembered and gone.stats == {}


def test_validation_recomputes_the_benchmarks_on_commit(
    org, editor, consultant, django_capture_on_commit_callbacks
):
    companies(K - 1)
    diagnosis = DiagnosisFactory(organisation=org)
    answer_all(diagnosis, level=2)
    diagnosis_submit(actor=editor, diagnosis=diagnosis)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        diagnosis_validate(actor=consultant, diagnosis=diagnosis)
    assert callbacks  # the recompute was enqueued for after the commit, and ran inline
    everyone = group("all")
    assert everyone.status == BenchmarkGroup.Status.PUBLISHED and diagnosis.pk in everyone.published_ids


def test_command_recomputes_and_reports():
    companies(5)
    out = io.StringIO()
    call_command("recompute_benchmarks", stdout=out)
    assert "5 diagnoses" in out.getvalue() and "3 published" in out.getvalue()
    assert group("all").status == BenchmarkGroup.Status.PUBLISHED


def test_three_hundred_companies_obey_every_rule_with_constant_queries():
    small = companies(6)
    with CaptureQueriesContext(connection) as few:
        recompute_benchmarks()
    BenchmarkGroup.objects.all().delete()
    Diagnosis.objects.filter(pk__in=[d.pk for d in small]).delete()

    seeded = bulk_seed(organisations=300, programmes=6, seed=7)
    with CaptureQueriesContext(connection) as many:
        summary = recompute_benchmarks()
    reads = [[q["sql"][:60] for q in ctx if q["sql"].startswith("SELECT")] for ctx in (few, many)]
    assert reads[0] == reads[1] and len(reads[1]) == 3  # stored groups, diagnoses, enrolments
    assert len(many) <= 12  # and an update, an upsert per 500 rows (90 on SQLite), an audit entry
    assert summary.diagnoses == 300 and summary.published > 20

    counted = {pk: (org, results) for pk, org, results, *_ in counted_diagnoses()}
    assert len(counted) == 300 and set(counted) <= set(seeded.diagnoses)
    scores = {pk: json.loads(results) for pk, (_org, results) in counted.items()}
    visible = [g for g in BenchmarkGroup.objects.all() if g.is_visible]
    for g in visible:
        assert g.n == len(g.published_ids) >= K  # rule 3
        figures = [g.stats["overall"], *g.stats["core_subjects"].values(), *g.stats["domains"].values()]
        assert all(f["n"] >= K for f in figures)  # rule 3, per statistic
        for domain, figure in g.stats["domains"].items():  # rule 6, recomputed independently
            values = [scores[pk]["domains"][domain] for pk in g.published_ids]
            values = [v for v in values if v is not None]
            q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
            assert figure == {
                "n": len(values),
                "q1": int(q1 + 0.5),
                "median": int(median + 0.5),
                "q3": int(q3 + 0.5),
            }
    for a, b in combinations(visible, 2):  # rule 4
        difference = len(set(a.published_ids) ^ set(b.published_ids))
        assert difference == 0 or difference >= K, (a.key, b.key)
    everyone = next(g for g in visible if g.key == "all")
    assert everyone.n == 300
