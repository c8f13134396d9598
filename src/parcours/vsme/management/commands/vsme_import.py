from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parcours.organisations.models import Organisation
from parcours.vsme.services import import_template


class Command(BaseCommand):
    help = (
        "Import a filled EFRAG VSME digital template (1.2.0 or 1.3.0) into an organisation's reporting year."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx digital template")
        parser.add_argument("--org", required=True, help="the organisation's short name (slug)")
        parser.add_argument("--year", required=True, type=int, help="the reporting year, e.g. 2025")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(slug=options["org"]).first()
        if org is None:
            raise CommandError(f"no organisation with the short name {options['org']!r}")
        try:
            result = import_template(options["file"], organisation=org, year=options["year"], actor=None)
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from e
        self.stdout.write(
            f"template {result.version}: {result.imported} facts read into {org.slug} {options['year']} "
            f"({result.created} new, {result.updated} changed, {result.unchanged} unchanged, "
            f"{result.deleted} removed)"
        )
        for line in result.overwritten:
            self.stdout.write(f"replaced: {line}")
        for warning in result.warnings:
            self.stdout.write(f"warning: {warning}")
        self.stdout.write(f"not mapped: {len(result.unmapped)}")
        for item in result.unmapped:
            self.stdout.write(f"  {item.named_range} {item.cell} {item.value!r}: {item.reason}")
