from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parcours.benchmarks.services import recompute_benchmarks
from parcours.programmes.demo import DEMO_PASSWORD, DemoRefused, seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo programme, its 11 companies and their diagnoses (idempotent; refused in production)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            accounts = seed_demo()
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        # the demo back-dates its validations: publish the benchmarks from the final state
        recompute_benchmarks()
        for account in accounts:
            self.stdout.write(f"demo: {account.role} {account.email} {DEMO_PASSWORD}")
