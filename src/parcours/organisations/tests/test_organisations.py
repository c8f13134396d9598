import html

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from parcours.organisations.models import AuditEntry, Invitation, Membership, Organisation, Role
from parcours.organisations.validators import validate_siren
from parcours.testing import PASSWORD, UserFactory, member


def text(resp):
    return html.unescape(resp.content.decode())


@pytest.mark.parametrize("siren", ["732829320", "732 829 320", "552100554", "356000000"])
def test_valid_sirens(siren):
    validate_siren(siren)


@pytest.mark.parametrize("siren", ["732829321", "12345678", "ABCDEFGHI", "1234567890"])
def test_invalid_sirens(siren):
    with pytest.raises(ValidationError):
        validate_siren(siren)


@pytest.mark.django_db
def test_signup_creates_the_organisation_and_makes_the_person_owner(client):
    resp = client.post(
        reverse("account_signup"),
        {
            "email": "Nadia@Example.org",
            "password1": "un-mot-de-passe-solide",
            "password2": "un-mot-de-passe-solide",
            "first_name": "Nadia",
            "last_name": "Roux",
            "organisation_name": "Atelier du Berry",
            "headcount_band": "small",
        },
    )
    assert resp.status_code == 302
    org = Organisation.objects.get(name="Atelier du Berry")
    assert org.slug == "atelier-du-berry"
    user = get_user_model().objects.get(email="nadia@example.org")
    assert Membership.objects.get(organisation=org, user=user).role == Role.OWNER
    assert user.password.startswith("argon2")
    assert AuditEntry.objects.filter(organisation=org, action="organisation.created").exists()


@pytest.mark.django_db
def test_signup_errors_are_in_french_and_create_nothing(client):
    resp = client.post(
        reverse("account_signup"), {"email": "pas-un-email", "password1": "a", "password2": "b"}
    )
    assert resp.status_code == 200
    page = text(resp)
    assert "Veuillez corriger" in page
    assert "Ce champ est obligatoire" in page
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_login_by_email_then_home_goes_to_the_only_organisation(client, org, owner):
    resp = client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    assert resp.status_code == 302
    resp = client.get(reverse("home"))
    assert resp["Location"] == reverse("org_home", args=[org.slug])


@pytest.mark.django_db
def test_failed_logins_are_throttled(client, owner):
    for _ in range(5):
        resp = client.post(reverse("account_login"), {"login": owner.email, "password": "wrong-password"})
        assert resp.status_code == 200
    resp = client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    assert resp.status_code == 429 or "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_sends_an_email(client, owner):
    resp = client.post(reverse("account_reset_password"), {"email": owner.email})
    assert resp.status_code == 302
    assert len(mail.outbox) == 1
    assert owner.email in mail.outbox[0].to


@pytest.mark.django_db
def test_profile_validates_siren_nace_and_department(client, org, owner):
    client.force_login(owner)
    url = reverse("org_profile", args=[org.slug])
    data = {
        "name": "Atelier Test",
        "siren": "732829321",
        "nace_code": "1412",
        "headcount_band": "small",
        "turnover_band": "",
        "region": "24",
        "department": "75",
        "activity": "",
    }
    resp = client.post(url, data)
    assert resp.status_code == 200
    page = text(resp)
    assert "numéro SIREN n'est pas valide" in page
    assert "code NACE/NAF" in page
    assert "ne fait pas partie de la région" in page
    resp = client.post(url, {**data, "siren": "732 829 320", "nace_code": "14.12z", "department": "18"})
    assert resp.status_code == 302
    org.refresh_from_db()
    assert (org.siren, org.nace_code, org.department, org.region) == ("732829320", "14.12Z", "18", "24")
    entry = AuditEntry.objects.get(organisation=org, action="organisation.updated")
    assert entry.changes["siren"] == ["", "732829320"]


