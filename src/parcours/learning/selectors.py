from dataclasses import dataclass
from typing import Any

from django.http import Http404

from parcours.referential.models import CoreSubject
from parcours.referential.selectors import current_version, referential_tree

from .content import guidance
from .models import LearningProgress


@dataclass
class SubjectProgress:
    core_subject: CoreSubject
    domains_total: int
    domains_read: int
    progress: LearningProgress | None

    @property
    def self_checked(self) -> bool:
        return bool(self.progress and self.progress.self_check_at)

    @property
    def completed(self) -> bool:
        return self.domains_read >= self.domains_total and self.self_checked

    @property
    def percent(self) -> int:
        steps = self.domains_total + 1
        return round(100 * (self.domains_read + self.self_checked) / steps)


def learning_overview(user: Any) -> list[SubjectProgress]:
    version = current_version()
    if version is None:
        return []
    tree = referential_tree(version)
    progress = {p.core_subject: p for p in LearningProgress.objects.filter(user=user)}
    rows = []
    for node in tree.core_subjects:
        key = node.core_subject.key
        p = progress.get(key)
        keys = {d.domain.key for d in node.domains}
        rows.append(
            SubjectProgress(node.core_subject, len(keys), len(keys & set(p.domains_read)) if p else 0, p)
        )
    return rows


def subject_guidance(core_subject_key: str) -> tuple[Any, dict[str, Any]]:
    """The current referential's core subject node and its guidance, or 404."""
    version = current_version()
    content = guidance().get(core_subject_key)
    if version is None or content is None:
        raise Http404
    tree = referential_tree(version)
    node = next((cs for cs in tree.core_subjects if cs.core_subject.key == core_subject_key), None)
    if node is None:
        raise Http404
    return node, content


def progress_for(user: Any, core_subject_key: str) -> LearningProgress | None:
    return LearningProgress.objects.filter(user=user, core_subject=core_subject_key).first()
