from typing import Any

from django.core.management.base import BaseCommand

from parcours.actions.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Queue e-mail reminders for actions nearing their due date (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{send_due_reminders()} reminder(s) queued")
