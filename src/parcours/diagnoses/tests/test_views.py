import html

import pytest
from django.urls import reverse

from parcours.diagnoses.models import Answer, Diagnosis, DomainAssessment
from parcours.diagnoses.services import diagnosis_complete
from parcours.organisations.models import AuditEntry
from parcours.referential.selectors import referential_tree
from parcours.testing import DiagnosisFactory, answer_all

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(resp):
    return html.unescape(resp.content.decode())


def first_question(diagnosis):
    tree = referential_tree(diagnosis.referential_version)
    return next(q for q in tree.questions.values() if q.applies_to(diagnosis.size_band))


def answer_url(diagnosis, question):
    return reverse("answer_save", args=[diagnosis.organisation.slug, diagnosis.pk, question.key])


def test_start_a_diagnosis_on_the_current_referential(client, org, editor):
    client.force_login(editor)
    resp = client.post(reverse("diagnosis_start", args=[org.slug]))
    diagnosis = Diagnosis.objects.get(organisation=org)
    assert resp.status_code == 302 and resp["Location"].endswith(f"/diagnoses/{diagnosis.pk}/")
    assert diagnosis.referential_version.is_current
    assert diagnosis.size_band == org.headcount_band
    # a second one cannot start while the first is open
    resp = client.post(reverse("diagnosis_start", args=[org.slug]), follow=True)
    assert Diagnosis.objects.filter(organisation=org).count() == 1
    assert "déjà en cours" in text(resp)


def test_answer_saves_through_htmx_and_survives_a_reload(client, org, editor):
    diagnosis = DiagnosisFactory(organisation=org)
    q = first_question(diagnosis)
    client.force_login(editor)
    resp = client.post(
        answer_url(diagnosis, q), {"level": "3", "comment": "DUERP mis à jour en mars"}, **HTMX
    )
    assert resp.status_code == 200
    assert "Enregistré" in text(resp)
    answer = Answer.objects.get(diagnosis=diagnosis, question=q)
    assert (answer.level, answer.comment, answer.updated_by) == (3, "DUERP mis à jour en mars", editor)
    page = client.get(reverse("domain_detail", args=[org.slug, diagnosis.pk, q.domain.key])).content.decode()
    assert 'value="3" checked' in page
    assert "DUERP mis à jour en mars" in page
    assert AuditEntry.objects.filter(organisation=org, action="answer.saved", actor=editor).exists()


def test_answer_without_javascript_redirects_back_to_the_question(client, org, editor):
    diagnosis = DiagnosisFactory(organisation=org)
    q = first_question(diagnosis)
    client.force_login(editor)
    resp = client.post(answer_url(diagnosis, q), {"level": "1"})
    assert resp.status_code == 302 and resp["Location"].endswith(f"#q-{q.key}")


def test_not_applicable_needs_a_reason_in_french(client, org, editor):
    diagnosis = DiagnosisFactory(organisation=org)
    q = first_question(diagnosis)
    client.force_login(editor)
    Answer.objects.create(diagnosis=diagnosis, question=q, level=2, comment="déjà saisi")
    resp = client.post(answer_url(diagnosis, q), {"not_applicable": "on", "na_reason": " "}, **HTMX)
    assert resp.status_code == 422
    assert "Indiquez pourquoi" in text(resp)
    assert Answer.objects.get(diagnosis=diagnosis, question=q).level == 2  # saved work kept
    # without htmx the page comes back with the error next to the question and the input kept
    resp = client.post(
        answer_url(diagnosis, q), {"not_applicable": "on", "na_reason": "", "comment": "brouillon"}
    )
    assert resp.status_code == 400
    assert "Indiquez pourquoi" in text(resp)
    assert "brouillon" in text(resp)


@pytest.mark.parametrize("level", ["7", "-1", "deux", "3.5"])
def test_out_of_range_levels_get_a_clear_message(client, org, editor, level):
    diagnosis = DiagnosisFactory(organisation=org)
    q = first_question(diagnosis)
    client.force_login(editor)
    resp = client.post(answer_url(diagnosis, q), {"level": level}, **HTMX)
    assert resp.status_code == 422
    assert "Choisissez l'un des niveaux" in text(resp)
    assert not Answer.objects.filter(diagnosis=diagnosis).exists()


def test_not_applicable_with_reason_is_left_out_of_scores(client, org, editor):
    diagnosis = DiagnosisFactory(organisation=org)
    q = first_question(diagnosis)
    client.force_login(editor)
    resp = client.post(
        answer_url(diagnosis, q),
        {"level": "4", "not_applicable": "on", "na_reason": "Pas de salariés"},
        **HTMX,
    )
    assert resp.status_code == 200
    answer = Answer.objects.get(diagnosis=diagnosis, question=q)
    assert answer.not_applicable and answer.level is None


