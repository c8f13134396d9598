from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.benchmarks.selectors import merge_twins, position_for
from parcours.organisations.access import OrgAccess, org_view
from parcours.organisations.selectors import organisation_has_consultant

from . import scoring, services
from .forms import AnswerForm, RelevanceForm
from .models import Diagnosis
from .results import progress_context, results_context
from .selectors import (
    DiagnosisState,
    actions_completed_between,
    diagnoses_of,
    diagnosis_state,
    get_diagnosis,
    previous_completed,
)


@org_view("view_organisation")
def diagnosis_list(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    diagnoses = list(diagnoses_of(access.organisation))
    return render(
        request,
        "diagnoses/list.html",
        {
            "access": access,
            "nav": "diagnoses",
            "diagnoses": diagnoses,
            "has_open": any(not d.is_final for d in diagnoses),
            "latest": next((d for d in diagnoses if d.is_final), None),
        },
    )


@org_view("edit_diagnosis")
@require_POST
def diagnosis_start(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    try:
        diagnosis = services.diagnosis_start(
            actor=request.user,
            organisation=access.organisation,
            carry_over=request.POST.get("carry_over") == "1",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("diagnosis_list", org_slug=access.organisation.slug)
    messages.success(request, _("Diagnosis started. Your answers are saved as you give them."))
    return redirect("diagnosis_detail", org_slug=access.organisation.slug, diagnosis_id=diagnosis.pk)


@org_view("view_organisation")
def diagnosis_detail(request: HttpRequest, access: OrgAccess, diagnosis_id: int) -> HttpResponse:
    diagnosis = get_diagnosis(access.organisation, diagnosis_id)
    state = diagnosis_state(diagnosis)
    return render(
        request,
        "diagnoses/detail.html",
        {
            "access": access,
            "nav": "diagnoses",
            "diagnosis": diagnosis,
            "state": state,
            "can_edit": diagnosis.is_editable and access.can("edit_diagnosis"),
            "can_complete": diagnosis.is_editable and access.can("complete_diagnosis"),
            "can_submit": diagnosis.is_editable
            and access.can("submit_diagnosis")
            and organisation_has_consultant(access.organisation),
            "can_review": diagnosis.status == Diagnosis.Status.SUBMITTED and access.can("review_diagnosis"),
            "comment_count": diagnosis.review_comments.count(),
            "unanswered": state.results.applicable - state.results.answered,
        },
    )


def _domain_or_404(state: DiagnosisState, domain_key: str) -> Any:
    node = state.domains.get(domain_key)
    if node is None:
        raise Http404
    return node


def _neighbours(state: DiagnosisState, domain_key: str) -> tuple[Any, Any]:
    keys = list(state.domains)
    i = keys.index(domain_key)
    prev_dp = state.domains[keys[i - 1]] if i > 0 else None
    next_dp = state.domains[keys[i + 1]] if i + 1 < len(keys) else None
    return prev_dp, next_dp


def _answer_form(state: DiagnosisState, question: Any, data: Any = None) -> AnswerForm:
    answer = state.answers.get(question.pk)
    initial = (
        {
            "level": answer.level,
            "not_applicable": answer.not_applicable,
            "na_reason": answer.na_reason,
            "comment": answer.comment,
            "version": answer.version,
        }
        if answer
        else {}
    )
    return AnswerForm(data, initial=initial, question=question, prefix=None)


def _evidence_by_answer(diagnosis: Diagnosis) -> dict[int, list[Any]]:
    """Files attached to the diagnosis' answers, in one query (the evidence app builds on
    diagnoses, so its model is looked up rather than imported)."""
    evidence_model = apps.get_model("evidence", "Evidence")
    files: dict[int, list[Any]] = {}
    for f in evidence_model.objects.filter(answer__diagnosis=diagnosis).order_by("uploaded_at"):
        files.setdefault(f.answer_id or 0, []).append(f)
    return files


def _domain_page(
    request: HttpRequest,
    access: OrgAccess,
    diagnosis: Diagnosis,
    domain_key: str,
    *,
    failed: tuple[Any, AnswerForm] | None = None,
    relevance_form: RelevanceForm | None = None,
    status: int = 200,
    interview: bool = False,
) -> HttpResponse:
    state = diagnosis_state(diagnosis)
    dp = _domain_or_404(state, domain_key)
    files = _evidence_by_answer(diagnosis)
    items = []
    for number, question in enumerate(dp.questions, start=1):
        form = failed[1] if failed and failed[0].pk == question.pk else _answer_form(state, question)
        answer = state.answers.get(question.pk)
        items.append(
            {
                "number": number,
                "question": question,
                "form": form,
                "answer": answer,
                "evidence": files.get(answer.pk, []) if answer else [],
            }
        )
    if relevance_form is None:
        relevance_form = RelevanceForm(
            initial={
                "relevant": "yes" if dp.relevant else "no",
                "reason": dp.assessment.reason if dp.assessment else "",
            }
        )
    prev_dp, next_dp = _neighbours(state, domain_key)
    domain_keys = list(state.domains)
    return render(
        request,
        "diagnoses/interview.html" if interview else "diagnoses/domain.html",
        {
            "interview": interview,
            "domain_number": domain_keys.index(domain_key) + 1,
            "domain_total": len(domain_keys),
            "access": access,
            "nav": "diagnoses",
            "diagnosis": diagnosis,
            "state": state,
            "dp": dp,
            "items": items,
            "relevance_form": relevance_form,
            "prev_dp": prev_dp,
            "next_dp": next_dp,
            "can_edit": diagnosis.is_editable and access.can("edit_diagnosis"),
            "review_comments": [
                c
                for c in diagnosis.review_comments.select_related("author")
                if c.domain_id == dp.node.domain.pk
            ],
            "can_review": diagnosis.status == Diagnosis.Status.SUBMITTED and access.can("review_diagnosis"),
        },
        status=status,
    )


@org_view("view_organisation")
def domain_detail(
    request: HttpRequest, access: OrgAccess, diagnosis_id: int, domain_key: str
) -> HttpResponse:
    diagnosis = get_diagnosis(access.organisation, diagnosis_id)
    return _domain_page(request, access, diagnosis, domain_key)


@org_view("edit_diagnosis")
def interview_start(request: HttpRequest, access: OrgAccess, diagnosis_id: int) -> HttpResponse:
    """Interview mode opens on the first domain that still has unanswered questions."""
    diagnosis = get_diagnosis(access.organisation, diagnosis_id)
    state = diagnosis_state(diagnosis)
    first = next(
        (key for key, dp in state.domains.items() if dp.relevant and dp.answered < len(dp.questions)),
        next(iter(state.domains)),
    )
    return redirect(
        "interview", org_slug=access.organisation.slug, diagnosis_id=diagnosis.pk, domain_key=first
    )


@org_view("edit_diagnosis")
def interview(request: HttpRequest, access: OrgAccess, diagnosis_id: int, domain_key: str) -> HttpResponse:
    """One domain per screen, big touch targets, keyboard shortcuts, every answer saved as it is given."""
    diagnosis = get_diagnosis(access.organisation, diagnosis_id)
    if not diagnosis.is_editable:
        messages.info(request, _("This diagnosis is no longer being answered: here it is, read-only."))
        return redirect(
            "domain_detail",
            org_slug=access.organisation.slug,
            diagnosis_id=diagnosis.pk,
            domain_key=domain_key,
        )
    return _domain_page(request, access, diagnosis, domain_key, interview=True)


@org_view("edit_diagnosis")
@require_POST
def domain_relevance(
    request: HttpRequest, access: OrgAccess, diagnosis_id: int, domain_key: str
) -> HttpResponse:
    diagnosis = get_diagnosis(access.organisation, diagnosis_id)
    state = diagnosis_state(diagnosis)
    dp = _domain_or_404(state, domain_key)
    form = RelevanceForm(request.POST)
    if form.is_valid():
        try:
            services.domain_relevance_set(
                actor=request.user,
                diagnosis=diagnosis,
                domain=dp.node.domain,
                relevant=form.cleaned_data["relevant"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Relevance saved."))
            return redirect(
                "domain_detail",
                org_slug=access.organisation.slug,
                diagnosis_id=diagnosis.pk,
                domain_key=domain_key,
            )
    return _domain_page(request, access, diagnosis, domain_key, relevance_form=form, status=400)


@org_view("edit_diagnosis")
@require_POST
def answer_save(
    request: HttpRequest, access: OrgAccess, diagnosis_id: int, question_key: str
) -> HttpResponse:
    diagnosis = get_diagnosis(access.organisation, diagnosis_id)
    state = diagnosis_state(diagnosis)
    question = state.tree.questions.get(question_key)
    if question is None or not question.applies_to(diagnosis.size_band):
        raise Http404
    domain_key = question.domain.key
    form = AnswerForm(request.POST, question=question)
    error = None
    stale = None
    if form.is_valid():
        try:
            services.answer_save(
                actor=request.user,
                diagnosis=diagnosis,
                question=question,
                level=form.cleaned_data["level"],
                not_applicable=form.cleaned_data["not_applicable"],
                na_reason=form.cleaned_data["na_reason"],
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data.get("version"),
            )
        except services.StaleAnswer as exc:
            stale = exc.current
            error = _(
                "someone else changed this answer after you opened the page (see below). Yours was not saved."
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
    else:
        error = " ".join(str(e) for errs in form.errors.values() for e in errs)

    if request.htmx:  # type: ignore[attr-defined]
        after = diagnosis_state(diagnosis) if error is None else state
        answered = after.domains[domain_key]
        saved = after.answers.get(question.pk) if error is None else None
        return render(
            request,
            "diagnoses/_save_status.html",
            {"error": error, "dp": answered, "question": question, "stale": stale, "saved": saved},
            status=409 if stale else (422 if error else 200),
        )
    if stale:
        messages.error(
            request,
            _("Not saved: someone else changed this answer after you opened the page. Here is their answer."),
        )
        url = reverse("domain_detail", args=[access.organisation.slug, diagnosis.pk, domain_key])
        return redirect(f"{url}#q-{question.key}")
    interview = request.POST.get("mode") == "interview"
    if error:
        return _domain_page(
            request, access, diagnosis, domain_key, failed=(question, form), status=400, interview=interview
        )
    messages.success(request, _("Answer saved."))
    url = reverse(
        "interview" if interview else "domain_detail",
        args=[access.organisation.slug, diagnosis.pk, domain_key],
    )
    return redirect(f"{url}#q-{question.key}")


@org_view("complete_diagnosis")
@require_POST
def diagnosis_complete(request: HttpRequest, access: OrgAccess, diagnosis_id: int) -> HttpResponse:
    diagnosis = get_diagnosis(access.organisation, diagnosis_id)
    try:
        services.diagnosis_complete(actor=request.user, diagnosis=diagnosis)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("diagnosis_detail", org_slug=access.organisation.slug, diagnosis_id=diagnosis.pk)
    messages.success(request, _("Diagnosis completed. Here are your results."))
    return redirect("diagnosis_results", org_slug=access.organisation.slug, diagnosis_id=diagnosis.pk)


RESULTS_CACHE_SECONDS = 3600


@org_view("view_organisation")
def diagnosis_results(request: HttpRequest, access: OrgAccess, diagnosis_id: int) -> HttpResponse:
    diagnosis = get_diagnosis(access.organisation, diagnosis_id)
    diagnosis.organisation = access.organisation
    context: dict[str, Any] = {
        "access": access,
        "nav": "diagnoses",
        "diagnosis": diagnosis,
        "maturity_levels": scoring.MATURITY_LEVELS,
        "current_level": diagnosis.maturity_level,
    }
    # A completed or validated diagnosis never changes: its results are rendered once per
    # language and kept in the cache; only the benchmark position is read at each request.
    key = (
        f"results:{diagnosis.pk}:{diagnosis.status}:{diagnosis.completed_at and diagnosis.completed_at.timestamp()}:"
        f"{get_language()}:{access.organisation.slug}"
    )
    body = cache.get(key) if diagnosis.is_final else None
    if body is None:
        full = {**results_context(diagnosis), **context}
        body = render_to_string("diagnoses/_results_body.html", full, request=request)
        context["current_level"] = full["results"].maturity_level
        if diagnosis.is_final:
            cache.set(key, body, RESULTS_CACHE_SECONDS)
    context["results_body"] = mark_safe(body)  # noqa: S308 - our own template's output
    if diagnosis.is_final:
        context["benchmark_positions"] = merge_twins(position_for(diagnosis))
    return render(request, "diagnoses/results.html", context)


@org_view("view_organisation")
def diagnosis_progress(request: HttpRequest, access: OrgAccess, diagnosis_id: int) -> HttpResponse:
    """Compare a diagnosis with an earlier one (?since=<id>, default: the previous completed one)."""
    diagnosis = get_diagnosis(access.organisation, diagnosis_id)
    since = request.GET.get("since", "")
    baseline = (
        get_diagnosis(access.organisation, int(since)) if since.isdigit() else previous_completed(diagnosis)
    )
    if baseline is None or baseline.pk == diagnosis.pk:
        messages.info(request, _("There is no earlier completed diagnosis to compare with yet."))
        return redirect("diagnosis_results", org_slug=access.organisation.slug, diagnosis_id=diagnosis.pk)
    context = progress_context(diagnosis, baseline)
    start = baseline.completed_at or baseline.created_at
    end = diagnosis.completed_at or timezone.now()
    context.update(
        {
            "access": access,
            "nav": "diagnoses",
            "others": [d for d in diagnoses_of(access.organisation) if d.pk != diagnosis.pk and d.is_final],
            "actions_done": actions_completed_between(access.organisation, start.date(), end.date()),
        }
    )
    return render(request, "diagnoses/progress.html", context)


def _workflow_step(
    request: HttpRequest,
    access: OrgAccess,
    diagnosis_id: int,
    step: Any,
    success: str,
    target: str = "diagnosis_detail",
) -> HttpResponse:
    diagnosis = get_diagnosis(access.organisation, diagnosis_id)
    try:
        step(diagnosis)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        target = "diagnosis_detail"
    else:
        messages.success(request, success)
    return redirect(target, org_slug=access.organisation.slug, diagnosis_id=diagnosis.pk)


@org_view("submit_diagnosis")
@require_POST
def diagnosis_submit(request: HttpRequest, access: OrgAccess, diagnosis_id: int) -> HttpResponse:
    return _workflow_step(
        request,
        access,
        diagnosis_id,
        lambda d: services.diagnosis_submit(actor=request.user, diagnosis=d),
        _("Diagnosis submitted to your consultant, who will review and validate it."),
    )


@org_view("review_diagnosis")
@require_POST
def diagnosis_return(request: HttpRequest, access: OrgAccess, diagnosis_id: int) -> HttpResponse:
    note = request.POST.get("note", "")[:2000]
    return _workflow_step(
        request,
        access,
        diagnosis_id,
        lambda d: services.diagnosis_return(actor=request.user, diagnosis=d, note=note),
        _("Diagnosis returned to the company: its answers can be changed again."),
    )


@org_view("review_diagnosis")
@require_POST
def diagnosis_validate(request: HttpRequest, access: OrgAccess, diagnosis_id: int) -> HttpResponse:
    return _workflow_step(
        request,
        access,
        diagnosis_id,
        lambda d: services.diagnosis_validate(actor=request.user, diagnosis=d),
        _("Diagnosis validated. It is now frozen; a later diagnosis will show progress."),
        target="diagnosis_results",
    )


@org_view("review_diagnosis")
@require_POST
def review_comment(
    request: HttpRequest, access: OrgAccess, diagnosis_id: int, domain_key: str
) -> HttpResponse:
    diagnosis = get_diagnosis(access.organisation, diagnosis_id)
    dp = _domain_or_404(diagnosis_state(diagnosis), domain_key)
    try:
        services.review_comment_add(
            actor=request.user,
            diagnosis=diagnosis,
            domain=dp.node.domain,
            text=request.POST.get("text", "")[:5000],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Comment added."))
    url = reverse("domain_detail", args=[access.organisation.slug, diagnosis.pk, domain_key])
    return redirect(f"{url}#review")