@pytest.mark.django_db
def test_invitation_email_and_acceptance_by_a_new_person(
    client, org, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            reverse("invite", args=[org.slug]), {"email": "Paul@Example.org", "role": "editor"}
        )
    assert resp.status_code == 302
    invitation = Invitation.objects.get(organisation=org)
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body
    assert "Atelier Test" in mail.outbox[0].subject

    client.logout()
    url = reverse("invitation_accept", args=[invitation.token])
    resp = client.post(
        url, {"first_name": "Paul", "last_name": "G", "password1": "court", "password2": "court"}
    )
    assert resp.status_code == 400
    assert "Veuillez corriger" in text(resp)
    resp = client.post(
        url,
        {
            "first_name": "Paul",
            "last_name": "G",
            "password1": "un-long-secret-1",
            "password2": "un-long-secret-1",
        },
    )
    assert resp.status_code == 302
    paul = get_user_model().objects.get(email="paul@example.org")
    assert Membership.objects.get(organisation=org, user=paul).role == Role.EDITOR
    # the link works once
    client.logout()
    assert client.get(url).status_code == 410


@pytest.mark.django_db
def test_invitation_for_someone_else_is_refused(client, org, owner):
    invitation = Invitation.objects.create(organisation=org, email="someone@example.org", role=Role.VIEWER)
    intruder = UserFactory()
    client.force_login(intruder)
    url = reverse("invitation_accept", args=[invitation.token])
    assert client.post(url).status_code == 403
    assert not Membership.objects.filter(user=intruder).exists()
    assert client.get(reverse("invitation_accept", args=["not-a-token"])).status_code == 404


@pytest.mark.django_db
def test_the_last_owner_cannot_step_down_or_be_removed(client, org, owner):
    client.force_login(owner)
    mine = Membership.objects.get(user=owner)
    resp = client.post(reverse("member_role", args=[org.slug, mine.pk]), {"role": "viewer"}, follow=True)
    assert "au moins un propriétaire" in text(resp)
    resp = client.post(reverse("member_remove", args=[org.slug, mine.pk]), follow=True)
    assert "au moins un propriétaire" in text(resp)
    mine.refresh_from_db()
    assert mine.role == Role.OWNER

    colleague = member(org, Role.EDITOR)
    theirs = Membership.objects.get(user=colleague)
    client.post(reverse("member_role", args=[org.slug, theirs.pk]), {"role": "owner"})
    theirs.refresh_from_db()
    assert theirs.role == Role.OWNER
    resp = client.post(reverse("member_role", args=[org.slug, theirs.pk]), {"role": "superuser"}, follow=True)
    assert "Choisissez l'un des rôles" in text(resp)


@pytest.mark.django_db
def test_consultant_sees_only_assigned_organisations(client, org, other_org, consultant):
    client.force_login(consultant)
    page = text(client.get(reverse("home")))
    assert org.name in page and other_org.name not in page
    assert client.get(reverse("org_home", args=[org.slug])).status_code == 200
    assert client.get(reverse("org_home", args=[other_org.slug])).status_code == 404


@pytest.mark.django_db
def test_language_switch_is_remembered_for_the_person(client, org, owner):
    client.force_login(owner)
    assert "Diagnostics" in text(client.get(reverse("org_home", args=[org.slug])))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    owner.refresh_from_db()
    assert owner.language == "en"
    assert "Diagnoses" in text(client.get(reverse("org_home", args=[org.slug])))
    # an open redirect is not followed
    resp = client.post(reverse("set_language"), {"language": "fr", "next": "https://evil.example/"})
    assert resp["Location"] == "/"


@pytest.mark.django_db
def test_activity_page_lists_changes_for_owners_only(client, org, owner, editor):
    client.force_login(owner)
    client.post(reverse("invite", args=[org.slug]), {"email": "x@example.org", "role": "viewer"})
    page = text(client.get(reverse("activity", args=[org.slug])))
    assert "invitation.created" in page and "x@example.org" in page
    client.force_login(editor)
    assert client.get(reverse("activity", args=[org.slug])).status_code == 403
    # the log has no route to change it, and the admin refuses edits
    from django.contrib.admin.sites import site

    admin = site._registry[AuditEntry]
    assert not admin.has_change_permission(None) and not admin.has_delete_permission(None)
