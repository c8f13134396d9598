from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.actions.selectors import get_action
from parcours.diagnoses.models import Answer
from parcours.diagnoses.selectors import diagnosis_state, get_diagnosis
from parcours.organisations.access import OrgAccess, org_view
from parcours.organisations.services import audit_record

from . import services
from .models import Evidence


def _upload(request: HttpRequest) -> UploadedFile:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(_("Choose a file to attach."))
    return upload


@org_view("edit_diagnosis")
@require_POST
def answer_evidence_add(
    request: HttpRequest, access: OrgAccess, diagnosis_id: int, question_key: str
) -> HttpResponse:
    diagnosis = get_diagnosis(access.organisation, diagnosis_id)
    question = diagnosis_state(diagnosis).tree.questions.get(question_key)
    if question is None:
        raise Http404
    url = (
        reverse("domain_detail", args=[access.organisation.slug, diagnosis.pk, question.domain.key])
        + f"#q-{question.key}"
    )
    if not diagnosis.is_editable:
        messages.error(
            request, _("This diagnosis is no longer open for changes (submitted, completed or validated).")
        )
        return redirect(url)
    answer, _created = Answer.objects.get_or_create(diagnosis=diagnosis, question=question)
    try:
        services.evidence_add(
            actor=request.user, organisation=access.organisation, upload=_upload(request), answer=answer
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("File attached."))
    return redirect(url)


@org_view("edit_actions")
@require_POST
def action_evidence_add(request: HttpRequest, access: OrgAccess, action_id: int) -> HttpResponse:
    action = get_action(access.organisation, action_id)
    try:
        services.evidence_add(
            actor=request.user, organisation=access.organisation, upload=_upload(request), action=action
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("File attached."))
    return redirect("action_detail", org_slug=access.organisation.slug, action_id=action.pk)


@org_view("view_organisation")
def evidence_download(request: HttpRequest, access: OrgAccess, evidence_id: int) -> FileResponse:
    evidence = get_object_or_404(Evidence, organisation=access.organisation, pk=evidence_id)
    path = settings.PRIVATE_FILES_DIR / "evidence" / evidence.stored_name
    if not path.is_file():
        raise Http404
    audit_record(
        actor=request.user, organisation=access.organisation, action="evidence.downloaded", obj=evidence
    )
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@org_view("edit_diagnosis")
@require_POST
def evidence_delete(request: HttpRequest, access: OrgAccess, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(
        Evidence.objects.select_related("answer__diagnosis", "answer__question__domain"),
        organisation=access.organisation,
        pk=evidence_id,
    )
    if evidence.action_id and not access.can("edit_actions"):
        raise PermissionDenied
    if evidence.answer and not evidence.answer.diagnosis.is_editable:
        messages.error(
            request, _("This diagnosis is no longer open for changes (submitted, completed or validated).")
        )
    else:
        services.evidence_delete(actor=request.user, evidence=evidence)
        messages.success(request, _("File removed."))
    if evidence.answer:
        a = evidence.answer
        return redirect(
            reverse("domain_detail", args=[access.organisation.slug, a.diagnosis_id, a.question.domain.key])
            + f"#q-{a.question.key}"
        )
    return redirect("action_detail", org_slug=access.organisation.slug, action_id=evidence.action_id)
