"""Background recompute of the benchmarks (django-tasks, as in ``parcours.actions.tasks``).

Enqueued on commit of every consultant validation; by default it runs inline, with
TASKS_BACKEND=database a worker (``manage.py db_worker``) runs it. Each run recomputes
everything, so a queue of several runs ends in the same state as one.
"""

from typing import Any

from django_tasks import task

from .services import recompute_benchmarks


@task()
def recompute_benchmarks_task() -> dict[str, Any]:
    return recompute_benchmarks().as_dict()
