"""Loading a referential version into the database."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from . import bank as bank_files
from .models import CoreSubject, Domain, Principle, Question, ReferentialVersion


class ReferentialError(Exception):
    pass


@dataclass
class LoadResult:
    version: ReferentialVersion
    outcome: str  # "created", "updated texts" or "unchanged"
    questions: int


@transaction.atomic
def referential_load(*, folder: Path | None = None, make_current: bool = True) -> LoadResult:
    """Load one version folder, idempotently.

    A version already loaded is left alone when its files are unchanged; when only
    wording changed, texts are updated in place. A change of structure (domains,
    questions, levels, size bands) under an existing version number is refused: scores
    computed on that version must stay reproducible, so it must ship as a new version.
    """
    folder = folder or bank_files.latest_version_dir()
    bank = bank_files.read_bank(folder)
    errors = bank_files.validate(bank)
    if errors:
        raise ReferentialError("\n".join(errors))
    fingerprint = bank_files.structure_fingerprint(bank)
    digest = bank_files.content_hash(bank)
    count = sum(len(d["questions"]) for cs in bank["core_subjects"] for d in cs["domains"])

    version = ReferentialVersion.objects.filter(version=str(bank["version"])).first()
    if version is not None and version.structure_fingerprint != fingerprint:
        raise ReferentialError(
            f"Version {version.version} is already loaded with another structure; "
            "publish the change under a new version number."
        )
    if version is not None and version.content_hash == digest:
        outcome = "unchanged"
    else:
        outcome = "updated texts" if version else "created"
        version = _write(version, bank, fingerprint, digest)
    if make_current and not version.is_current:
        ReferentialVersion.objects.filter(is_current=True).update(is_current=False)
        version.is_current = True
        version.save(update_fields=["is_current"])
    return LoadResult(version=version, outcome=outcome, questions=count)


def _write(
    version: ReferentialVersion | None, bank: dict, fingerprint: str, digest: str
) -> ReferentialVersion:
    if version is None:
        version = ReferentialVersion(version=str(bank["version"]))
    version.title = bank.get("title", {})
    version.source = bank.get("source", "")
    version.structure_fingerprint = fingerprint
    version.content_hash = digest
    version.save()

    for kind, items in (
        (Principle.Kind.PRINCIPLE, bank["principles"]),
        (Principle.Kind.PRACTICE, bank["fundamental_practices"]),
    ):
        for pos, item in enumerate(items):
            Principle.objects.update_or_create(
                version=version,
                key=item["key"],
                defaults={"kind": kind, "clause": item["clause"], "title": item["title"], "position": pos},
            )
    d_pos = q_pos = 0
    for cs_pos, cs in enumerate(bank["core_subjects"]):
        core_subject, _ = CoreSubject.objects.update_or_create(
            version=version,
            key=cs["key"],
            defaults={
                "clause": cs["clause"],
                "title": cs["title"],
                "short_title": cs.get("short_title", {}),
                "position": cs_pos,
            },
        )
        for d in cs["domains"]:
            domain, _ = Domain.objects.update_or_create(
                version=version,
                key=d["key"],
                defaults={
                    "core_subject": core_subject,
                    "clause": d["clause"],
                    "issue_no": d.get("issue_no"),
                    "title": d["title"],
                    "position": d_pos,
                },
            )
            d_pos += 1
            for q in d["questions"]:
                Question.objects.update_or_create(
                    version=version,
                    key=q["key"],
                    defaults={
                        "domain": domain,
                        "text": q["text"],
                        "why": q["why"],
                        "evidence": q["evidence"],
                        "levels": q["levels"],
                        "size_bands": q.get("size_bands") or [],
                        "position": q_pos,
                    },
                )
                q_pos += 1
    return version
