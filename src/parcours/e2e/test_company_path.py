"""A company's path in a real browser: read a guide, rate materiality, add a suggested
action, download the diagnosis report and read its text; and two people editing the same
action at once, where the late save is refused and shown, not lost."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import axe_violations, format_violations, login

ORG = "imprimerie-ligerienne"
OWNER = f"owner.{ORG}@demo.parcours.test"


def nav(page, name):
    page.get_by_role("navigation", name="Organisation").get_by_role("link", name=name).click()


def no_violations(page):
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{format_violations(violations)}"


def test_guide_materiality_suggestion_and_pdf_report(page, server):
    login(page, server, OWNER)
    nav(page, "Se former")
    no_violations(page)
    page.get_by_role("link", name=re.compile("6.5 L'environnement")).click()
    page.get_by_role("link", name=re.compile(r"^6\.5\.5 ")).click()
    expect(page.get_by_role("heading", name="Obligations légales en France")).to_be_visible()
    no_violations(page)
    page.get_by_role("button", name=re.compile("Lu")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("6.5.6")

    nav(page, "Parties prenantes")
    no_violations(page)
    page.get_by_role("link", name="Matérialité").click()
    row = page.locator("#m-d6-5-5")
    row.get_by_label("Importance").select_option("4")
    row.get_by_label("Impact").select_option("4")
    row.get_by_role("button", name=re.compile("Enregistrer")).click()
    expect(page.locator(".messages")).to_contain_text("6.5.5")
    expect(page.locator("#m-d6-5-5").get_by_label("Importance")).to_have_value("4")
    expect(page.locator("svg.chart-matrix")).to_be_visible()
    no_violations(page)

    nav(page, "Plan d'action")
    no_violations(page)
    page.get_by_role("link", name="Actions suggérées").click()
    no_violations(page)
    first = page.locator("section.suggestion").first
    title = first.locator("h3").first.inner_text()
    first.get_by_role("button", name=re.compile("Ajouter à mon plan")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    no_violations(page)
    page.get_by_role("link", name="Modifier").click()
    page.get_by_label("Échéance").fill("2027-03-31")
    page.get_by_role("button", name="Enregistrer l'action").click()
    expect(page.locator(".messages")).to_contain_text("Action enregistrée")
    for view in ("Tableau", "Calendrier"):
        nav(page, "Plan d'action")
        page.get_by_role("link", name=view, exact=True).click()
        expect(page.get_by_role("link", name=title).first).to_be_visible()
        no_violations(page)

    nav(page, "Rapports")
    no_violations(page)
    page.get_by_role("button", name="Générer le rapport").click(
        timeout=30_000
    )  # the PDF is generated inline by the default task backend
    expect(page.get_by_role("link", name="Télécharger le PDF")).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    data = info.value.path().read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Rapport de diagnostic RSE" in text
    assert "Imprimerie Ligérienne" in text
    assert title[:30] in " ".join(text.split())
    assert "Matrice de matérialité" in text or "Matérialité" in text

    nav(page, "Activité")
    expect(page.locator("table")).to_contain_text("materiality.set")
    no_violations(page)


def test_two_people_editing_the_same_action(browser, server):
    first_ctx = browser.new_context(locale="fr-FR")
    second_ctx = browser.new_context(locale="fr-FR")
    first, second = first_ctx.new_page(), second_ctx.new_page()
    login(first, server, "owner.laiterie-des-gatines@demo.parcours.test")
    login(second, server, "consultant3@demo.parcours.test")
    first.goto(f"{server}/o/laiterie-des-gatines/actions/")
    edit_url = first.locator("tbody a").first.get_attribute("href") + "edit/"
    first.goto(server + edit_url)
    second.goto(server + edit_url)
    first.get_by_label("Titre").fill("Version de la propriétaire")
    first.get_by_role("button", name="Enregistrer l'action").click()
    expect(first.locator(".messages")).to_contain_text("Action enregistrée")

    second.get_by_label("Titre").fill("Version du consultant")
    second.get_by_role("button", name="Enregistrer l'action").click()
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text("Non enregistré")
    expect(alert).to_contain_text("Version de la propriétaire")
    expect(second.get_by_label("Titre")).to_have_value("Version du consultant")  # nothing typed is lost
    # saving again is now a deliberate choice made knowing the other change
    second.get_by_role("button", name="Enregistrer l'action").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("Version du consultant")
    first_ctx.close()
    second_ctx.close()