def test_not_relevant_domain_needs_a_reason(client, org, editor):
    diagnosis = DiagnosisFactory(organisation=org)
    q = first_question(diagnosis)
    url = reverse("domain_relevance", args=[org.slug, diagnosis.pk, q.domain.key])
    client.force_login(editor)
    resp = client.post(url, {"relevant": "no", "reason": ""})
    assert resp.status_code == 400
    assert "Indiquez pourquoi ce domaine" in text(resp)
    assert not DomainAssessment.objects.exists()
    resp = client.post(url, {"relevant": "no", "reason": "Aucune activité concernée"})
    assert resp.status_code == 302
    assert DomainAssessment.objects.get(diagnosis=diagnosis, domain=q.domain).relevant is False


def test_complete_needs_every_core_subject_then_freezes(client, org, editor):
    diagnosis = DiagnosisFactory(organisation=org)
    q = first_question(diagnosis)
    client.force_login(editor)
    client.post(answer_url(diagnosis, q), {"level": "2"}, **HTMX)
    resp = client.post(reverse("diagnosis_complete", args=[org.slug, diagnosis.pk]), follow=True)
    assert "au moins une question" in text(resp)
    diagnosis.refresh_from_db()
    assert diagnosis.is_editable

    Answer.objects.all().delete()
    answer_all(diagnosis, level=2)
    resp = client.post(reverse("diagnosis_complete", args=[org.slug, diagnosis.pk]))
    assert resp["Location"].endswith("/results/")
    diagnosis.refresh_from_db()
    assert diagnosis.status == Diagnosis.Status.COMPLETED
    assert diagnosis.overall_score == 500 and diagnosis.maturity_level == 2
    # read-only: a later save is refused with a message, nothing changes, no 500
    resp = client.post(answer_url(diagnosis, q), {"level": "4"}, **HTMX)
    assert resp.status_code == 422
    assert "terminé" in text(resp)
    assert Answer.objects.get(diagnosis=diagnosis, question=q).level == 2
    page = client.get(reverse("domain_detail", args=[org.slug, diagnosis.pk, q.domain.key])).content.decode()
    assert "<fieldset disabled>" in page


def test_results_page_shows_radar_table_strengths_and_change(client, org, viewer):
    first = DiagnosisFactory(organisation=org)
    answer_all(first, level=1)
    diagnosis_complete(actor=None, diagnosis=first)
    second = DiagnosisFactory(organisation=org)
    answer_all(second, level=3)
    diagnosis_complete(actor=None, diagnosis=second)
    client.force_login(viewer)
    page = client.get(reverse("diagnosis_results", args=[org.slug, second.pk])).content.decode()
    assert 'class="chart chart-radar"' in page and 'role="img"' in page
    assert 'class="chart chart-bars"' in page
    assert "Score par question centrale" in page  # the data table behind the radar
    assert "+500" in page  # 250 → 750
    assert "Points forts" in page and "Priorités" in page
    assert "Engagé RSE" in page


def _pages(org, diagnosis, domain_key):
    return [
        reverse("diagnosis_detail", args=[org.slug, diagnosis.pk]),
        reverse("domain_detail", args=[org.slug, diagnosis.pk, domain_key]),
        reverse("diagnosis_results", args=[org.slug, diagnosis.pk]),
    ]


def test_query_counts_do_not_grow_with_answers(client, org, owner, django_assert_num_queries):
    few = DiagnosisFactory(organisation=org)
    answer_all(few, level=2, limit=10)
    many = DiagnosisFactory(organisation=org)
    total = answer_all(many, level=2)
    assert total > 100
    domain_key = first_question(few).domain.key
    client.force_login(owner)
    for url_few, url_many in zip(_pages(org, few, domain_key), _pages(org, many, domain_key), strict=True):
        client.get(url_few)  # warm the session
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx_few:
            assert client.get(url_few).status_code == 200
        with CaptureQueriesContext(connection) as ctx_many:
            assert client.get(url_many).status_code == 200
        assert len(ctx_few) == len(ctx_many), url_few
    # and pin the numbers so a new query per row shows up in review
    with django_assert_num_queries(7):
        client.get(_pages(org, many, domain_key)[2])


