from typing import Any

from django.core.management.base import BaseCommand

from parcours.benchmarks.services import recompute_benchmarks


class Command(BaseCommand):
    help = (
        "Recompute the anonymised benchmarks (run nightly by cron, and after a bulk import "
        "or changes to enrolments, sectors or headcounts)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        s = recompute_benchmarks()
        self.stdout.write(
            f"benchmarks: {s.diagnoses} diagnoses, {s.groups} groups: {s.published} published, "
            f"{s.held} held, {s.suppressed} suppressed; {s.new_figures} with new figures, in {s.seconds:.3f} s"
        )
