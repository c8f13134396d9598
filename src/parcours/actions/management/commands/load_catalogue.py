from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from parcours.actions.services import catalogue_load


class Command(BaseCommand):
    help = "Load the catalogue of SME actions (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = catalogue_load()
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(f"action catalogue: {result.created} created, {result.updated} up to date")