def test_follow_up_diagnosis_carries_answers_to_confirm(client, org, editor):
    first = DiagnosisFactory(organisation=org)
    answer_all(first, level=1)
    q = first_question(first)
    Answer.objects.filter(diagnosis=first, question=q).update(comment="Note d'origine")
    DomainAssessment.objects.create(diagnosis=first, domain=q.domain, relevant=True)
    diagnosis_complete(actor=None, diagnosis=first)
    client.force_login(editor)
    client.post(reverse("diagnosis_start", args=[org.slug]), {"carry_over": "1"})
    second = Diagnosis.objects.exclude(pk=first.pk).get(organisation=org)
    carried = Answer.objects.filter(diagnosis=second)
    assert carried.count() == Answer.objects.filter(diagnosis=first).count()
    assert all(a.to_confirm and a.level == 1 for a in carried)
    page = text(client.get(reverse("domain_detail", args=[org.slug, second.pk, q.domain.key])))
    assert "à confirmer" in page and "Note d'origine" in page
    # confirming (saving, even unchanged) clears the mark
    answer = carried.get(question=q)
    client.post(
        answer_url(second, q),
        {"level": "1", "comment": "Note d'origine", "version": str(answer.version)},
        **HTMX,
    )
    answer.refresh_from_db()
    assert not answer.to_confirm


def test_two_people_saving_the_same_answer_never_overwrite_silently(client, org, editor, owner):
    diagnosis = DiagnosisFactory(organisation=org)
    q = first_question(diagnosis)
    # both open the page while there is no answer (version 0); the editor saves first
    client.force_login(editor)
    assert client.post(answer_url(diagnosis, q), {"level": "3", "version": "0"}, **HTMX).status_code == 200
    client.force_login(owner)
    resp = client.post(
        answer_url(diagnosis, q), {"level": "1", "comment": "mon avis", "version": "0"}, **HTMX
    )
    assert resp.status_code == 409
    assert "niveau 3" in text(resp)
    answer = Answer.objects.get(diagnosis=diagnosis, question=q)
    assert (answer.level, answer.updated_by) == (3, editor)
    # with the current version, the owner's deliberate save goes through
    resp = client.post(answer_url(diagnosis, q), {"level": "1", "version": str(answer.version)}, **HTMX)
    assert resp.status_code == 200
    assert 'hx-swap-oob="true"' in text(resp) and f'value="{answer.version + 1}"' in text(resp)


def test_progress_page_compares_two_diagnoses(client, org, viewer):
    from datetime import timedelta

    from django.utils import timezone

    from parcours.actions.models import Action

    first = DiagnosisFactory(organisation=org)
    answer_all(first, level=1)
    diagnosis_complete(actor=None, diagnosis=first)
    Diagnosis.objects.filter(pk=first.pk).update(completed_at=timezone.now() - timedelta(days=200))
    Action.objects.create(
        organisation=org,
        title="Plan de tri mis en place",
        status="done",
        completed_on=timezone.localdate() - timedelta(days=50),
    )
    Action.objects.create(
        organisation=org,
        title="Action trop ancienne",
        status="done",
        completed_on=timezone.localdate() - timedelta(days=400),
    )
    second = DiagnosisFactory(organisation=org)
    answer_all(second, level=3)
    diagnosis_complete(actor=None, diagnosis=second)
    client.force_login(viewer)
    page = text(client.get(reverse("diagnosis_progress", args=[org.slug, second.pk])))
    assert "+500" in page
    assert 'class="chart chart-radar"' in page
    assert "Plan de tri mis en place" in page and "Action trop ancienne" not in page


def test_submit_review_and_validate_workflow(client, org, editor, consultant):
    diagnosis = DiagnosisFactory(organisation=org)
    answer_all(diagnosis, level=2)
    q = first_question(diagnosis)
    client.force_login(editor)
    resp = client.post(reverse("diagnosis_submit", args=[org.slug, diagnosis.pk]), follow=True)
    assert "soumis" in text(resp)
    diagnosis.refresh_from_db()
    assert diagnosis.status == Diagnosis.Status.SUBMITTED and diagnosis.submitted_by == editor
    # frozen for the company while under review
    assert client.post(answer_url(diagnosis, q), {"level": "4"}, **HTMX).status_code == 422
    # the company cannot validate its own diagnosis
    assert client.post(reverse("diagnosis_validate", args=[org.slug, diagnosis.pk])).status_code == 403

    client.force_login(consultant)
    comment_url = reverse("review_comment", args=[org.slug, diagnosis.pk, q.domain.key])
    client.post(comment_url, {"text": "Montrer le DUERP signé lors de la visite"})
    client.post(reverse("diagnosis_return", args=[org.slug, diagnosis.pk]), {"note": "Compléter 6.4.6"})
    diagnosis.refresh_from_db()
    assert diagnosis.status == Diagnosis.Status.IN_PROGRESS

    client.force_login(editor)
    page = text(client.get(reverse("domain_detail", args=[org.slug, diagnosis.pk, q.domain.key])))
    assert "Montrer le DUERP signé" in page
    client.post(reverse("diagnosis_submit", args=[org.slug, diagnosis.pk]))
    client.force_login(consultant)
    resp = client.post(reverse("diagnosis_validate", args=[org.slug, diagnosis.pk]))
    assert resp["Location"].endswith("/results/")
    diagnosis.refresh_from_db()
    assert diagnosis.status == Diagnosis.Status.VALIDATED
    assert diagnosis.validated_by == consultant and diagnosis.validated_at is not None
    assert diagnosis.overall_score == 500
    page = text(client.get(reverse("diagnosis_results", args=[org.slug, diagnosis.pk])))
    assert "Validé par le consultant" in page
    # validated: frozen for everyone, only followed by a new diagnosis
    assert client.post(answer_url(diagnosis, q), {"level": "4"}, **HTMX).status_code == 422
    assert "soumis pour validation peut être examiné" in text(
        client.post(comment_url, {"text": "trop tard"}, follow=True)
    )


