import html
import io
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from pypdf import PdfReader

from parcours.diagnoses.models import Answer
from parcours.evidence.models import Evidence
from parcours.organisations.models import AuditEntry
from parcours.profiles.readiness import labels, rank_domains, readiness_context
from parcours.referential.models import CoreSubject
from parcours.testing import DiagnosisFactory

from .conftest import complete, set_level

ENGAGE = "afnor_engage_rse"


def page(resp) -> str:  # type: ignore[no-untyped-def]
    """The page's text, tags left out, spaces collapsed."""
    return " ".join(html.unescape(strip_tags(resp.content.decode())).split())


def pdf_text(data: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


# --- the label's bands (pure) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "band", "next_band", "missing"),
    [
        (0, None, "initial", 1),
        (1, "initial", "progression", 300),
        (300, "initial", "progression", 1),
        (301, "progression", "confirmed", 200),
        (500, "progression", "confirmed", 1),
        (501, "confirmed", "exemplary", 200),
        (700, "confirmed", "exemplary", 1),
        (701, "exemplary", None, None),
        (1000, "exemplary", None, None),
    ],
)
def test_score_bands_and_the_next_band(score, band, next_band, missing):
    label = labels()[ENGAGE]
    assert (label.band_of(score).key if label.band_of(score) else None) == band
    nxt = label.next_band(score)
    assert (nxt.key if nxt else None) == next_band
    assert (nxt.low - score if nxt else None) == missing


def test_label_facts_are_the_projects_own_copy_with_sources():
    label = labels()[ENGAGE]
    assert [(b.low, b.high) for b in label.bands] == [(1, 300), (301, 500), (501, 700), (701, 1000)]
    assert [b.name["fr"] for b in label.bands] == ["Initial", "Progression", "Confirmé", "Exemplaire"]
    assert label.confidence == "medium"
    assert label.sources and all(s["url"].startswith("https://") for s in label.sources)


# --- ranking (pure) -------------------------------------------------------------------


def test_a_domain_of_a_subject_with_few_domains_counts_more():
    subject_of = {"gov": "governance"} | {f"hr{i}": "human_rights" for i in range(8)}
    scores = dict.fromkeys(subject_of, 25)
    ranked = rank_domains(scores, subject_of, order=list(subject_of))
    assert ranked[0].key == "gov"
    # overall = mean of 2 subjects × 10: raising gov from 25 to 100 adds 75 × 10 ÷ (1 × 2)
    assert ranked[0].gain == Fraction(375) and ranked[0].gain_display == 375
    # a human-rights domain is one of 8 in its subject: 75 × 10 ÷ (8 × 2)
    assert ranked[1].gain == Fraction(750, 16) and ranked[1].gain_display == 47
    assert [r.key for r in ranked[1:4]] == ["hr0", "hr1", "hr2"]  # ties in referential order


def test_ranking_leaves_out_unscored_and_perfect_domains_and_prefers_the_lower_score():
    subject_of = {"a": "s1", "b": "s1", "c": "s2", "d": "s2", "e": "s3"}
    scores = {"a": 100, "b": None, "c": 50, "d": 0, "e": 100}
    ranked = rank_domains(scores, subject_of, order=list(subject_of))
    assert [r.key for r in ranked] == ["d", "c"]
    assert ranked[0].domains_in_subject == 2
    # a scored at 100 alone in s1 (b has no score): nothing to gain, so not listed
    many = {f"x{i}": "s" for i in range(12)}
    assert len(rank_domains(dict.fromkeys(many, 10), many, limit=6)) == 6


# --- on a real diagnosis --------------------------------------------------------------


@pytest.mark.django_db
def test_readiness_of_the_latest_final_diagnosis(org):
    complete(org, level=1)  # an older one, ignored
    complete(org, level=2)
    context = readiness_context(org)
    assert context["diagnosis"].status == "completed"
    assert context["overall"] == 500
    assert context["band"].key == "progression"
    assert context["next_band"].key == "confirmed" and context["points_missing"] == 1
    rows = context["rows"]
    assert 5 <= len(rows) <= 8
    # governance is the only domain of its core subject: it weighs most
    assert rows[0].domain.key == "d6-2-3"
    assert rows[0].core_subject.key == "organizational_governance"
    gains = [r.lift.gain for r in rows]
    assert gains == sorted(gains, reverse=True)


