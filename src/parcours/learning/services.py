from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import LearningProgress


@transaction.atomic
def guide_mark_read(*, user: Any, core_subject: str, domain_key: str) -> LearningProgress:
    progress, _created = LearningProgress.objects.select_for_update().get_or_create(
        user=user, core_subject=core_subject
    )
    if domain_key not in progress.domains_read:
        progress.domains_read = [*progress.domains_read, domain_key]
        progress.save(update_fields=["domains_read", "updated_at"])
    return progress


@transaction.atomic
def self_check_record(*, user: Any, core_subject: str, score: int, total: int) -> LearningProgress:
    progress, _created = LearningProgress.objects.select_for_update().get_or_create(
        user=user, core_subject=core_subject
    )
    progress.self_check_score, progress.self_check_total, progress.self_check_at = (
        score,
        total,
        timezone.now(),
    )
    progress.save()
    return progress
