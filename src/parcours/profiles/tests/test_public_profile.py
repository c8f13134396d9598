import html
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from parcours.actions.models import Action
from parcours.diagnoses.models import Answer
from parcours.organisations.models import AuditEntry, Role
from parcours.profiles.models import PublicProfile
from parcours.profiles.selectors import public_content
from parcours.referential.models import CoreSubject
from parcours.testing import member

from .conftest import complete, validate

pytestmark = pytest.mark.django_db


def text(resp) -> str:  # type: ignore[no-untyped-def]
    return " ".join(html.unescape(strip_tags(resp.content.decode())).split())


def manage_url(org) -> str:  # type: ignore[no-untyped-def]
    return reverse("public_profile_manage", args=[org.slug])


def public_url(slug: str) -> str:
    return reverse("public_profile", args=[slug])


def form_data(**overrides):  # type: ignore[no-untyped-def]
    data = {"intent": "save", "public_slug": "atelier-test", "commitments": "Nous réparons plutôt que jeter."}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def save(client, org, **overrides):  # type: ignore[no-untyped-def]
    return client.post(manage_url(org), form_data(**overrides))


def publish(client, org):  # type: ignore[no-untyped-def]
    return client.post(manage_url(org), {"intent": "publish"})


@pytest.fixture
def actions(org):  # type: ignore[no-untyped-def]
    return {
        status: Action.objects.create(organisation=org, title=f"Action {status}", status=status)
        for status in ("done", "in_progress", "planned")
    }


def test_unpublished_or_unknown_address_is_404_for_everyone(client, org, owner, outsider):
    assert client.get(public_url("atelier-test")).status_code == 404  # no profile at all
    client.force_login(owner)
    assert save(client, org).status_code == 302
    for user in (None, outsider, owner):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        assert client.get(public_url("atelier-test")).status_code == 404
    assert client.get(public_url("nobody-here")).status_code == 404


