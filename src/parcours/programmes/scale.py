"""Parcours at scale, for ``manage.py seed_scale`` and ``make bench`` (never in production).

``seed_scale(organisations=N)`` creates, with bulk inserts only:

- N companies, each with one owner (an e-mail address, no usable password) and a diagnosis
  validated by a consultant, whose stored results have the shape of
  ``scoring.Results.snapshot()``; a tenth have an earlier validated diagnosis too;
- ``programmes`` programmes ("scale-p00"…), every company enrolled in one of them;
- the cohort "scale-cohort-M" (the first M companies) and "scale-cohort-10" (the next 10),
  both coordinated by ``COORDINATOR_EMAIL`` and followed by five consultants, so the cohort
  board can be compared at 10 and at M companies. Their companies move along the path by
  their rank in the cohort (``PATH``): a training attended, the materiality analysis, an
  action plan, a follow-up diagnosis;

then refreshes PostgreSQL's planner statistics and recomputes the benchmarks. The
coordinator and the owner of the first company of "scale-cohort-10" can log in with
``SCALE_PASSWORD``. It runs once per database: a second run is refused (as is any run
under production settings).

Answers: only the diagnoses of "scale-cohort-10" carry theirs (141 each, results scored
from them by ``scoring``), so their results pages show the same figures as their stored
results; the bench opens the first one's. Every other diagnosis holds stored results only:
its results page still opens (on a diagnosis with no answer; its benchmark position uses
the stored results). Answering all 10,000 would be 1.4 million rows, minutes instead of
seconds, and no measure reads them.
"""

import random
import secrets
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from parcours.actions.models import Action, ActionTemplate
from parcours.benchmarks.services import RecomputeSummary, recompute_benchmarks
from parcours.benchmarks.synthetic import NACE_CODES, results_snapshot, scored_answers
from parcours.diagnoses.models import Answer, Diagnosis
from parcours.materiality.models import MaterialityRating
from parcours.organisations.models import HeadcountBand, Membership, Organisation, Role
from parcours.referential.selectors import Tree, current_version, referential_tree

from .models import Attendance, Enrolment, Programme, ProgrammeStaff, Session, StaffRole

SCALE_PASSWORD = "scale-parcours-2026"  # noqa: S105 - bench data only, refused in production
SCALE_DOMAIN = "bench.parcours.test"
COORDINATOR_EMAIL = f"coordinator.scale@{SCALE_DOMAIN}"
PREFIX = "scale"
SMALL_COHORT = 10
CONSULTANTS = 5
# The stage (index in stages.STAGES) each cohort company is taken to, by its rank in the
# cohort, repeating every ten: 10 % follow-up done, 20 % action plan, 30 % diagnosis
# validated (trained and materiality done), 20 % trained, 20 % enrolled only.
PATH = (5, 4, 4, 3, 3, 3, 1, 1, 0, 0)
BATCH = 2000


class ScaleRefused(Exception):
    pass


@dataclass(frozen=True)
class ScaleSeeded:
    organisations: int
    programmes: int
    diagnoses: int
    answers: int
    cohort_slug: str
    small_cohort_slug: str
    coordinator_email: str
    owner_email: str  # the owner of the first company of the small cohort, who can log in
    results_path: str  # that company's latest results page
    benchmarks: RecomputeSummary
    seconds: float

    def summary(self) -> str:
        b = self.benchmarks
        return (
            f"seed_scale: {self.organisations} organisations, {self.programmes} programmes "
            f"+ {self.cohort_slug} + {self.small_cohort_slug}, {self.diagnoses} validated diagnoses "
            f"({self.answers} answers), benchmarks: {b.groups} groups, {b.published} published "
            f"(recomputed in {b.seconds:.2f} s); {self.seconds:.1f} s in all"
        )


