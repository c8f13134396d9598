import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.core import charts
from parcours.core.i18n import tr
from parcours.organisations.access import OrgAccess, org_view

from . import services
from .forms import MaterialityForm, StakeholderForm, SurveyForm
from .models import Survey
from .selectors import get_stakeholder, get_survey, materiality_rows, stakeholders_of, surveys_of

SURVEY_COOKIE = "parcours_respondent"


def _ctx(access: OrgAccess, **extra: object) -> dict[str, object]:
    return {"access": access, "nav": "materiality", "can_edit": access.can("edit_materiality"), **extra}


@org_view("view_organisation")
def stakeholder_list(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    return render(
        request,
        "materiality/stakeholders.html",
        _ctx(access, stakeholders=stakeholders_of(access.organisation), form=StakeholderForm()),
    )


@org_view("edit_materiality")
def stakeholder_edit(
    request: HttpRequest, access: OrgAccess, stakeholder_id: int | None = None
) -> HttpResponse:
    stakeholder = get_stakeholder(access.organisation, stakeholder_id) if stakeholder_id else None
    form = StakeholderForm(request.POST or None, instance=stakeholder)
    if request.method == "POST" and form.is_valid():
        try:
            services.stakeholder_save(
                actor=request.user,
                organisation=access.organisation,
                data=form.cleaned_data,
                stakeholder=get_stakeholder(access.organisation, stakeholder_id) if stakeholder_id else None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Stakeholder saved."))
            return redirect("stakeholder_list", org_slug=access.organisation.slug)
    return render(
        request,
        "materiality/stakeholder_form.html",
        _ctx(access, form=form, stakeholder=stakeholder),
        status=400 if form.errors else 200,
    )


@org_view("edit_materiality")
@require_POST
def stakeholder_delete(request: HttpRequest, access: OrgAccess, stakeholder_id: int) -> HttpResponse:
    services.stakeholder_delete(
        actor=request.user, stakeholder=get_stakeholder(access.organisation, stakeholder_id)
    )
    messages.success(request, _("Stakeholder removed."))
    return redirect("stakeholder_list", org_slug=access.organisation.slug)


@org_view("view_organisation")
def materiality(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    rows = materiality_rows(access.organisation)
    points = [
        charts.Point(r.domain.clause, r.gap, r.rating.significance, f"{r.domain.clause} {tr(r.domain.title)}")
        for r in rows
        if r.relevant and r.rating and r.rating.significance and r.gap is not None
    ]
    matrix = charts.matrix(
        points,
        title=_(
            "Materiality matrix: significance against the gap to good practice; the table below gives the figures."
        ),
        x_label=_("Gap to good practice (100 − domain score)"),
        y_label=_("Significance (1–4)"),
    )
    forms = (
        {
            r.domain.key: MaterialityForm(
                organisation=access.organisation,
                initial={
                    "relevant": "yes" if r.relevant else "no",
                    "reason": r.rating.reason if r.rating else "",
                    "significance": r.rating.significance if r.rating else None,
                    "impact": r.rating.impact if r.rating else None,
                    "raised_by": r.raised_by,
                },
            )
            for r in rows
        }
        if access.can("edit_materiality")
        else {}
    )
    stakeholders = list(stakeholders_of(access.organisation))
    return render(
        request,
        "materiality/materiality.html",
        _ctx(
            access,
            rows=[(r, forms.get(r.domain.key)) for r in rows],
            matrix=matrix,
            points=points,
            stakeholders=stakeholders,
        ),
    )


@org_view("edit_materiality")
@require_POST
def materiality_save(request: HttpRequest, access: OrgAccess, domain_key: str) -> HttpResponse:
    rows = {r.domain.key: r for r in materiality_rows(access.organisation)}
    if domain_key not in rows:
        return HttpResponse(status=404)
    form = MaterialityForm(request.POST, organisation=access.organisation)
    if form.is_valid():
        try:
            services.materiality_set(
                actor=request.user,
                organisation=access.organisation,
                domain_key=domain_key,
                relevant=form.cleaned_data["relevant"],
                reason=form.cleaned_data.get("reason") or "",
                significance=form.cleaned_data.get("significance"),
                impact=form.cleaned_data.get("impact"),
                raised_by=list(form.cleaned_data.get("raised_by") or []),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Saved: %(domain)s.") % {"domain": f"{rows[domain_key].domain.clause}"}
            )
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(reverse("materiality", args=[access.organisation.slug]) + f"#m-{domain_key}")


@org_view("edit_materiality")
@require_POST
def materiality_apply_survey(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    """Set each domain's significance to the one suggested by the survey answers."""
    count = 0
    for r in materiality_rows(access.organisation):
        if r.suggested_significance is not None and r.relevant:
            services.materiality_set(
                actor=request.user,
                organisation=access.organisation,
                domain_key=r.domain.key,
                relevant=True,
                significance=r.suggested_significance,
                impact=r.rating.impact if r.rating else None,
            )
            count += 1
    messages.success(
        request, _("Significance updated from the survey answers for %(n)s domains.") % {"n": count}
    )
    return redirect("materiality", org_slug=access.organisation.slug)


@org_view("view_organisation")
def survey_list(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    return render(request, "materiality/surveys.html", _ctx(access, surveys=surveys_of(access.organisation)))


@org_view("edit_materiality")
def survey_new(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(
                actor=request.user,
                organisation=access.organisation,
                title=form.cleaned_data["title"],
                group=form.cleaned_data["group"],
                domain_keys=form.cleaned_data["domain_keys"],
                expires_at=form.expires_at(),
                max_responses=form.cleaned_data["max_responses"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Survey created: send its private link to the people you want to ask.")
            )
            return redirect("survey_detail", org_slug=access.organisation.slug, survey_id=survey.pk)
    return render(
        request, "materiality/survey_form.html", _ctx(access, form=form), status=400 if form.errors else 200
    )


@org_view("view_organisation")
def survey_detail(request: HttpRequest, access: OrgAccess, survey_id: int) -> HttpResponse:
    survey = get_survey(access.organisation, survey_id)
    rows = [r for r in materiality_rows(access.organisation) if r.domain.key in survey.domain_keys]
    means: dict[str, list[int]] = {}
    for ratings in survey.responses.values_list("ratings", flat=True):
        for key, value in ratings.items():
            means.setdefault(key, []).append(int(value))
    table = [
        (
            r.domain,
            round(sum(means[r.domain.key]) / len(means[r.domain.key]), 2)
            if means.get(r.domain.key)
            else None,
            len(means.get(r.domain.key, [])),
        )
        for r in rows
    ]
    link = request.build_absolute_uri(reverse("survey_public", args=[survey.token]))
    return render(
        request, "materiality/survey_detail.html", _ctx(access, survey=survey, table=table, link=link)
    )


def survey_public(request: HttpRequest, token: str) -> HttpResponse:
    """The page a stakeholder opens from the private link: no account, anonymous answers."""
    survey = get_object_or_404(Survey.objects.select_related("organisation"), token=token)
    rows = [r for r in materiality_rows(survey.organisation) if r.domain.key in survey.domain_keys]
    context: dict[str, object] = {"survey": survey, "rows": rows, "choices": survey_choices()}
    if not survey.is_open:
        context["closed"] = _("This survey is closed.")
        return render(request, "materiality/survey_public.html", context, status=410)
    browser_id = request.COOKIES.get(SURVEY_COOKIE) or secrets.token_urlsafe(16)
    status = 200
    if request.method == "POST":
        ratings = {}
        for r in rows:
            value = request.POST.get(r.domain.key, "")
            if value.isdigit():
                ratings[r.domain.key] = int(value)
        try:
            services.survey_answer(survey=survey, browser_id=browser_id, ratings=ratings)
        except services.SurveyClosed as exc:
            context["closed"] = str(exc)
            status = 409
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            status = 400
        else:
            context["thanks"] = True
    response = render(request, "materiality/survey_public.html", context, status=status)
    response.set_cookie(
        SURVEY_COOKIE,
        browser_id,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def survey_choices() -> list[tuple[str, str]]:
    return [
        ("0", _("Not important")),
        ("1", _("Somewhat important")),
        ("2", _("Important")),
        ("3", _("Very important")),
    ]