def test_submitting_needs_a_consultant(client, org, editor):
    diagnosis = DiagnosisFactory(organisation=org)
    answer_all(diagnosis, level=2)
    client.force_login(editor)
    resp = client.post(reverse("diagnosis_submit", args=[org.slug, diagnosis.pk]), follow=True)
    assert "Aucun consultant" in text(resp)
    diagnosis.refresh_from_db()
    assert diagnosis.status == Diagnosis.Status.IN_PROGRESS


def test_interview_mode_opens_on_the_first_unanswered_domain_and_keeps_its_mode(client, org, consultant):
    diagnosis = DiagnosisFactory(organisation=org)
    tree = referential_tree(diagnosis.referential_version)
    domains = list(tree.domains)
    first = tree.domains[domains[0]]
    Answer.objects.bulk_create(
        Answer(diagnosis=diagnosis, question=q, level=2)
        for q in first.questions
        if q.applies_to(diagnosis.size_band)
    )
    client.force_login(consultant)
    resp = client.get(reverse("interview_start", args=[org.slug, diagnosis.pk]))
    assert resp["Location"] == reverse("interview", args=[org.slug, diagnosis.pk, domains[1]])
    page = text(client.get(resp["Location"]))
    assert "data-interview" in page and "domaine 2 sur 37" in page
    assert 'name="mode" value="interview"' in page
    assert reverse("interview", args=[org.slug, diagnosis.pk, domains[2]]) in page  # next domain
    # without JavaScript the form posts and comes back to the interview screen
    q = next(q for q in tree.domains[domains[1]].questions if q.applies_to(diagnosis.size_band))
    resp = client.post(answer_url(diagnosis, q), {"level": "4", "mode": "interview"})
    assert resp["Location"].startswith(reverse("interview", args=[org.slug, diagnosis.pk, domains[1]]))
    assert Answer.objects.get(diagnosis=diagnosis, question=q).level == 4


def test_interview_mode_of_a_frozen_diagnosis_falls_back_to_reading(client, org, editor, viewer):
    diagnosis = DiagnosisFactory(organisation=org, status=Diagnosis.Status.VALIDATED)
    key = next(iter(referential_tree(diagnosis.referential_version).domains))
    client.force_login(editor)
    resp = client.get(reverse("interview", args=[org.slug, diagnosis.pk, key]))
    assert resp["Location"] == reverse("domain_detail", args=[org.slug, diagnosis.pk, key])
    client.force_login(viewer)
    assert client.get(reverse("interview", args=[org.slug, diagnosis.pk, key])).status_code == 403


def test_final_results_are_rendered_once_then_served_from_the_cache(client, org, viewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    diagnosis = DiagnosisFactory(organisation=org)
    answer_all(diagnosis, level=3)
    diagnosis_complete(actor=None, diagnosis=diagnosis)
    client.force_login(viewer)
    url = reverse("diagnosis_results", args=[org.slug, diagnosis.pk])
    with CaptureQueriesContext(connection) as first:
        page = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as second:
        again = client.get(url).content.decode()
    assert len(second) < len(first)  # answers and assessments are not read again
    main = lambda html: html[html.index("<main") : html.index("</main>")]  # noqa: E731
    assert main(again) == main(page)
    assert "750" in again and 'class="chart chart-radar"' in again
    # another language is rendered on its own
    viewer.language = "en"
    viewer.save()
    assert "Overall score" in client.get(url).content.decode()