def test_publish_show_unpublish(client, org, owner, english):
    client.force_login(owner)
    save(client, org, contact_email="rse@atelier.example")
    resp = publish(client, org)
    assert resp.status_code == 302
    profile = PublicProfile.objects.get(organisation=org)
    assert profile.published and profile.published_at

    client.logout()
    resp = client.get(public_url("atelier-test"))
    assert resp.status_code == 200
    page = text(resp)
    assert "Atelier Test" in page and "Nous réparons plutôt que jeter." in page
    assert "rse@atelier.example" in page

    client.force_login(owner)
    client.post(manage_url(org), {"intent": "unpublish"})
    client.logout()
    assert client.get(public_url("atelier-test")).status_code == 404
    assert list(
        AuditEntry.objects.filter(organisation=org, action__startswith="public_profile.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["public_profile.created", "public_profile.published", "public_profile.unpublished"]


def test_shows_only_what_was_chosen(client, org, other_org, owner, outsider, actions, english):
    def adjust(diagnosis):  # type: ignore[no-untyped-def]
        Answer.objects.filter(diagnosis=diagnosis).update(comment="CONFIDENTIAL-ANSWER-COMMENT")

    complete(org, level=2, adjust=adjust)
    secret = Action.objects.create(
        organisation=other_org, title="Secret plan of the other company", status="done"
    )
    client.force_login(outsider)
    save(client, other_org, public_slug="other-public", commitments="OTHER-COMMITMENTS", actions=[secret.pk])
    publish(client, other_org)

    client.force_login(owner)
    save(client, org, show_maturity="on", actions=[actions["done"].pk])
    publish(client, org)
    client.logout()
    page = text(client.get(public_url("atelier-test")))
    governance = CoreSubject.objects.get(version__is_current=True, key="organizational_governance")
    # anonymous visitors read French unless they chose English
    assert "Niveau de maturité 2 sur 4" in page
    assert "autoévaluation" in page and "non validée par un consultant" in page
    assert "Action done" in page
    assert "Action in_progress" not in page and "Action planned" not in page  # not chosen
    assert governance.clause + " " + governance.label not in page  # scores not ticked
    for foreign in ("CONFIDENTIAL-ANSWER-COMMENT", "OTHER-COMMITMENTS", "Secret plan", "Other Company"):
        assert foreign not in page

    client.force_login(owner)
    save(client, org, show_maturity="on", show_core_subject_scores="on")
    client.logout()
    page = text(client.get(public_url("atelier-test")))
    assert f"{governance.clause} {governance.label}" in page
    assert "Action done" not in page  # unticked since


def test_validation_shows_the_consultants_name_never_their_email(client, org, owner, consultant, english):
    consultant.first_name, consultant.last_name = "Claire", "Martin"
    consultant.save()
    validate(org, consultant, owner, level=3)
    client.force_login(owner)
    save(client, org, show_maturity="on", show_validation="on")
    publish(client, org)
    client.logout()
    page = text(client.get(public_url("atelier-test")))
    assert "Claire Martin" in page and consultant.email not in page
    assert "validé" in page
    assert "Niveau de maturité 4 sur 4" in page  # 750


def test_cannot_publish_an_empty_or_unsaved_profile(client, org, owner):
    client.force_login(owner)
    publish(client, org)
    assert not PublicProfile.objects.filter(organisation=org).exists()
    save(client, org, commitments="")
    resp = client.post(manage_url(org), {"intent": "publish"}, follow=True)
    assert resp.status_code == 200
    assert not PublicProfile.objects.get(organisation=org).published
    assert client.get(public_url("atelier-test")).status_code == 404


def test_public_slug_is_unique_and_never_reused(client, org, other_org, owner, outsider, english):
    client.force_login(outsider)
    assert save(client, other_org, public_slug="other-public").status_code == 302

    client.force_login(owner)
    for taken in ("other-public", "other-company"):  # another's public address, another's own name
        resp = save(client, org, public_slug=taken)
        assert resp.status_code == 400
        assert "used, or was used, by another organisation" in text(resp)
    for bad in ("Bad Slug!", "a", "double--hyphen", "x" * 61, "-edge"):
        resp = save(client, org, public_slug=bad)
        assert resp.status_code == 400, bad
        assert "lowercase letters" in text(resp)
    assert save(client, org, public_slug="  Atelier-Test  ").status_code == 302  # normalised
    assert PublicProfile.objects.get(organisation=org).public_slug == "atelier-test"

    # the other company moves to a new address: its old one stays reserved, and redirects
    client.force_login(outsider)
    assert save(client, other_org, public_slug="other-renamed").status_code == 302
    publish(client, other_org)
    client.force_login(owner)
    assert save(client, org, public_slug="other-public").status_code == 400
    client.logout()
    resp = client.get(public_url("other-public"))
    assert resp.status_code == 301 and resp["Location"] == public_url("other-renamed")


@pytest.mark.parametrize(("role", "status"), [(Role.EDITOR, 403), (Role.VIEWER, 403)])
def test_only_the_owner_manages_the_profile(client, org, role, status):
    client.force_login(member(org, role))
    assert client.get(manage_url(org)).status_code == status
    assert save(client, org).status_code == status
    assert not PublicProfile.objects.exists()


def test_consultant_and_outsider_cannot_manage(client, org, consultant, outsider):
    client.force_login(consultant)
    assert client.get(manage_url(org)).status_code == 403
    client.force_login(outsider)
    assert client.get(manage_url(org)).status_code == 404
    assert save(client, org).status_code == 404
    client.logout()
    assert client.get(manage_url(org)).status_code == 302


def test_bad_input_gets_clear_messages(client, org, other_org, owner, english):
    extra = [Action.objects.create(organisation=org, title=f"Done {i}", status="done").pk for i in range(7)]
    client.force_login(owner)
    resp = save(client, org, actions=extra, contact_email="not-an-email")
    assert resp.status_code == 400
    page = text(resp)
    assert "Choose at most 6 actions (you chose 7)" in page
    assert "Enter a valid email address" in page
    # a foreign or planned action is not a choice
    foreign = Action.objects.create(organisation=other_org, title="Foreign", status="done").pk
    planned = Action.objects.create(organisation=org, title="Planned", status="planned").pk
    for pk in (foreign, planned, "x"):
        assert save(client, org, actions=[pk]).status_code == 400
    assert not PublicProfile.objects.exists()


def test_indicators_are_checked_and_shown_the_local_way(client, org, owner, english):
    client.force_login(owner)
    resp = save(client, org, ind_0_value="12", ind_1_label="Waste", ind_1_value="lots")
    assert resp.status_code == 400
    page = text(resp)
    assert "Name this indicator, or clear its row." in page
    assert "Enter a number" in page
    resp = save(
        client,
        org,
        ind_0_label="Renewable electricity",
        ind_0_value="45,5",
        ind_0_unit="%",
        ind_0_year="2025",
        ind_2_label="Training hours",
        ind_2_value="1 234",
        ind_2_unit="h",
    )
    assert resp.status_code == 302
    profile = PublicProfile.objects.get(organisation=org)
    assert profile.indicators == [
        {"label": "Renewable electricity", "value": "45.5", "unit": "%", "year": 2025},
        {"label": "Training hours", "value": "1234", "unit": "h", "year": None},
    ]
    publish(client, org)
    client.logout()
    page = text(client.get(public_url("atelier-test")))  # anonymous: French
    assert "Renewable electricity" in page and "45,5" in page
    assert re.search(r"1\s?234", page.replace("\u202f", " ").replace("\xa0", " "))


def test_sharing_metadata_and_print_stylesheet(client, org, owner, settings):
    settings.SITE_URL = "https://parcours.example"
    client.force_login(owner)
    save(client, org)
    publish(client, org)
    client.logout()
    resp = client.get(public_url("atelier-test"))
    body = resp.content.decode()
    canonical = "https://parcours.example/c/atelier-test/"
    assert '<html lang="fr">' in body
    assert "<title>Atelier Test" in body
    assert '<meta name="description" content="Nous réparons plutôt que jeter.">' in body
    assert f'<link rel="canonical" href="{canonical}">' in body
    assert f'<meta property="og:url" content="{canonical}">' in body
    for tag in ('property="og:title"', 'property="og:description"', 'property="og:type" content="website"'):
        assert tag in body
    assert '<meta name="twitter:card" content="summary">' in body
    assert "noindex" not in body
    assert 'href="#main"' in body and '<main id="main"' in body
    assert "profiles/profile.css" in body and "<script" not in body and "style=" not in body


def test_preview_shows_exactly_the_public_content(client, org, owner, actions, english):
    complete(org, level=2)
    client.force_login(owner)
    save(client, org, show_core_subject_scores="on", actions=[actions["in_progress"].pk])
    resp = client.get(manage_url(org))
    assert resp.status_code == 200
    page = text(resp)
    assert "Action in_progress" in page and "Not published" in page
    content = public_content(PublicProfile.objects.get(organisation=org))
    assert [a.title for a in content.actions] == ["Action in_progress"]
    assert len(content.core_subjects) == 7 and content.maturity is None


def test_public_page_queries_do_not_grow_with_actions(client, org, owner, django_assert_num_queries):
    complete(org, level=2)
    done = [Action.objects.create(organisation=org, title=f"A{i}", status="done").pk for i in range(6)]
    client.force_login(owner)
    save(client, org, show_maturity="on", show_core_subject_scores="on", actions=done[:1])
    publish(client, org)
    client.logout()
    # profile, validated diagnosis, completed diagnosis, core subjects, actions
    with django_assert_num_queries(5):
        client.get(public_url("atelier-test"))
    client.force_login(owner)
    save(client, org, show_maturity="on", show_core_subject_scores="on", actions=done)
    client.logout()
    with django_assert_num_queries(5):
        assert client.get(public_url("atelier-test")).status_code == 200


def _facts(org, other_org):  # type: ignore[no-untyped-def]
    from parcours.vsme.models import Fact, ReportingYear

    ry = ReportingYear.objects.create(organisation=org, year=2025)
    Fact.objects.create(
        reporting_year=ry,
        concept="vsme:GrossScope1GreenhouseGasEmissions",
        value="27.9",
        unit="utr:tCO2e",
        decimals=1,
    )
    Fact.objects.create(
        reporting_year=ry,
        concept="vsme:EmployeeTurnoverRate",
        value="0.09",
        unit="xbrli:pure",
        decimals=2,
    )
    Fact.objects.create(
        reporting_year=ry,
        concept="vsme:EnergyConsumptionFromElectricity",
        dimensions={"vsme:BreakdownOfEnergyConsumptionAxis": "vsme:RenewableEnergyMember"},
        value="92",
        unit="utr:MWh",
        decimals=0,
    )
    other = ReportingYear.objects.create(organisation=other_org, year=2025)
    return Fact.objects.create(
        reporting_year=other, concept="vsme:GrossScope1GreenhouseGasEmissions", value="999", unit="utr:tCO2e"
    )


SCOPE1 = "2025|vsme:GrossScope1GreenhouseGasEmissions|{}"
TURNOVER = "2025|vsme:EmployeeTurnoverRate|{}"


def test_figures_are_picked_from_the_vsme_indicators_and_follow_them(
    client, org, other_org, owner, english, django_assert_num_queries
):
    from parcours.vsme.models import Fact

    _facts(org, other_org)
    client.force_login(owner)
    page = text(client.get(manage_url(org)))
    assert "Gross Scope 1 greenhouse gas emissions: 27.9 t CO₂e" in page
    assert "Employee turnover rate: 9 %" in page  # a fraction in VSME, a percentage to read
    assert "999" not in page  # never another organisation's figures
    resp = save(client, org, vsme_figures=[TURNOVER, SCOPE1])
    assert resp.status_code == 302
    assert PublicProfile.objects.get(organisation=org).vsme_figures == [TURNOVER, SCOPE1]
    assert AuditEntry.objects.filter(action="public_profile.created").exists()
    publish(client, org)
    client.logout()
    page = text(client.get(public_url("atelier-test")))  # anonymous: French labels
    # cells run together once tags are stripped: label, value, unit, year
    assert "Taux de rotation du personnel9%2025" in page
    assert "Émissions brutes des émissions de gaz à effet de serre du scope 127,9t CO₂e2025" in page
    # corrected in the indicators: the page follows; deleted: the figure leaves the page
    Fact.objects.filter(concept="vsme:GrossScope1GreenhouseGasEmissions", value="27.9").update(value="25")
    page = text(client.get(public_url("atelier-test")))
    assert "scope 125t CO₂e" in page and "27,9" not in page
    Fact.objects.filter(concept="vsme:EmployeeTurnoverRate").delete()
    page = text(client.get(public_url("atelier-test")))
    assert "Taux de rotation" not in page
    # profile, actions, the chosen facts: one query for the figures whatever their number
    with django_assert_num_queries(3):
        client.get(public_url("atelier-test"))


def test_figures_of_another_organisation_or_too_many_are_refused(client, org, other_org, owner, english):
    foreign = _facts(org, other_org)
    client.force_login(owner)
    resp = save(client, org, vsme_figures=[f"2025|{foreign.concept}|{{}}|x"])
    assert resp.status_code == 400
    assert "This figure is no longer in your indicators" in text(resp)
    assert not PublicProfile.objects.filter(organisation=org).exists()
    from parcours.profiles.services import public_profile_update

    with pytest.raises(Exception, match="Only figures of your own VSME indicators"):
        public_profile_update(
            actor=owner, organisation=other_org, data={}, vsme_figures=["2025|vsme:Nope|{}"]
        )
    from parcours.vsme.display import _datapoints
    from parcours.vsme.forms import NUMERIC
    from parcours.vsme.models import Fact, ReportingYear

    ry = ReportingYear.objects.get(organisation=org)
    concepts = [c for c, dp in _datapoints().items() if dp.data_type in NUMERIC and not dp.axes][:9]
    for concept in concepts:
        Fact.objects.get_or_create(
            reporting_year=ry, concept=concept, defaults={"value": "1", "unit": "xbrli:pure"}
        )
    resp = save(client, org, vsme_figures=[f"2025|{c}|{{}}" for c in concepts])
    assert resp.status_code == 400
    assert "Choose at most 8 figures (you chose 9)." in text(resp)
    assert save(client, org, vsme_figures=[f"2025|{c}|{{}}" for c in concepts[:8]]).status_code == 302
