from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parcours.referential.services import ReferentialError, referential_load


class Command(BaseCommand):
    help = "Load the ISO 26000 referential and question bank (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folder", type=Path, help="a version folder (default: the latest shipped)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = referential_load(folder=options["folder"])
        except ReferentialError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"referential {result.version.version}: {result.outcome} ({result.questions} questions)"
        )
