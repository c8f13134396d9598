import html
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parcours.actions.models import Action, ActionReview, ActionTemplate
from parcours.actions.services import StaleEdit, action_update
from parcours.actions.tasks import send_due_reminders
from parcours.diagnoses.services import diagnosis_complete
from parcours.organisations.models import AuditEntry
from parcours.referential.models import Domain
from parcours.testing import DiagnosisFactory, answer_all

pytestmark = pytest.mark.django_db


def text(resp):
    return html.unescape(resp.content.decode())


def domain(key="d6-4-6"):
    return Domain.objects.get(version__is_current=True, key=key)


def make_action(org, n=0, **extra):
    extra.setdefault("title", f"Action {n}")
    action = Action.objects.create(organisation=org, **extra)
    action.domains.add(domain())
    return action


def form_data(action=None, **extra):
    data = {
        "title": "Former les équipes au tri",
        "description": "",
        "domains": [str(domain("d6-5-3").pk)],
        "owner": "",
        "start_date": "2026-01-05",
        "due_date": "2026-03-31",
        "status": "planned",
        "budget": "1200",
        "expected_effect": "",
        "indicator": "Taux de tri",
        "indicator_unit": "%",
        "baseline": "40",
        "target": "80",
        "version": str(action.version) if action else "",
    }
    data.update(extra)
    return data


def test_catalogue_has_at_least_two_actions_per_domain():
    assert ActionTemplate.objects.count() >= 74
    for d in Domain.objects.filter(version__is_current=True):
        assert sum(1 for t in ActionTemplate.objects.all() if d.key in t.domain_keys) >= 2, d.key


def test_create_an_action_with_validation_in_french(client, org, editor):
    client.force_login(editor)
    url = reverse("action_new", args=[org.slug])
    resp = client.post(url, form_data(due_date="2025-12-01", budget="-5", domains=[]))
    assert resp.status_code == 400
    page = text(resp)
    assert "L'échéance ne peut pas précéder la date de début" in page
    assert "Un budget ne peut pas être négatif" in page
    assert not Action.objects.exists()
    resp = client.post(url, form_data())
    action = Action.objects.get()
    assert resp["Location"] == reverse("action_detail", args=[org.slug, action.pk])
    assert [d.key for d in action.domains.all()] == ["d6-5-3"]
    assert AuditEntry.objects.filter(action="action.created", organisation=org).exists()


def test_suggestions_rank_by_gap_and_adopting_adds_to_the_plan(client, org, editor):
    diagnosis = DiagnosisFactory(organisation=org)
    answer_all(diagnosis, level=3)
    # one domain far behind the others
    weak = domain("d6-5-5")
    diagnosis.answers.filter(question__domain=weak).update(level=0)
    diagnosis_complete(actor=None, diagnosis=diagnosis)
    client.force_login(editor)
    page = text(client.get(reverse("action_suggestions", args=[org.slug])))
    first_heading = page.index('<h2 id="s-')
    assert page[first_heading:].startswith('<h2 id="s-d6-5-5"')
    template = ActionTemplate.objects.filter(domain_keys__0="d6-5-5").first() or next(
        t for t in ActionTemplate.objects.all() if t.domain_keys[0] == "d6-5-5"
    )
    resp = client.post(reverse("action_adopt", args=[org.slug, template.key]))
    action = Action.objects.get(organisation=org)
    assert resp["Location"] == reverse("action_detail", args=[org.slug, action.pk])
    assert action.template == template and action.status == Action.Status.IDEA
    assert "d6-5-5" in [d.key for d in action.domains.all()]
    # once adopted, the same template is no longer suggested
    assert template.key not in text(client.get(reverse("action_suggestions", args=[org.slug])))


