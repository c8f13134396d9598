import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.actions.models import Action
from parcours.diagnoses.models import Diagnosis
from parcours.learning.models import LearningProgress
from parcours.materiality.models import MaterialityRating
from parcours.organisations.models import Membership, Role
from parcours.programmes.models import Enrolment, Programme, ProgrammeStaff, StaffRole
from parcours.programmes.stages import STAGES, stage_of, staged
from parcours.referential.models import CoreSubject, Domain
from parcours.testing import DiagnosisFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    p = Programme.objects.create(name="Cohorte test", slug="cohorte-test")
    coordinator = UserFactory()
    ProgrammeStaff.objects.create(programme=p, user=coordinator, role=StaffRole.COORDINATOR)
    p.coordinator = coordinator
    return p


def enrol(programme, n):
    orgs = [OrganisationFactory() for _ in range(n)]
    for o in orgs:
        Enrolment.objects.create(programme=programme, organisation=o)
    return orgs


def stage(programme, org):
    e = staged(Enrolment.objects.filter(programme=programme, organisation=org))[0]
    return STAGES[stage_of(e)][0]


def test_stages_are_derived_step_by_step(programme):
    (org,) = enrol(programme, 1)
    person = UserFactory()
    Membership.objects.create(organisation=org, user=person, role=Role.OWNER)
    assert stage(programme, org) == "enrolled"
    for cs in CoreSubject.objects.filter(version__is_current=True):
        LearningProgress.objects.create(user=person, core_subject=cs.key, self_check_at=timezone.now())
    assert stage(programme, org) == "trained"
    domains = list(Domain.objects.filter(version__is_current=True))
    for d in domains[:-1]:
        MaterialityRating.objects.create(organisation=org, domain_key=d.key, significance=2)
    assert stage(programme, org) == "trained"  # one domain still unrated
    MaterialityRating.objects.create(
        organisation=org, domain_key=domains[-1].key, relevant=False, reason="Sans objet"
    )
    assert stage(programme, org) == "materiality"
    first = DiagnosisFactory(
        organisation=org, status=Diagnosis.Status.VALIDATED, completed_at=timezone.now() - timedelta(days=300)
    )
    assert stage(programme, org) == "validated"
    for i in range(3):
        a = Action.objects.create(
            organisation=org, title=f"A{i}", status="planned", owner=person, due_date=timezone.localdate()
        )
        a.domains.add(domains[0])
    assert stage(programme, org) == "plan"
    DiagnosisFactory(
        organisation=org,
        status=Diagnosis.Status.COMPLETED,
        completed_at=first.completed_at + timedelta(days=200),
    )
    assert stage(programme, org) == "follow_up"


def test_a_gap_stops_the_path(programme):
    (org,) = enrol(programme, 1)
    DiagnosisFactory(organisation=org, status=Diagnosis.Status.VALIDATED, completed_at=timezone.now())
    assert stage(programme, org) == "enrolled"  # validated, but not trained: the path is in order


def test_cohort_board_filters_sort_csv_and_funnel(client, programme):
    orgs = enrol(programme, 3)
    orgs[0].name = "Zèbre"
    orgs[0].save()
    client.force_login(programme.coordinator)
    url = reverse("programme_detail", args=[programme.slug])
    page = client.get(url).content.decode()
    assert 'class="chart chart-bars"' in page and page.count('<tr><th scope="row">') >= 3
    page = client.get(url + "?sort=name").content.decode()
    assert page.index(orgs[1].name) < page.index("Zèbre")
    assert "Aucune entreprise" in client.get(url + "?stage=follow_up").content.decode()
    resp = client.get(reverse("programme_csv", args=[programme.slug]))
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Organisation" and len(rows) == 4
    assert {r[3] for r in rows[1:]} == {"Inscrite"}


def test_cohort_board_queries_do_not_grow(client, programme, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other = Programme.objects.create(name="Grande cohorte", slug="grande")
    ProgrammeStaff.objects.create(programme=other, user=programme.coordinator, role=StaffRole.COORDINATOR)
    enrol(programme, 10)
    for o in enrol(other, 50):
        DiagnosisFactory(organisation=o, status=Diagnosis.Status.VALIDATED, completed_at=timezone.now())
    client.force_login(programme.coordinator)
    counts = []
    for p in (programme, other):
        url = reverse("programme_detail", args=[p.slug])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts


def test_csv_only_for_the_programmes_coordinators(client, programme, owner):
    client.force_login(owner)
    assert client.get(reverse("programme_csv", args=[programme.slug])).status_code == 404


def test_board_table_is_paginated_but_funnel_and_csv_cover_everyone(client, programme, monkeypatch):
    from parcours.programmes import views

    monkeypatch.setattr(views, "BOARD_PAGE", 3)
    orgs = enrol(programme, 5)
    client.force_login(programme.coordinator)
    url = reverse("programme_detail", args=[programme.slug])
    first = client.get(url, {"sort": "name"}).content.decode()
    assert first.count('<tr><th scope="row">') == 3 + len(STAGES)  # 3 companies + the funnel table
    assert "page=2" in first and "sort=name" in first
    second = client.get(url, {"sort": "name", "page": "2"}).content.decode()
    names = sorted(o.name for o in orgs)
    assert names[-1] in second and names[0] not in second
    assert client.get(url, {"page": "999"}).status_code == 200  # out of range: the last page
    rows = client.get(reverse("programme_csv", args=[programme.slug])).content.decode("utf-8-sig")
    assert rows.strip().count("\n") == 5
