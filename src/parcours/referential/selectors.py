"""Reading the referential: one query per kind of row, never one per row."""

from dataclasses import dataclass, field
from typing import Any

from parcours.core.i18n import tr

from .models import CoreSubject, Domain, Principle, Question, ReferentialVersion


def current_version() -> ReferentialVersion | None:
    return ReferentialVersion.objects.filter(is_current=True).first()


@dataclass
class DomainNode:
    domain: Domain
    questions: list[Question] = field(default_factory=list)


@dataclass
class CoreSubjectNode:
    core_subject: CoreSubject
    domains: list[DomainNode] = field(default_factory=list)


@dataclass
class Tree:
    version: ReferentialVersion
    core_subjects: list[CoreSubjectNode]
    domains: dict[str, DomainNode]
    questions: dict[str, Question]


_TREES: dict[tuple[int, str, str], Tree] = {}
_TREES_MAX = 8


def referential_tree(version: ReferentialVersion) -> Tree:
    """The whole version as a tree: three queries on first use, then kept in the process.

    A loaded version never changes shape; a wording fix changes its content hash and load
    time, which are part of the key, so a stale tree is never served.
    """
    key = (version.pk, version.content_hash, version.loaded_at.isoformat() if version.loaded_at else "")
    tree = _TREES.get(key)
    if tree is None:
        if len(_TREES) >= _TREES_MAX:
            _TREES.clear()
        tree = _TREES[key] = _build_tree(version)
    return tree


def clear_tree_cache() -> None:
    _TREES.clear()


def _build_tree(version: ReferentialVersion) -> Tree:
    cs_nodes = {cs.pk: CoreSubjectNode(cs) for cs in CoreSubject.objects.filter(version=version)}
    d_nodes: dict[int, DomainNode] = {}
    for d in Domain.objects.filter(version=version):
        node = DomainNode(d)
        d_nodes[d.pk] = node
        cs_nodes[d.core_subject_id].domains.append(node)
        d.core_subject = cs_nodes[d.core_subject_id].core_subject
    questions = {}
    for q in Question.objects.filter(version=version):
        q.domain = d_nodes[q.domain_id].domain
        d_nodes[q.domain_id].questions.append(q)
        questions[q.key] = q
    return Tree(
        version=version,
        core_subjects=list(cs_nodes.values()),
        domains={n.domain.key: n for n in d_nodes.values()},
        questions=questions,
    )


def referential_export(version: ReferentialVersion) -> dict[str, Any]:
    """The documented JSON shape of ``manage.py export_referential``."""
    tree = referential_tree(version)
    principles = list(Principle.objects.filter(version=version))

    def item(p: Principle) -> dict[str, Any]:
        return {"key": p.key, "clause": p.clause, "title": p.title}

    return {
        "version": version.version,
        "title": version.title,
        "principles": [item(p) for p in principles if p.kind == Principle.Kind.PRINCIPLE],
        "fundamental_practices": [item(p) for p in principles if p.kind == Principle.Kind.PRACTICE],
        "core_subjects": [
            {
                "key": cs.core_subject.key,
                "clause": cs.core_subject.clause,
                "title": cs.core_subject.title,
                "short_title": cs.core_subject.short_title,
                "domains": [
                    {
                        "key": d.domain.key,
                        "clause": d.domain.clause,
                        "issue_no": d.domain.issue_no,
                        "title": d.domain.title,
                        "questions": [
                            {
                                "key": q.key,
                                "text": q.text,
                                "why": q.why,
                                "evidence": q.evidence,
                                "size_bands": q.size_bands,
                                "options": [
                                    {"level": level, "label": label} for level, label in enumerate(q.levels)
                                ],
                            }
                            for q in d.questions
                        ],
                    }
                    for d in cs.domains
                ],
            }
            for cs in tree.core_subjects
        ],
    }


def domain_label(domain: Domain) -> str:
    return f"{domain.clause} {tr(domain.title)}"
