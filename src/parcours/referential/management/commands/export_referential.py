import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parcours.referential.models import ReferentialVersion
from parcours.referential.selectors import current_version, referential_export


class Command(BaseCommand):
    help = "Print the referential (current version, or --version) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--referential-version", dest="ref_version", help="version to export (default: current)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["ref_version"]:
            version = ReferentialVersion.objects.filter(version=options["ref_version"]).first()
        else:
            version = current_version()
        if version is None:
            raise CommandError("No referential loaded: run `manage.py load_referential` first.")
        self.stdout.write(json.dumps(referential_export(version), ensure_ascii=False, indent=2))
