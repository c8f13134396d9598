from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from parcours.actions.models import Action
from parcours.diagnoses.models import Answer
from parcours.organisations.models import Organisation
from parcours.organisations.services import audit_record

from .files import ALLOWED, detect
from .models import Evidence


def used_bytes(organisation: Organisation) -> int:
    return int(Evidence.objects.filter(organisation=organisation).aggregate(total=Sum("size"))["total"] or 0)


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    organisation: Organisation,
    upload: UploadedFile,
    answer: Answer | None = None,
    action: Action | None = None,
    reporting_year: Any = None,
    disclosure: str = "",
) -> Evidence:
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)}
        )
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # serialise quota checks
    if used_bytes(organisation) + upload.size > settings.EVIDENCE_QUOTA_BYTES:
        raise ValidationError(
            _("Your organisation's storage (%(quota)s) is full: remove files you no longer need.")
            % {"quota": filesizeformat(settings.EVIDENCE_QUOTA_BYTES)}
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = detect(head, upload.name or "")
    if kind is None:
        raise ValidationError(
            _(
                "This kind of file is not accepted. Send a PDF, an image (PNG, JPEG, WebP), an office document or a CSV file."
            )
        )
    stored = Evidence.new_stored_name()
    folder = settings.PRIVATE_FILES_DIR / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / stored).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    name = get_valid_filename((upload.name or "fichier").rsplit("/", 1)[-1])[:150] or "fichier"
    evidence = Evidence.objects.create(
        organisation=organisation,
        answer=answer,
        action=action,
        reporting_year=reporting_year,
        disclosure=disclosure,
        original_name=name,
        stored_name=stored,
        content_type=ALLOWED[kind][0],
        size=upload.size,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        action="evidence.added",
        obj=evidence,
        changes={
            "file": name,
            "size": upload.size,
            "answer": answer.pk if answer else None,
            "action": action.pk if action else None,
            "indicators": f"{reporting_year.year} {disclosure}" if reporting_year else None,
        },
    )
    return evidence


@transaction.atomic
def evidence_delete(*, actor: Any, evidence: Evidence) -> None:
    audit_record(
        actor=actor,
        organisation=evidence.organisation,
        action="evidence.deleted",
        obj=evidence,
        changes={"file": evidence.original_name},
    )
    path = settings.PRIVATE_FILES_DIR / "evidence" / evidence.stored_name
    evidence.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