@pytest.mark.django_db
def test_missing_evidence_lists_answers_at_level_2_or_more_without_a_file(org):
    def adjust(diagnosis):  # type: ignore[no-untyped-def]
        answers = list(
            Answer.objects.filter(diagnosis=diagnosis, question__domain__key="d6-2-3").order_by(
                "question__position"
            )
        )
        assert len(answers) >= 3
        Answer.objects.filter(pk=answers[1].pk).update(level=1)  # a level 1 claims nothing to show
        Evidence.objects.create(
            organisation=org,
            answer=answers[0],
            original_name="politique-rse.pdf",
            stored_name="e1",
            content_type="application/pdf",
            size=10,
        )
        adjust.answers = answers  # type: ignore[attr-defined]

    complete(org, level=2, adjust=adjust)
    answers = adjust.answers  # type: ignore[attr-defined]
    row = next(r for r in readiness_context(org)["rows"] if r.domain.key == "d6-2-3")
    listed = [m.question.pk for m in row.missing]
    assert answers[0].question_id not in listed  # has a file
    assert answers[1].question_id not in listed  # level 1
    assert all(a.question_id in listed for a in answers[2:])
    assert row.claimed == len(answers) - 1
    with translation.override("en"):
        assert row.missing[0].evidence == answers[2].question.evidence["en"]
        assert row.missing[0].text == answers[2].question.text["en"]


@pytest.mark.django_db
def test_page_shows_band_domains_links_and_disclaimer(client, org, viewer, english):
    complete(org, level=2, adjust=lambda d: set_level(d, "d6-5-5", 0))
    client.force_login(viewer)
    resp = client.get(reverse("label_readiness", args=[org.slug]))
    assert resp.status_code == 200
    text = page(resp)
    assert "It is not the Engagé RSE label" in text
    assert "does not predict one" in text
    assert "Progression" in text and "Next band: Confirmed" in text
    assert "self-assessment, not validated by a consultant" in text
    core = CoreSubject.objects.get(version__is_current=True, key="environment")
    assert reverse("learn_domain", args=[org.slug, core.key, "d6-5-5"]) in resp.content.decode()
    assert reverse("action_suggestions", args=[org.slug]) + "#s-d6-5-5" in resp.content.decode()
    assert "What shows it:" in text


@pytest.mark.django_db
def test_without_a_final_diagnosis_the_page_says_what_to_do_first(client, org, viewer, english):
    client.force_login(viewer)
    text = page(client.get(reverse("label_readiness", args=[org.slug])))
    assert "First, complete a diagnosis" in text
    resp = client.get(reverse("label_readiness", args=[org.slug]))
    assert reverse("diagnosis_list", args=[org.slug]) in resp.content.decode()
    in_progress = DiagnosisFactory(organisation=org)
    resp = client.get(reverse("label_readiness", args=[org.slug]))
    assert resp.status_code == 200
    assert "Continue the diagnosis in progress" in page(resp)
    assert reverse("diagnosis_detail", args=[org.slug, in_progress.pk]) in resp.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_pdf_opens_with_the_disclaimer_in_each_language(client, org, viewer, language):
    complete(org, level=2)
    client.force_login(viewer)
    resp = client.get(reverse("label_readiness_pdf", args=[org.slug]) + f"?lang={language}")
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    assert resp["Content-Disposition"].startswith("attachment;")
    text = pdf_text(resp.content)
    label = labels()[ENGAGE]
    with translation.override(language):
        from parcours.profiles.readiness import disclaimer

        expected = " ".join(disclaimer(label).split())
        governance = CoreSubject.objects.get(version__is_current=True, key="organizational_governance").label
    assert expected in text
    assert governance in text  # referential content in the asked language
    assert AuditEntry.objects.filter(organisation=org, action="export.label_readiness_pdf").exists()


@pytest.mark.django_db
def test_pdf_without_a_diagnosis_still_opens(client, org, viewer):
    client.force_login(viewer)
    resp = client.get(reverse("label_readiness_pdf", args=[org.slug]) + "?lang=en")
    assert resp.status_code == 200
    assert "It is not the Engagé RSE label" in pdf_text(resp.content)


@pytest.mark.django_db
def test_readiness_routes_need_membership(client, org, outsider):
    complete(org, level=2)
    client.force_login(outsider)
    for name in ("label_readiness", "label_readiness_pdf"):
        assert client.get(reverse(name, args=[org.slug])).status_code == 404
    client.logout()
    assert client.get(reverse("label_readiness", args=[org.slug])).status_code == 302


@pytest.mark.django_db
def test_readiness_page_queries_do_not_grow_with_evidence(client, org, viewer, django_assert_num_queries):
    diagnosis = complete(org, level=2)
    client.force_login(viewer)
    url = reverse("label_readiness", args=[org.slug])
    client.get(url)  # the referential tree is then cached in the process
    # session, user, membership, diagnosis, answers with their files, relevance, open diagnosis
    with django_assert_num_queries(7):
        client.get(url)
    for i, answer in enumerate(Answer.objects.filter(diagnosis=diagnosis)[:20]):
        Evidence.objects.create(
            organisation=org,
            answer=answer,
            original_name="f.pdf",
            stored_name=f"s{i}",
            content_type="x",
            size=1,
        )
    with django_assert_num_queries(7):
        client.get(url)
