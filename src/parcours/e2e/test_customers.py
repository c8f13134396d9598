"""Browser journey for customers, candidates and labels: a year of VSME indicators with its
checks, the downloads, label readiness, and the public profile published then withdrawn.
axe-core checks every page on the way."""

import re

from playwright.sync_api import expect

from .conftest import axe_violations, format_violations, login

COMPANY = "electronique-chartraine"  # no other browser test changes it


def no_violations(page):
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{format_violations(violations)}"


def test_indicators_label_readiness_and_public_profile(page, server, browser):
    login(page, server, f"owner.{COMPANY}@demo.parcours.test")
    page.goto(f"{server}/o/{COMPANY}/")
    page.get_by_role("link", name="Indicateurs", exact=True).click()
    no_violations(page)
    page.locator("#new_year").fill("2025")
    page.get_by_role("button", name="Commencer l'année").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025")
    no_violations(page)
    page.get_by_role("link", name=re.compile("^B3")).click()
    no_violations(page)
    # electricity, the 2nd datapoint of B3: total, renewable, non-renewable
    total, renewable, non_renewable = (page.locator(f"#id_d1_{i}") for i in range(3))
    total.fill("100")
    renewable.fill("30")
    non_renewable.fill("60")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".error-summary")).to_contain_text("doit être égal au total")
    no_violations(page)
    non_renewable.fill("70")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("Enregistré")
    # B1 sites: a table, one row per site the company names
    page.goto(f"{server}/o/{COMPANY}/indicators/2025/B1/")
    page.get_by_label("Identifiant du site, ligne 1").fill("Chartres")
    page.get_by_label("Ville du site, ligne 1").fill("Chartres")
    page.get_by_label("Identifiant du site, ligne 2").fill("Dreux")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("au moins un chiffre")  # Dreux has none
    no_violations(page)
    page.get_by_label("Ville du site, ligne 2").fill("Dreux")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Enregistré")
    expect(page.get_by_label("Identifiant du site, ligne 2")).to_have_value("Dreux")
    no_violations(page)
    with page.expect_download() as info:
        page.goto(f"{server}/o/{COMPANY}/indicators/2025/")
        page.get_by_role("link", name="xBRL-JSON").first.click()
    assert info.value.suggested_filename.endswith(".json")

    page.goto(f"{server}/o/{COMPANY}/carbon/2025/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025")
    # packaging has no factor in Parcours: recorded, shown as not counted, then counted with ours
    page.locator("#id_q_packaging_paper").fill("12,5")
    page.locator("#id_recycled_packaging_paper").fill("80")
    page.get_by_role("button", name="Enregistrer et calculer").click()
    expect(page.locator("#uncounted")).to_contain_text("Emballages : papier et carton")
    no_violations(page)
    page.locator("#id_factor_key").select_option("packaging_paper")
    page.locator("#id_value").fill("650")
    page.locator("#id_justification").fill("Déclaration du cartonnier, carton 80 % recyclé")
    page.get_by_role("button", name="Enregistrer ce facteur").click()
    expect(page.locator("#uncounted")).to_have_count(0)
    expect(page.locator("#results")).to_contain_text("Emballages : papier et carton")
    page.goto(f"{server}/o/{COMPANY}/indicators/2025/")
    expect(page.locator("#transport-packaging")).to_contain_text("80")
    no_violations(page)

    page.goto(f"{server}/o/{COMPANY}/label-readiness/")
    expect(page.locator("main")).to_contain_text("autoévaluation")
    no_violations(page)

    page.goto(f"{server}/o/{COMPANY}/public-profile/")
    no_violations(page)
    page.locator("#id_commitments").fill("Nous réduisons nos emballages et formons nos équipes.")
    page.locator("#id_show_maturity").check()
    page.get_by_label(re.compile(r": 100 MWh$")).check()  # the electricity total entered in B3
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("button", name="Publier").click()
    public = page.locator("a[href*='/c/']").first.get_attribute("href")
    visitor = browser.new_context(locale="fr-FR").new_page()
    from urllib.parse import urlsplit

    visitor.goto(server + urlsplit(public or "").path)  # the page shows SITE_URL's address
    expect(visitor.locator("main")).to_contain_text("Nous réduisons nos emballages")
    expect(visitor.locator("main")).to_contain_text("MWh")
    assert visitor.locator('meta[property="og:title"]').count() == 1
    no_violations(visitor)
    page.get_by_role("button", name="Retirer la publication").click()
    response = visitor.reload()
    assert response is not None and response.status == 404
    visitor.context.close()
