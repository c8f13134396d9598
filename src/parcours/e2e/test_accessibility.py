"""axe-core (WCAG 2.1 A and AA rules) on the key pages, in French and in English."""

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, format_violations, login

ORG = "pieces-auto-loiret"
SURVEY_ORG = "cosmetiques-de-sologne"  # another company: the test above switches ORG's owner to English


def check(page, url):
    page.goto(url)
    violations = axe_violations(page)
    assert not violations, f"{url}:\n{format_violations(violations)}"


def test_login_and_signup_pages(page, server):
    check(page, f"{server}/accounts/login/")
    check(page, f"{server}/accounts/signup/")
    # a form with errors must stay accessible too
    page.goto(f"{server}/accounts/login/")
    page.locator("#id_login").fill("nobody@example.org")
    page.locator("#id_password").fill("wrong")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator(".error-summary")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_organisation_diagnosis_and_results_pages(page, server, language):
    login(page, server, f"owner.{ORG}@demo.parcours.test")
    if language == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    check(page, f"{server}/o/{ORG}/")
    check(page, f"{server}/o/{ORG}/diagnoses/")
    check(page, f"{server}/o/{ORG}/people/")
    check(page, f"{server}/o/{ORG}/profile/")

    page.goto(f"{server}/o/{ORG}/diagnoses/")
    page.get_by_role("link", name="Results" if language == "en" else "Résultats").first.click()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    # an open diagnosis: the overview and an editable domain page with its help texts open
    page.goto(f"{server}/o/{ORG}/")
    start = page.get_by_role("button", name="Start from scratch" if language == "en" else "Repartir de zéro")
    if start.count():
        start.click()
    else:
        page.get_by_role(
            "link", name="Continue the diagnosis" if language == "en" else "Poursuivre le diagnostic"
        ).click()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    page.locator("ul.domain-list a").nth(10).click()
    page.locator("details.help summary").first.click()
    page.locator("section.question").first.locator("label.level").first.click()
    expect(page.locator(".save-status").first).not_to_be_empty()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_indicator_carbon_label_and_profile_pages(page, server, language):
    # the demo owner's company has two VSME years, freight and packaging without a factor
    login(page, server, "owner@demo.parcours.test")
    if language == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    org = "atelier-tissage-berry"
    check(page, f"{server}/o/{org}/indicators/")
    check(page, f"{server}/o/{org}/indicators/2025/")
    for code in ("B1", "B3", "B7", "B8"):  # fields, list boxes and tables
        check(page, f"{server}/o/{org}/indicators/2025/{code}/")
    check(page, f"{server}/o/{org}/carbon/2025/")
    expect(page.locator("#uncounted")).to_be_visible()
    check(page, f"{server}/o/{org}/label-readiness/")
    check(page, f"{server}/o/{org}/public-profile/")
    if language == "en":  # leave the shared demo account as it was
        page.get_by_role("button", name="Français").click()


def test_programme_page_for_the_coordinator(page, server):
    login(page, server, "coordinator@demo.parcours.test")
    page.get_by_role("link", name="Parcours RSE Centre-Val de Loire (démo)").click()
    expect(page.get_by_role("table", name="Organisations du programme").locator("tbody tr")).to_have_count(11)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_axe_does_report_violations(page):
    # guards the harness: a page with known faults must be reported
    page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    ids = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "html-has-lang", "label"} <= ids


def test_stakeholder_survey_pages_including_the_public_link(page, server, browser):
    login(page, server, f"owner.{SURVEY_ORG}@demo.parcours.test")
    for path in ("stakeholders/new/", "surveys/", "surveys/new/", "activity/", "learn/"):
        check(page, f"{server}/o/{SURVEY_ORG}/{path}")
    page.goto(f"{server}/o/{SURVEY_ORG}/surveys/new/")
    page.get_by_role("button", name="Créer l'enquête").click()
    link = page.locator("#survey-link").input_value()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    anonymous = browser.new_context(locale="fr-FR").new_page()
    anonymous.goto(link)
    violations = axe_violations(anonymous)
    assert not violations, format_violations(violations)
    anonymous.locator("fieldset").first.get_by_label("Très important").check()
    anonymous.get_by_role("button", name="Envoyer mes réponses").click()
    expect(anonymous.get_by_role("status")).to_contain_text("Merci")
    anonymous.context.close()


def test_progress_action_form_and_consultant_review_pages(page, server, browser):
    org = "transports-beauceron"
    login(page, server, f"owner.{org}@demo.parcours.test")
    page.goto(f"{server}/o/{org}/diagnoses/")
    page.get_by_role("link", name="Résultats").first.click()
    page.get_by_role("link", name="Voir les progrès en détail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progrès entre deux diagnostics")
    no_violations(page)
    page.goto(f"{server}/o/{org}/actions/")
    page.locator("tbody a").first.click()
    page.get_by_role("link", name="Modifier").click()
    no_violations(page)
    # a follow-up diagnosis submitted to the consultant, then the consultant's review pages
    page.goto(f"{server}/o/{org}/")
    page.get_by_role(
        "button", name="Commencer un diagnostic de suivi à partir de mes réponses précédentes"
    ).click()
    page.get_by_role("button", name="Soumettre pour validation").click()
    expect(page.locator(".messages")).to_contain_text("soumis")
    overview = page.url
    consultant = browser.new_context(locale="fr-FR").new_page()
    login(consultant, server, "consultant3@demo.parcours.test")
    consultant.goto(overview)
    expect(consultant.get_by_role("button", name="Valider le diagnostic")).to_be_visible()
    no_violations(consultant)
    consultant.locator("ul.domain-list a").first.click()
    expect(consultant.get_by_label("Votre commentaire sur ce domaine")).to_be_visible()
    no_violations(consultant)
    consultant.context.close()


def no_violations(page):
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{format_violations(violations)}"
