import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parcours.organisations.models import Organisation
from parcours.vsme.models import ReportingYear
from parcours.vsme.services import build_xlsx, export_xbrl_json


class Command(BaseCommand):
    help = "Export an organisation's VSME reporting year as a filled digital template 1.3.0 or as xBRL-JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="the organisation's short name (slug)")
        parser.add_argument("--year", required=True, type=int, help="the reporting year, e.g. 2025")
        parser.add_argument("--format", required=True, choices=["xlsx", "xbrl-json"])
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(slug=options["org"]).first()
        if org is None:
            raise CommandError(f"no organisation with the short name {options['org']!r}")
        ry = ReportingYear.objects.filter(organisation=org, year=options["year"]).first()
        if ry is None:
            raise CommandError(f"{org.slug} has no VSME reporting year {options['year']}")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"no such folder: {output.parent}")
        if options["format"] == "xlsx":
            export = build_xlsx(ry)
            output.write_bytes(export.content)
            for line in export.skipped:
                self.stdout.write(f"not exported: {line}")
        else:
            output.write_text(
                json.dumps(export_xbrl_json(ry), ensure_ascii=False, indent=1), encoding="utf-8"
            )
        self.stdout.write(f"{ry.facts.count()} facts of {org.slug} {ry.year} written to {output}")