def test_stale_edit_is_refused_and_shows_what_changed(client, org, owner, editor):
    action = make_action(org, title="Plan mobilité")
    opened_version = action.version
    # the editor saves first
    action_update(
        actor=editor,
        action=action,
        data={"status": "in_progress", "budget": 500},
        domains=None,
        expected_version=1,
    )
    client.force_login(owner)
    resp = client.post(
        reverse("action_edit", args=[org.slug, action.pk]),
        form_data(action=None, title="Plan mobilité 2026", status="planned", version=str(opened_version)),
    )
    assert resp.status_code == 409
    page = text(resp)
    assert "Non enregistré" in page
    assert "En cours" in page  # the other person's status is shown
    assert 'value="Plan mobilité 2026"' in page  # this person's input is kept
    action.refresh_from_db()
    assert action.title == "Plan mobilité" and action.status == "in_progress"
    with pytest.raises(StaleEdit):
        action_update(
            actor=owner, action=action, data={"title": "x"}, domains=None, expected_version=opened_version
        )


def test_progress_review_moves_the_action_forward(client, org, editor):
    action = make_action(org, status=Action.Status.PLANNED)
    client.force_login(editor)
    url = reverse("action_review", args=[org.slug, action.pk])
    resp = client.post(url, {"reviewed_on": "2026-02-01", "progress": "140", "note": "x"}, follow=True)
    assert "inférieure ou égale à 100" in text(resp)
    client.post(
        url,
        {"reviewed_on": "2026-02-01", "progress": "40", "note": "Bacs installés", "indicator_value": "55"},
    )
    action.refresh_from_db()
    assert (action.progress, action.status) == (40, Action.Status.IN_PROGRESS)
    assert ActionReview.objects.get(action=action).note == "Bacs installés"


def test_board_move_with_a_stale_version_changes_nothing(client, org, editor):
    action = make_action(org)
    client.force_login(editor)
    url = reverse("action_status", args=[org.slug, action.pk])
    resp = client.post(url, {"status": "done", "version": "99"}, follow=True)
    assert "Quelqu'un a modifié cette action" in text(resp)
    client.post(url, {"status": "done", "version": str(action.version)})
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


def test_overdue_actions_are_highlighted(client, org, viewer):
    make_action(
        org,
        1,
        title="Retard Alpha",
        status=Action.Status.PLANNED,
        due_date=timezone.localdate() - timedelta(days=3),
    )
    make_action(
        org,
        2,
        title="Clôturée Beta",
        status=Action.Status.DONE,
        due_date=timezone.localdate() - timedelta(days=3),
    )
    client.force_login(viewer)
    page = text(client.get(reverse("action_list", args=[org.slug])))
    assert page.count('class="overdue"') == 1
    page = text(client.get(reverse("action_list", args=[org.slug]) + "?overdue=on"))
    assert "Retard Alpha" in page and "Clôturée Beta" not in page


@pytest.mark.parametrize("view", ["action_list", "action_board", "action_timeline"])
def test_action_views_use_the_same_queries_for_5_and_100_actions(client, org, other_org, owner, view):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from parcours.organisations.models import Membership, Role

    Membership.objects.create(organisation=other_org, user=owner, role=Role.OWNER)
    start = date(2026, 1, 1)
    for i in range(5):
        make_action(org, i, owner=owner, start_date=start, due_date=start + timedelta(days=30 + i))
    for i in range(100):
        make_action(other_org, i, owner=owner, start_date=start, due_date=start + timedelta(days=30 + i))
    client.force_login(owner)
    counts = []
    for o in (org, other_org):
        url = reverse(view, args=[o.slug])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts


def test_reminders_are_sent_once_before_the_due_date(
    org, owner, settings, django_capture_on_commit_callbacks
):
    settings.REMINDER_DAYS_BEFORE_DUE = 7
    today = timezone.localdate()
    soon = make_action(
        org, 1, title="Bientôt", owner=owner, status=Action.Status.PLANNED, due_date=today + timedelta(days=5)
    )
    make_action(
        org,
        2,
        title="Plus tard",
        owner=owner,
        status=Action.Status.PLANNED,
        due_date=today + timedelta(days=30),
    )
    make_action(
        org, 3, title="Finie", owner=owner, status=Action.Status.DONE, due_date=today + timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
    assert len(mail.outbox) == 1
    assert "Bientôt" in mail.outbox[0].subject and mail.outbox[0].to == [owner.email]
    soon.refresh_from_db()
    assert soon.reminder_sent_on == today
    assert send_due_reminders() == 0  # not twice
