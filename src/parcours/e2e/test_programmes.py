"""Browser journeys for programmes: a coordinator creates a programme, plans a training,
enrols a company (which accepts) and follows the board; a consultant runs a diagnosis in
interview mode with the keyboard, the company submits it and the consultant validates it.
axe-core checks every page on the way."""

import re

from playwright.sync_api import expect

from .conftest import axe_violations, format_violations, login

COMPANY = "menuiserie-de-l-indre"  # no other browser test uses it
INTERVIEWED = "paysages-du-cher"  # assigned to consultant2 in the demo


def no_violations(page):
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{format_violations(violations)}"


def test_coordinator_creates_a_programme_enrols_a_company_and_follows_it(page, server, browser):
    login(page, server, "coordinator@demo.parcours.test")
    page.get_by_role("link", name="Créer un programme").click()
    no_violations(page)
    page.locator("#id_name").fill("Parcours RSE Indre 2027")
    page.locator("#id_funder").fill("Région (démo)")
    page.locator("#id_starts_on").fill("2027-01-11")
    page.locator("#id_ends_on").fill("2027-12-17")
    page.get_by_role("button", name="Créer le programme").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Parcours RSE Indre 2027")
    no_violations(page)
    programme_url = page.url

    page.get_by_role("link", name="Calendrier et sessions").click()
    page.locator("#id_title").fill("Fenêtre des diagnostics")
    page.locator("#id_kind").select_option("diagnosis")
    page.locator("#id_starts_on").fill("2027-02-01")
    page.get_by_role("button", name="Ajouter l'étape").click()
    expect(page.get_by_role("table")).to_contain_text("Fenêtre des diagnostics")
    no_violations(page)
    page.get_by_role("link", name="Planifier une formation ou un atelier").click()
    page.locator("#id_title").fill("Comprendre l'ISO 26000")
    page.locator("#id_starts_at").fill("2027-01-19T09:00")
    page.locator("#id_place").fill("Châteauroux (démo)")
    page.get_by_label("Gouvernance de l'organisation", exact=False).first.check()
    no_violations(page)
    page.get_by_role("button", name="Enregistrer la session").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Comprendre l'ISO 26000")
    no_violations(page)

    page.get_by_role("link", name="Entreprises et personnes").click()
    page.locator("#id_kind").select_option("organisation")
    page.locator("#id_email").fill(f"owner.{COMPANY}@demo.parcours.test")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.locator(".messages")).to_contain_text(f"owner.{COMPANY}")
    no_violations(page)
    link = page.locator("input.invitation-link").first.input_value()

    company = browser.new_context(locale="fr-FR").new_page()
    login(company, server, f"owner.{COMPANY}@demo.parcours.test")
    company.goto(link)
    expect(company.get_by_role("heading", level=1)).to_contain_text("Parcours RSE Indre 2027")
    no_violations(company)
    company.get_by_role("button", name="Rejoindre le programme").click()
    expect(company.get_by_role("heading", level=2, name="Parcours RSE Indre 2027")).to_be_visible()
    expect(company.get_by_role("table", name="À venir")).to_contain_text("Comprendre l'ISO 26000")
    no_violations(company)
    company.goto(f"{server}/o/{COMPANY}/practices/")
    no_violations(company)
    company.context.close()

    page.goto(programme_url)
    rows = page.get_by_role("table", name="Organisations du programme").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Menuiserie")
    page.get_by_role("link", name="Synthèse pour le financeur").click()
    expect(page.get_by_role("heading", level=2, name="Participation")).to_be_visible()
    no_violations(page)


def test_demo_programme_board_synthesis_and_funder_view(page, server, browser):
    login(page, server, "coordinator@demo.parcours.test")
    page.get_by_role("link", name="Parcours RSE Centre-Val de Loire (démo)").click()
    expect(page.get_by_role("table", name="Organisations du programme").locator("tbody tr")).to_have_count(11)
    expect(page.get_by_role("heading", name="Comparatif du programme")).to_be_visible()
    page.get_by_role("link", name="Calendrier et sessions").click()
    page.get_by_role("link", name=re.compile("Journée 1")).click()
    expect(page.get_by_role("checkbox").first).to_be_visible()
    no_violations(page)
    page.get_by_role("link", name="Synthèse pour le financeur").click()
    no_violations(page)
    funder = browser.new_context(locale="fr-FR").new_page()
    login(funder, server, "funder@demo.parcours.test")
    funder.get_by_role("link", name="Parcours RSE Centre-Val de Loire (démo)").click()
    expect(funder.get_by_role("table", name="Organisations du programme")).to_have_count(0)
    expect(funder.locator("main")).not_to_contain_text("Menuiserie")
    no_violations(funder)
    funder.context.close()


def test_consultant_interview_mode_with_the_keyboard_then_validation(page, server, browser):
    login(page, server, "consultant2@demo.parcours.test")
    page.goto(f"{server}/consultant/")
    expect(page.get_by_role("table", name="Entreprises qui vous sont affectées")).to_contain_text("Paysages")
    no_violations(page)
    page.goto(f"{server}/o/{INTERVIEWED}/diagnoses/")
    page.get_by_role(
        "button", name="Commencer un diagnostic de suivi à partir de mes réponses précédentes"
    ).click()
    page.get_by_role("link", name=re.compile("^Mode entretien")).click()
    expect(page.get_by_role("link", name="Quitter le mode entretien")).to_be_visible()
    no_violations(page)
    first_domain = page.url
    questions = page.locator("section.question")
    questions.first.locator('input[name="level"]').first.focus()
    page.keyboard.press("3")
    expect(questions.first.locator(".save-status")).to_contain_text("Enregistré à")
    page.keyboard.press("j")
    page.keyboard.press("1")
    expect(questions.nth(1).locator(".save-status")).to_contain_text("Enregistré à")
    page.reload()  # saved on the server, not only ticked in the page
    expect(questions.first.locator('input[name="level"][value="3"]')).to_be_checked()
    expect(questions.nth(1).locator('input[name="level"][value="1"]')).to_be_checked()
    questions.first.locator('input[name="level"]:checked').focus()
    page.keyboard.press("n")
    page.wait_for_url(lambda url: url != first_domain)
    assert "/interview/" in page.url
    # a tablet: the same page at tablet size, level targets big enough to tap
    tablet = browser.new_context(
        locale="fr-FR", viewport={"width": 820, "height": 1180}, has_touch=True
    ).new_page()
    login(tablet, server, "consultant2@demo.parcours.test")
    tablet.goto(first_domain)
    box = tablet.locator("label.level").first.bounding_box()
    assert box and box["height"] >= 44, box
    tablet.locator("label.level").nth(2).tap()
    expect(tablet.locator(".save-status").first).to_contain_text("Enregistré à")
    expect(tablet.locator('input[name="level"][value="2"]').first).to_be_checked()
    tablet.context.close()

    owner = browser.new_context(locale="fr-FR").new_page()
    login(owner, server, f"owner.{INTERVIEWED}@demo.parcours.test")
    owner.goto(f"{server}/o/{INTERVIEWED}/diagnoses/")
    owner.goto(first_domain.split("/interview/")[0] + "/")
    owner.get_by_role("button", name="Soumettre pour validation").click()
    expect(owner.locator(".messages")).to_contain_text("soumis")
    owner.context.close()

    page.goto(first_domain.split("/interview/")[0] + "/")
    page.get_by_role("button", name="Valider le diagnostic").click()
    expect(page.locator("main")).to_contain_text("Validé par")
    no_violations(page)
