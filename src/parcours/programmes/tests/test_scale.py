from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.benchmarks.models import BenchmarkGroup
from parcours.diagnoses.models import Answer, Diagnosis
from parcours.diagnoses.selectors import diagnosis_state
from parcours.organisations.models import Membership, Organisation, Role
from parcours.programmes.models import Enrolment, Programme, ProgrammeStaff, StaffRole
from parcours.programmes.scale import COORDINATOR_EMAIL, PATH, SCALE_PASSWORD, board_query_counts
from parcours.programmes.selectors import programme_enrolments
from parcours.programmes.stages import STAGES, stage_of, staged

pytestmark = pytest.mark.django_db

SNAPSHOT_KEYS = {"method", "overall", "maturity_level", "completeness", "core_subjects", "domains"}


def seed(*args: str) -> list[str]:
    out = StringIO()
    call_command("seed_scale", *args, stdout=out)
    return out.getvalue().strip().splitlines()


@pytest.fixture
def seeded() -> list[str]:
    return seed("--orgs", "30", "--programmes", "3", "--cohort", "12")


def test_seed_scale_creates_the_companies_programmes_and_cohorts(seeded):
    assert Organisation.objects.count() == 30
    assert Programme.objects.count() == 3 + 2
    for slug in ("scale-p00", "scale-p01", "scale-p02"):
        assert Enrolment.objects.filter(programme__slug=slug).count() == 10
    big = Programme.objects.get(slug="scale-cohort-12")
    small = Programme.objects.get(slug="scale-cohort-10")
    assert big.enrolments.count() == 12 and small.enrolments.count() == 10
    assert not big.enrolments.filter(organisation__enrolments__programme=small).exists()
    assert big.enrolments.filter(consultant__isnull=True).count() == 0
    for p in (big, small):
        assert ProgrammeStaff.objects.get(programme=p, role=StaffRole.COORDINATOR).user.email == (
            COORDINATOR_EMAIL
        )
        assert ProgrammeStaff.objects.filter(programme=p, role=StaffRole.CONSULTANT).count() == 5

    # one owner per company; only the coordinator and one owner can log in
    assert Membership.objects.filter(role=Role.OWNER).values("organisation").distinct().count() == 30
    assert Membership.objects.count() == 30
    usable = [u.email for u in get_user_model().objects.all() if u.has_usable_password()]
    assert sorted(usable) == sorted([COORDINATOR_EMAIL, seeded[1].split()[2]])
    assert all(get_user_model().objects.get(email=e).check_password(SCALE_PASSWORD) for e in usable)

    # every company has a validated diagnosis with results in the shape scoring stores
    assert not Diagnosis.objects.exclude(status=Diagnosis.Status.VALIDATED).exists()
    assert Diagnosis.objects.values("organisation").distinct().count() == 30
    for d in Diagnosis.objects.all():
        assert set(d.results) == SNAPSHOT_KEYS
        assert 0 <= d.results["overall"] <= 1000 and d.overall_score == d.results["overall"]
        assert len(d.results["core_subjects"]) == 7 and len(d.results["domains"]) == 37
        assert all(0 <= v <= 100 for v in d.results["core_subjects"].values())
        assert all(v is None or 0 <= v <= 100 for v in d.results["domains"].values())
        assert d.validated_by is not None and d.validated_at is not None

    # the benchmarks were recomputed
    assert BenchmarkGroup.objects.filter(key="all", status=BenchmarkGroup.Status.PUBLISHED).exists()
    assert BenchmarkGroup.objects.filter(programme=big).exists()
    assert seeded[-1].startswith("seed_scale: 30 organisations, 3 programmes")


def test_answered_diagnoses_store_the_results_scored_from_their_answers(seeded):
    small = Diagnosis.objects.filter(organisation__enrolments__programme__slug="scale-cohort-10")
    assert small.count() == 11  # the first company has a follow-up diagnosis
    for d in small:
        assert d.answers.exists()
        assert diagnosis_state(d).results.snapshot() == d.results
    # only they carry answers
    answered = set(Answer.objects.values_list("diagnosis__organisation", flat=True))
    assert answered == set(small.values_list("organisation", flat=True))


def test_cohort_companies_move_along_the_path(seeded):
    for slug, size in (("scale-cohort-12", 12), ("scale-cohort-10", 10)):
        programme = Programme.objects.get(slug=slug)
        reached = Counter(stage_of(e) for e in staged(programme_enrolments(programme)))
        assert reached == Counter(PATH[rank % len(PATH)] for rank in range(size))
    assert {STAGES[s][0] for s in PATH} == {"enrolled", "trained", "validated", "plan", "follow_up"}


def test_cohort_board_runs_as_many_queries_for_12_companies_as_for_10(seeded, client):
    client.force_login(get_user_model().objects.get(email=COORDINATOR_EMAIL))
    counts = []
    for slug in ("scale-cohort-12", "scale-cohort-10"):
        url = reverse("programme_detail", args=[slug])
        client.get(url)  # warm-up: the referential tree, the session
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        assert page.status_code == 200 and page.content.decode().count('<tr><th scope="row">') >= 10
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
    # the helper the bench uses counts the same
    assert board_query_counts(["scale-cohort-12", "scale-cohort-10"]) == {
        "scale-cohort-12": counts[0],
        "scale-cohort-10": counts[1],
    }


def test_results_page_of_the_printed_owner_shows_its_benchmark_position(seeded, client):
    _scale, _role, email, password, path = seeded[1].split()
    assert client.login(email=email, password=password)
    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="h-benchmarks"' in html and "benchmark-table" in html


def test_a_company_named_scale_does_not_block_the_seed():
    Organisation.objects.create(name="Scale-up conseil", slug="scale-up-conseil")
    seed("--orgs", "30", "--programmes", "3", "--cohort", "12")
    assert Organisation.objects.count() == 31


def test_a_second_run_is_refused(seeded):
    with pytest.raises(CommandError, match="already"):
        seed("--orgs", "30", "--programmes", "3", "--cohort", "12")
    assert Organisation.objects.count() == 30


@pytest.mark.parametrize(
    "args",
    [
        ["--orgs", "15", "--cohort", "12"],
        ["--orgs", "30", "--cohort", "10"],
        ["--orgs", "30", "--cohort", "0"],
    ],
)
def test_impossible_sizes_are_refused(args):
    with pytest.raises(CommandError, match="--"):
        seed(*args)
    assert not Organisation.objects.exists()


@override_settings(ALLOW_DEMO_SEED=False)
def test_production_settings_refuse_to_seed():
    with pytest.raises(CommandError, match="production"):
        seed("--orgs", "30", "--programmes", "3", "--cohort", "12")
    assert not Organisation.objects.exists()
