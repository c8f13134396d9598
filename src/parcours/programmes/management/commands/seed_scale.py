from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parcours.programmes.scale import SCALE_PASSWORD, ScaleRefused, seed_scale


class Command(BaseCommand):
    help = (
        "Create N companies with validated diagnoses spread over programmes, a cohort of M companies "
        "and one of 10 with a coordinator, then recompute the benchmarks: data for `make bench` "
        "(runs once per database; refused in production)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orgs", type=int, required=True, help="number of companies")
        parser.add_argument("--programmes", type=int, default=20, help="programmes to spread them over")
        parser.add_argument("--cohort", type=int, default=1000, help="companies in the large cohort")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            seeded = seed_scale(
                organisations=options["orgs"], programmes=options["programmes"], cohort=options["cohort"]
            )
        except ScaleRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"scale: coordinator {seeded.coordinator_email} {SCALE_PASSWORD}")
        self.stdout.write(f"scale: owner {seeded.owner_email} {SCALE_PASSWORD} {seeded.results_path}")
        self.stdout.write(seeded.summary())
