"""The main journey in a real browser: log in, start a diagnosis, answer (mouse and
keyboard), reload and find the answers kept, complete, and see the radar."""

import re

from playwright.sync_api import expect

from .conftest import login


def test_owner_diagnoses_and_sees_results(page, server):
    login(page, server, "owner@demo.parcours.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier Tissage du Berry")

    page.get_by_role("button", name="Repartir de zéro").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Diagnostic commencé le")
    overview = page.url

    # first domain: answer with the mouse, then with the keyboard, and write a comment
    page.get_by_role("link", name=re.compile(r"^6\.2\.3 ")).click()
    questions = page.locator("section.question")
    first, second = questions.nth(0), questions.nth(1)
    first.locator("label.level").nth(2).click()
    expect(first.locator(".save-status")).to_contain_text("Enregistré")
    comment = first.get_by_label("Commentaire")
    # typing saves after a pause (htmx "keyup delay"): wait for that save, not for the level's
    with page.expect_response(lambda r: "/answers/" in r.url and r.request.method == "POST", timeout=8000):
        comment.fill("Décisions RSE prises en comité de direction mensuel")
        comment.press("End")
    expect(first.locator(".save-status")).to_contain_text("Enregistré à", timeout=8000)

    second.locator('input[name="level"]').first.focus()
    page.keyboard.press("ArrowDown")  # arrow keys move through the levels and select one
    expect(second.locator(".save-status")).to_contain_text("Enregistré")
    expect(page.locator("#domain-progress")).to_contain_text("2 questions sur")

    page.reload()
    first = page.locator("section.question").nth(0)
    expect(first.locator('input[name="level"][value="2"]')).to_be_checked()
    expect(first.get_by_label("Commentaire")).to_have_value(
        "Décisions RSE prises en comité de direction mensuel"
    )
    expect(page.locator("section.question").nth(1).locator('input[name="level"][value="1"]')).to_be_checked()

    # one answer in each of the other core subjects, so every core subject has a score
    page.goto(overview)
    domain_links = page.locator("section.core-subject").locator("ul.domain-list li:first-child a")
    hrefs = [domain_links.nth(i).get_attribute("href") for i in range(1, domain_links.count())]
    assert len(hrefs) == 6
    for href in hrefs:
        page.goto(server + href)
        question = page.locator("section.question").first
        question.locator("label.level").nth(3).click()
        expect(question.locator(".save-status")).to_contain_text("Enregistré")

    page.goto(overview)
    page.get_by_role("button", name="Terminer et voir les résultats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Résultats")
    radar = page.locator("svg.chart-radar")
    expect(radar).to_be_visible()
    # 4 rings, this diagnosis and the company's previous one (the demo has two before this)
    expect(radar.locator("polygon")).to_have_count(6)
    expect(page.locator("table.data-table").first).to_contain_text("6.5 L'environnement")
    expect(page.get_by_role("heading", name="Évolution depuis le diagnostic précédent")).to_be_visible()

    # completed: the domain page is read-only
    page.goto(overview)
    expect(page.get_by_text("ce diagnostic est terminé", exact=False)).to_be_visible()
