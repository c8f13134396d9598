"""Background work for action plans, on Django's tasks API (django-tasks).

By default tasks run inline; with TASKS_BACKEND=database they are queued and a worker
process (`manage.py db_worker`) runs them. `manage.py send_reminders`, run daily by cron
or a systemd timer, queues one reminder per action nearing its due date.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Action


@task()
def send_action_reminder(action_id: int) -> bool:
    action = Action.objects.select_related("owner", "organisation").filter(pk=action_id).first()
    if action is None or action.owner is None or action.status not in Action.OPEN_STATUSES:
        return False
    with translation.override(action.owner.language or settings.LANGUAGE_CODE):
        link = settings.SITE_URL.rstrip("/") + reverse(
            "action_detail", args=[action.organisation.slug, action.pk]
        )
        subject = _("Reminder: “%(title)s” is due on %(date)s") % {
            "title": action.title,
            "date": action.due_date.strftime("%d/%m/%Y") if action.due_date else "",
        }
        body = render_to_string("actions/email/reminder.txt", {"action": action, "link": link})
    send_mail(subject, body, None, [action.owner.email])
    return True


def due_for_reminder() -> list[int]:
    today = timezone.localdate()
    horizon = today + timedelta(days=settings.REMINDER_DAYS_BEFORE_DUE)
    return list(
        Action.objects.filter(
            status__in=Action.OPEN_STATUSES,
            owner__isnull=False,
            due_date__gte=today,
            due_date__lte=horizon,
            reminder_sent_on__isnull=True,
        ).values_list("pk", flat=True)
    )


def send_due_reminders() -> int:
    """Queue a reminder for each open action due within REMINDER_DAYS_BEFORE_DUE days, once."""
    ids = due_for_reminder()
    today = timezone.localdate()
    for action_id in ids:
        with transaction.atomic():
            claimed = Action.objects.filter(pk=action_id, reminder_sent_on__isnull=True).update(
                reminder_sent_on=today
            )
            if claimed:
                transaction.on_commit(partial(send_action_reminder.enqueue, action_id))
    return len(ids)