def _unusable() -> str:
    """What make_password(None) stores, without its cost (2 s for 10,000 users)."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def cohort_slug(size: int) -> str:
    return f"{PREFIX}-cohort-{size}"


def _check(organisations: int, programmes: int, cohort: int) -> None:
    if not settings.ALLOW_DEMO_SEED:
        raise ScaleRefused("Scale data is never seeded with production settings.")
    if current_version() is None:
        raise ScaleRefused("Load the referential first: manage.py load_referential")
    if programmes < 0 or cohort < 1 or cohort == SMALL_COHORT:
        raise ScaleRefused(f"--programmes must be 0 or more, --cohort 1 or more and not {SMALL_COHORT}.")
    if organisations < cohort + SMALL_COHORT:
        raise ScaleRefused(
            f"--orgs must be at least --cohort + {SMALL_COHORT} = {cohort + SMALL_COHORT}: "
            "the two cohorts hold distinct companies."
        )
    # the slugs seed_scale gives ("scale-00042", "scale-p03", "scale-cohort-1000"), not any "scale-…"
    if (
        Programme.objects.filter(slug__regex=rf"^{PREFIX}-(p[0-9]+|cohort-[0-9]+)$").exists()
        or Organisation.objects.filter(slug__regex=rf"^{PREFIX}-[0-9]{{5,}}$").exists()
    ):
        raise ScaleRefused(
            "Scale data is already in this database: seed_scale runs once per database "
            "(start from a fresh one to seed again)."
        )


def seed_scale(
    *, organisations: int, programmes: int = 20, cohort: int = 1000, seed: int = 26026
) -> ScaleSeeded:
    """Seed the data described in the module docstring, then recompute the benchmarks."""
    started = time.perf_counter()
    _check(organisations, programmes, cohort)
    with transaction.atomic():
        seeded = _seed(organisations, programmes, cohort, random.Random(seed))
    if connection.vendor == "postgresql":
        # Fresh planner statistics, as autovacuum would gather a minute later: measured right
        # after the bulk load, the cohort board of 10 companies took 90 ms in a scan of every
        # enrolment, planned on the empty tables' statistics (1 ms once analysed).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    summary = recompute_benchmarks()
    return ScaleSeeded(**seeded, benchmarks=summary, seconds=round(time.perf_counter() - started, 2))


def _seed(n: int, n_programmes: int, cohort: int, rng: random.Random) -> dict[str, Any]:
    version = current_version()
    assert version is not None  # checked by _check
    tree = referential_tree(version)
    now = timezone.now()
    User = get_user_model()

    orgs = Organisation.objects.bulk_create(
        (
            Organisation(
                name=f"Scale company {i:05d}",
                slug=f"{PREFIX}-{i:05d}",
                nace_code=rng.choice(NACE_CODES),
                headcount_band=rng.choice(HeadcountBand.values),
            )
            for i in range(n)
        ),
        batch_size=BATCH,
    )
    owners = User.objects.bulk_create(
        (
            User(
                email=f"owner.{o.slug}@{SCALE_DOMAIN}",
                first_name="Direction",
                last_name=o.name,
                password=_unusable(),
            )
            for o in orgs
        ),
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        (Membership(organisation=o, user=u, role=Role.OWNER) for o, u in zip(orgs, owners, strict=True)),
        batch_size=BATCH,
    )
    coordinator, *consultants = User.objects.bulk_create(
        [
            User(
                email=COORDINATOR_EMAIL,
                first_name="Camille",
                last_name="Coordination",
                password=_unusable(),
            )
        ]
        + [
            User(
                email=f"consultant{k}.scale@{SCALE_DOMAIN}",
                first_name="Consultant",
                last_name=f"Scale {k}",
                password=_unusable(),
            )
            for k in range(1, CONSULTANTS + 1)
        ]
    )

    regular = Programme.objects.bulk_create(
        Programme(name=f"Scale programme {p:02d}", slug=f"{PREFIX}-p{p:02d}") for p in range(n_programmes)
    )
    big, small = Programme.objects.bulk_create(
        [
            Programme(name=f"Scale cohort of {cohort}", slug=cohort_slug(cohort)),
            Programme(name=f"Scale cohort of {SMALL_COHORT}", slug=cohort_slug(SMALL_COHORT)),
        ]
    )
    ProgrammeStaff.objects.bulk_create(
        ProgrammeStaff(programme=p, user=u, role=role)
        for p in (big, small)
        for u, role in [(coordinator, StaffRole.COORDINATOR)]
        + [(c, StaffRole.CONSULTANT) for c in consultants]
    )
    # cohort members: (organisation index, programme, rank in the cohort)
    members = [(i, big, i) for i in range(cohort)] + [(cohort + j, small, j) for j in range(SMALL_COHORT)]
    enrolments = [
        Enrolment(programme=regular[i % len(regular)], organisation=o) for i, o in enumerate(orgs) if regular
    ]
    enrolments += [
        Enrolment(programme=p, organisation=orgs[i], consultant=consultants[rank % CONSULTANTS])
        for i, p, rank in members
    ]
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)

    stage = {i: PATH[rank % len(PATH)] for i, _p, rank in members}
    answered = {cohort + j for j in range(SMALL_COHORT)}
    diagnoses, answer_levels = _diagnoses(orgs, owners, consultants, stage, answered, tree, rng, now)
    Diagnosis.objects.bulk_create(diagnoses, batch_size=1000)
    answers = [
        Answer(
            diagnosis=d,
            question_id=question,
            level=level,
            not_applicable=level is None,
            na_reason="Sans objet pour notre activité." if level is None else "",
        )
        for d, levels in zip(diagnoses, answer_levels, strict=True)
        for question, level in levels.items()
    ]
    Answer.objects.bulk_create(answers, batch_size=5000)
    _path(orgs, owners, stage, {i: p for i, p, _rank in members}, tree, rng, now)

    bench_org = cohort  # the first company of the small cohort: follow-up done, so two diagnoses
    User.objects.filter(pk__in=[coordinator.pk, owners[bench_org].pk]).update(
        password=make_password(SCALE_PASSWORD)
    )
    latest = max((d for d in diagnoses if d.organisation_id == orgs[bench_org].pk), key=lambda d: d.pk)
    return {
        "organisations": n,
        "programmes": n_programmes,
        "diagnoses": len(diagnoses),
        "answers": len(answers),
        "cohort_slug": big.slug,
        "small_cohort_slug": small.slug,
        "coordinator_email": coordinator.email,
        "owner_email": owners[bench_org].email,
        "results_path": reverse(
            "diagnosis_results", kwargs={"org_slug": orgs[bench_org].slug, "diagnosis_id": latest.pk}
        ),
    }


def _diagnoses(
    orgs: list[Organisation],
    owners: list[Any],
    consultants: list[Any],
    stage: dict[int, int],
    answered: set[int],
    tree: Tree,
    rng: random.Random,
    now: datetime,
) -> tuple[list[Diagnosis], list[dict[int, int | None]]]:
    """One validated diagnosis per company, two for a tenth (and for every cohort company at
    the follow-up stage), oldest first. The diagnoses of the ``answered`` companies come
    with their answers, and results scored from them."""
    subjects = {n.core_subject.key: [d.domain.key for d in n.domains] for n in tree.core_subjects}
    diagnoses, levels = [], []
    for i, (org, owner) in enumerate(zip(orgs, owners, strict=True)):
        count = 2 if (stage[i] == 5 if i in stage else rng.random() < 0.1) else 1
        base = rng.uniform(0.6, 3.4)  # the company's typical answer level, 0–4
        for v in range(count):
            when = now - timedelta(days=400 * (count - 1 - v) + rng.randint(1, 300))
            if i in answered:
                levels_drawn, results = scored_answers(rng, tree, org.headcount_band, base + 0.4 * v)
            else:
                levels_drawn, results = {}, results_snapshot(rng, subjects)
            consultant = consultants[i % len(consultants)]
            diagnoses.append(
                Diagnosis(
                    organisation=org,
                    referential_version=tree.version,
                    size_band=org.headcount_band,
                    status=Diagnosis.Status.VALIDATED,
                    started_by=owner,
                    completed_at=when,
                    completed_by=consultant,
                    submitted_at=when - timedelta(days=3),
                    submitted_by=owner,
                    validated_at=when,
                    validated_by=consultant,
                    overall_score=results["overall"],
                    maturity_level=results["maturity_level"],
                    results=results,
                )
            )
            levels.append(levels_drawn)
    return diagnoses, levels


def _path(
    orgs: list[Organisation],
    owners: list[Any],
    stage: dict[int, int],
    programme_of: dict[int, Programme],
    tree: Tree,
    rng: random.Random,
    now: datetime,
) -> None:
    """What takes each cohort company to its stage: a training on the 7 core subjects
    attended (trained), every domain rated (materiality done), 3 actions with an owner and a
    due date (action plan). Validation and follow-up come from the diagnoses."""
    subjects = [n.core_subject.key for n in tree.core_subjects]
    sessions = {
        p.pk: Session.objects.create(
            programme=p,
            kind=Session.Kind.TRAINING,
            title="Formation RSE et ISO 26000",
            starts_at=now - timedelta(days=500),
            core_subjects=subjects,
        )
        for p in set(programme_of.values())
    }
    Attendance.objects.bulk_create(
        Attendance(session=sessions[programme_of[i].pk], organisation=orgs[i], user=owners[i])
        for i, s in stage.items()
        if s >= 1
    )
    MaterialityRating.objects.bulk_create(
        (
            MaterialityRating(
                organisation=orgs[i],
                domain_key=key,
                significance=rng.randint(1, 4),
                impact=rng.randint(1, 4),
                updated_by=owners[i],
            )
            for i, s in stage.items()
            if s >= 2
            for key in tree.domains
        ),
        batch_size=BATCH,
    )
    templates = list(ActionTemplate.objects.order_by("position")[:30])
    statuses = (Action.Status.DONE, Action.Status.IN_PROGRESS, Action.Status.PLANNED)
    today = date.today()
    Action.objects.bulk_create(
        (
            Action(
                organisation=orgs[i],
                template=template,
                title=template.title.get("fr", "")[:200] if template else f"Action {k + 1}",
                owner=owners[i],
                status=status,
                start_date=today - timedelta(days=120),
                due_date=today + timedelta(days=30 * (k + 1)),
                progress={"done": 100, "in_progress": 40}.get(status, 0),
                completed_on=today - timedelta(days=10) if status == Action.Status.DONE else None,
            )
            for i, s in stage.items()
            if s >= 4
            for k, (status, template) in enumerate(
                zip(statuses, rng.sample(templates, 3) if len(templates) >= 3 else [None] * 3, strict=True)
            )
        ),
        batch_size=BATCH,
    )


def board_query_counts(slugs: list[str], email: str = COORDINATOR_EMAIL) -> dict[str, int]:
    """Queries run by the cohort board of each programme, opened by ``email`` through
    Django's test client (after one warm-up request each, so caches are as in a live server)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    host = "127.0.0.1" if "127.0.0.1" in settings.ALLOWED_HOSTS else "testserver"
    client = Client(HTTP_HOST=host)
    client.force_login(get_user_model().objects.get(email=email))
    counts = {}
    for slug in slugs:
        url = reverse("programme_detail", kwargs={"programme_slug": slug})
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(url).status_code
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        counts[slug] = len(ctx)
    return counts
