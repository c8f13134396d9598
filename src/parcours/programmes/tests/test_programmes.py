"""Programmes from the coordinator's and the company's side: creation, calendar, invitations,
leaving, consultants, sessions and attendance, good practices, funder synthesis."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parcours.actions.models import Action
from parcours.diagnoses.models import Diagnosis
from parcours.organisations.models import ConsultantAssignment, Membership, Role
from parcours.programmes.models import (
    Attendance,
    Enrolment,
    Programme,
    ProgrammeInvitation,
    ProgrammeStaff,
    Session,
    SharedPractice,
    StaffRole,
    Step,
)
from parcours.programmes.stages import STAGES, stage_of, staged
from parcours.referential.models import CoreSubject, Domain
from parcours.testing import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator():
    user = UserFactory(language="en")
    user.user_permissions.add(Permission.objects.get(codename="create_programme"))
    return user


@pytest.fixture
def programme(creator):
    p = Programme.objects.create(name="Cohorte 2027", slug="cohorte-2027")
    ProgrammeStaff.objects.create(programme=p, user=creator, role=StaffRole.COORDINATOR)
    return p


def invite(client, programme, email, kind="organisation"):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        resp = client.post(
            reverse("programme_people", args=[programme.slug]),
            {"email": email, "kind": kind, "company_name": ""},
        )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    return ProgrammeInvitation.objects.get(programme=programme, email=email, accepted_at__isnull=True)


def test_only_permitted_people_create_programmes_and_become_coordinators(client, creator, owner):
    client.force_login(owner)
    assert client.get(reverse("programme_create")).status_code == 403
    client.force_login(creator)
    resp = client.post(
        reverse("programme_create"),
        {"name": "Parcours RSE Bretagne", "region": "53", "starts_on": "2027-01-10", "ends_on": "2026-01-01"},
    )
    assert resp.status_code == 400
    assert "end date comes before the start date" in resp.content.decode()
    resp = client.post(
        reverse("programme_create"),
        {"name": "Parcours RSE Bretagne", "region": "53", "starts_on": "2027-01-10", "ends_on": "2028-06-30"},
    )
    programme = Programme.objects.get(name="Parcours RSE Bretagne")
    assert resp["Location"] == reverse("programme_detail", args=[programme.slug])
    assert ProgrammeStaff.objects.get(programme=programme).user == creator
    assert "Parcours RSE Bretagne" in client.get(reverse("home")).content.decode()


def test_calendar_steps_in_date_order_with_clear_errors(client, creator, programme):
    client.force_login(creator)
    url = reverse("step_create", args=[programme.slug])
    resp = client.post(url, {"kind": "plan", "title": "Plans adoptés", "starts_on": "2027-09-30"})
    assert resp.status_code == 302
    client.post(
        url, {"kind": "diagnosis", "title": "Diagnostics", "starts_on": "2027-02-01", "ends_on": "2027-04-30"}
    )
    resp = client.post(url, {"kind": "review", "title": "", "starts_on": "not a date"})
    assert resp.status_code == 400 and "Enter a valid date" in resp.content.decode()
    page = client.get(reverse("programme_calendar", args=[programme.slug])).content.decode()
    assert page.index("Diagnostics") < page.index("Plans adoptés")
    assert Step.objects.filter(programme=programme).count() == 2


def test_company_invitation_accepted_by_its_owner_then_left(client, creator, programme, org, owner):
    client.force_login(creator)
    invitation = invite(client, programme, owner.email)
    assert owner.email in mail.outbox[-1].to and invitation.token in mail.outbox[-1].body
    client.logout()
    link = reverse("programme_invitation", args=[invitation.token])
    assert "Se connecter" in client.get(link).content.decode()  # anonymous: French by default

    client.force_login(owner)
    page = client.get(link).content.decode()
    assert org.name in page and "quitter le programme à tout moment" in page
    resp = client.post(link, {"decision": "accept", "organisation": str(org.pk)})
    assert resp["Location"] == reverse("org_programmes", args=[org.slug])
    assert Enrolment.objects.filter(programme=programme, organisation=org).exists()
    assert client.get(link).status_code == 410  # used

    mine = client.get(reverse("org_programmes", args=[org.slug])).content.decode()
    assert programme.name in mine
    enrolment = Enrolment.objects.get(programme=programme, organisation=org)
    client.post(reverse("enrolment_leave", args=[org.slug, enrolment.pk]))
    assert not Enrolment.objects.filter(programme=programme, organisation=org).exists()


def test_company_invitation_cannot_enrol_someone_elses_organisation(
    client, creator, programme, org, other_org, owner
):
    client.force_login(creator)
    invitation = invite(client, programme, owner.email)
    client.force_login(owner)
    resp = client.post(
        reverse("programme_invitation", args=[invitation.token]),
        {"decision": "accept", "organisation": str(other_org.pk)},
    )
    assert resp.status_code == 400
    assert "Choisissez l" in resp.content.decode()
    assert not Enrolment.objects.exists()


def test_staff_invitation_is_for_its_address_only_and_can_be_declined(client, creator, programme):
    client.force_login(creator)
    funder = UserFactory(email="funder@region.test")
    invitation = invite(client, programme, funder.email, kind="funder")
    link = reverse("programme_invitation", args=[invitation.token])
    client.force_login(UserFactory())
    assert client.post(link, {"decision": "accept"}).status_code == 403
    client.force_login(funder)
    client.post(link, {"decision": "accept"})
    assert ProgrammeStaff.objects.get(programme=programme, user=funder).role == StaffRole.FUNDER
    other = UserFactory(email="observer@region.test")
    client.force_login(creator)
    invitation = invite(client, programme, other.email, kind="observer")
    client.force_login(other)
    client.post(reverse("programme_invitation", args=[invitation.token]), {"decision": "decline"})
    assert not ProgrammeStaff.objects.filter(user=other).exists()
    invitation.refresh_from_db()
    assert invitation.declined_at is not None


def test_expired_invitation_is_refused(client, creator, programme, owner):
    invitation = ProgrammeInvitation.objects.create(
        programme=programme, email=owner.email, expires_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(owner)
    resp = client.get(reverse("programme_invitation", args=[invitation.token]))
    assert resp.status_code == 410
    assert reverse("home") in resp.content.decode()


def test_assigning_a_consultant_gives_and_removes_access(client, creator, programme, org):
    consultant = UserFactory()
    ProgrammeStaff.objects.create(programme=programme, user=consultant, role=StaffRole.CONSULTANT)
    enrolment = Enrolment.objects.create(programme=programme, organisation=org)
    client.force_login(consultant)
    assert client.get(reverse("org_home", args=[org.slug])).status_code == 404
    client.force_login(creator)
    url = reverse("enrolment_consultant", args=[programme.slug, enrolment.pk])
    client.post(url, {"consultant": str(UserFactory().pk)})  # not in the programme's pool
    assert not ConsultantAssignment.objects.exists()
    client.post(url, {"consultant": str(consultant.pk)})
    client.force_login(consultant)
    assert client.get(reverse("org_home", args=[org.slug])).status_code == 200
    assert org.name in client.get(reverse("portfolio")).content.decode()
    client.force_login(creator)
    client.post(reverse("enrolment_remove", args=[programme.slug, enrolment.pk]))
    client.force_login(consultant)
    assert client.get(reverse("org_home", args=[org.slug])).status_code == 404


def test_training_attendance_counts_towards_trained(client, creator, programme, org, owner):
    Enrolment.objects.create(programme=programme, organisation=org)
    keys = list(CoreSubject.objects.filter(version__is_current=True).values_list("key", flat=True))
    client.force_login(creator)
    resp = client.post(
        reverse("session_create", args=[programme.slug]),
        {
            "kind": "training",
            "title": "Journée 1",
            "starts_at": "2027-03-02T09:00",
            "duration_minutes": "420",
        },
    )
    assert resp.status_code == 400 and "Give a place, an online link, or both" in resp.content.decode()
    resp = client.post(
        reverse("session_create", args=[programme.slug]),
        {
            "kind": "training",
            "title": "Journée 1",
            "starts_at": "2027-03-02T09:00",
            "duration_minutes": "420",
            "place": "Orléans",
            "materials": "https://example.org/slides.pdf",
            "core_subjects": keys,
        },
    )
    session = Session.objects.get()
    assert resp["Location"] == reverse("session_detail", args=[programme.slug, session.pk])
    e = staged(Enrolment.objects.filter(programme=programme))[0]
    assert STAGES[stage_of(e)][0] == "enrolled"
    page = client.get(resp["Location"]).content.decode()
    assert owner.email in page and "https://example.org/slides.pdf" in page
    client.post(
        reverse("session_attendance", args=[programme.slug, session.pk]),
        {"present": [f"{org.pk}:{owner.pk}"]},
    )
    assert Attendance.objects.filter(session=session, user=owner).exists()
    e = staged(Enrolment.objects.filter(programme=programme))[0]
    assert STAGES[stage_of(e)][0] == "trained"
    # someone outside the cohort cannot be marked present
    stranger = UserFactory()
    resp = client.post(
        reverse("session_attendance", args=[programme.slug, session.pk]),
        {"present": [f"{org.pk}:{stranger.pk}"]},
    )
    assert not Attendance.objects.filter(user=stranger).exists()
    assert "Only people of the programme" in client.get(resp["Location"]).content.decode()
    # and the company sees the session on its own page
    client.force_login(owner)
    assert "Journée 1" in client.get(reverse("org_programmes", args=[org.slug])).content.decode()


def test_materials_must_be_links(client, creator, programme):
    client.force_login(creator)
    resp = client.post(
        reverse("session_create", args=[programme.slug]),
        {
            "kind": "workshop",
            "title": "Atelier",
            "starts_at": "2027-03-02T14:00",
            "duration_minutes": "180",
            "place": "Tours",
            "materials": "slides on the shared drive",
        },
    )
    assert resp.status_code == 400 and "is not a web address" in resp.content.decode()


def test_good_practice_shared_in_the_cohort_copied_and_withdrawn(
    client, programme, org, owner, other_org, outsider
):
    third = OrganisationFactory()
    third_owner = UserFactory()
    Membership.objects.create(organisation=third, user=third_owner, role=Role.OWNER)
    Enrolment.objects.create(programme=programme, organisation=org)
    Enrolment.objects.create(programme=programme, organisation=third)
    domain = Domain.objects.filter(version__is_current=True).first()
    action = Action.objects.create(organisation=org, title="Tri des déchets d'atelier", status="done")
    action.domains.add(domain)
    client.force_login(owner)
    url = reverse("action_share", args=[org.slug, action.pk])
    assert client.post(url, {"title": "", "what_was_done": ""}).status_code == 400
    client.post(
        url,
        {
            "title": "Tri des déchets",
            "what_was_done": "Bennes séparées",
            "result": "-30 % de DIB",
            "contact": "Nadia",
        },
    )
    practice = SharedPractice.objects.get()

    client.force_login(third_owner)
    listing = client.get(reverse("practice_list", args=[third.slug])).content.decode()
    assert "Tri des déchets" in listing and org.name in listing
    resp = client.post(reverse("practice_copy", args=[third.slug, practice.pk]))
    copy = Action.objects.get(organisation=third)
    assert resp["Location"] == reverse("action_detail", args=[third.slug, copy.pk])
    assert copy.status == Action.Status.IDEA and "-30 % de DIB" in copy.description
    assert list(copy.domains.all()) == [domain]

    client.force_login(outsider)  # other_org is in no programme with org
    assert 'id="gp-' not in client.get(reverse("practice_list", args=[other_org.slug])).content.decode()
    assert client.post(reverse("practice_copy", args=[other_org.slug, practice.pk])).status_code == 404

    client.force_login(owner)
    client.post(url, {"withdraw": "1"})
    assert not SharedPractice.objects.exists()
    assert Action.objects.filter(pk=copy.pk).exists()  # the copy is the other company's own


def _validated(org, scores, when):
    keys = list(CoreSubject.objects.filter(version__is_current=True).values_list("key", flat=True))
    from parcours.referential.models import ReferentialVersion

    return Diagnosis.objects.create(
        organisation=org,
        referential_version=ReferentialVersion.objects.get(is_current=True),
        size_band=org.headcount_band,
        status=Diagnosis.Status.VALIDATED,
        completed_at=when,
        validated_at=when,
        overall_score=scores,
        results={"overall": scores, "core_subjects": dict.fromkeys(keys, scores), "domains": {}},
    )


def test_synthesis_hides_groups_under_five_and_opens_in_both_languages(client, creator, programme):
    orgs = [OrganisationFactory() for _ in range(6)]
    for o in orgs:
        Enrolment.objects.create(programme=programme, organisation=o)
    now = timezone.now()
    for i, o in enumerate(orgs[:4]):
        _validated(o, 400 + 10 * i, now - timedelta(days=400))
    client.force_login(creator)
    page = client.get(reverse("programme_synthesis", args=[programme.slug])).content.decode()
    assert "fewer than 5 companies have a validated diagnosis" in page
    for o in orgs:
        assert o.name not in page
    for i, o in enumerate(orgs):
        _validated(o, 500 + 20 * i, now)
    page = client.get(reverse("programme_synthesis", args=[programme.slug])).content.decode()
    assert "fewer than 5 companies have a validated diagnosis" not in page
    assert "4 companies have two validated diagnoses; at least 5 are needed" in page
    _validated(orgs[4], 300, now - timedelta(days=300))
    page = client.get(reverse("programme_synthesis", args=[programme.slug])).content.decode()
    assert "5 companies were diagnosed at least twice" in page

    for lang, word in (("fr", "Participation"), ("en", "Participation")):
        resp = client.get(reverse("programme_synthesis_file", args=[programme.slug, "pdf"]) + f"?lang={lang}")
        assert resp["Content-Type"] == "application/pdf"
        from pypdf import PdfReader

        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(resp.content)).pages)
        assert word in text and programme.name in text
        assert ("Synthèse pour le financeur" if lang == "fr" else "Funder synthesis") in text
        for o in orgs:
            assert o.name not in text
    from openpyxl import load_workbook

    resp = client.get(reverse("programme_synthesis_file", args=[programme.slug, "xlsx"]) + "?lang=en")
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["Participation", "Path", "Scores", "Change", "Actions", "Attendance"]
    assert [c.value for c in wb["Participation"][2]] == ["All", 6]
    assert client.get(reverse("programme_synthesis_file", args=[programme.slug, "doc"])).status_code == 404
