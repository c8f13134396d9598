"""The programmes as a company and its consultant see them: its programmes and their calendar,
leaving a programme, good practices shared in the cohort, and the consultant's portfolio."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.actions.selectors import get_action
from parcours.diagnoses.models import Diagnosis
from parcours.organisations.access import OrgAccess, org_view
from parcours.organisations.models import Organisation

from . import services
from .forms import PracticeForm
from .models import Enrolment, SharedPractice
from .selectors import cohort_practices, organisation_programmes
from .stages import STAGES, stage_of, staged


@org_view("view_organisation")
def org_programmes(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    return render(
        request,
        "programmes/org_programmes.html",
        {
            "access": access,
            "nav": "programmes",
            "programmes": organisation_programmes(access.organisation),
            "can_leave": access.can("manage_members"),
        },
    )


@org_view("manage_members")
@require_POST
def enrolment_leave(request: HttpRequest, access: OrgAccess, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("programme"), pk=enrolment_id, organisation=access.organisation
    )
    services.enrolment_end(actor=request.user, enrolment=enrolment)
    messages.success(
        request, _("You left the programme “%(programme)s”.") % {"programme": enrolment.programme.name}
    )
    return redirect("org_programmes", org_slug=access.organisation.slug)


@org_view("view_organisation")
def practice_list(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    practices = list(cohort_practices(access.organisation))
    return render(
        request,
        "programmes/practices.html",
        {
            "access": access,
            "nav": "actions",
            "mine": [p for p in practices if p.organisation_id == access.organisation.pk],
            "others": [p for p in practices if p.organisation_id != access.organisation.pk],
            "can_copy": access.can("edit_actions"),
        },
    )


@org_view("edit_actions")
@require_POST
def practice_copy(request: HttpRequest, access: OrgAccess, practice_id: int) -> HttpResponse:
    practice = get_object_or_404(cohort_practices(access.organisation), pk=practice_id)
    if practice.organisation_id == access.organisation.pk:
        messages.error(request, _("This practice is already in your plan."))
        return redirect("practice_list", org_slug=access.organisation.slug)
    action = services.practice_copy(actor=request.user, practice=practice, organisation=access.organisation)
    messages.success(
        request,
        _("“%(title)s” was copied into your plan as an idea: give it an owner and a due date.")
        % {"title": action.title},
    )
    return redirect("action_detail", org_slug=access.organisation.slug, action_id=action.pk)


@org_view("edit_actions")
def action_share(request: HttpRequest, access: OrgAccess, action_id: int) -> HttpResponse:
    action = get_action(access.organisation, action_id)
    practice = SharedPractice.objects.filter(action=action).first()
    initial = {
        "title": action.title,
        "what_was_done": action.description,
        "contact": str(getattr(request.user, "display_name", "")),
    }
    form = PracticeForm(request.POST or None, instance=practice, initial=None if practice else initial)
    if request.method == "POST":
        if request.POST.get("withdraw") and practice is not None:
            services.practice_withdraw(actor=request.user, practice=practice)
            messages.success(request, _("The practice is no longer shared."))
            return redirect("action_detail", org_slug=access.organisation.slug, action_id=action.pk)
        if form.is_valid():
            try:
                services.practice_share(actor=request.user, action=action, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Shared with the companies of your programmes."))
                return redirect("action_detail", org_slug=access.organisation.slug, action_id=action.pk)
    return render(
        request,
        "programmes/practice_form.html",
        {
            "access": access,
            "nav": "actions",
            "action": action,
            "practice": practice,
            "form": form,
            "enrolled": Enrolment.objects.filter(organisation=access.organisation).exists(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    """A consultant's companies: where each stands and what waits for them."""
    user: Any = request.user
    latest = Diagnosis.objects.filter(organisation=OuterRef("pk")).order_by("-created_at", "-pk")
    organisations = list(
        Organisation.objects.filter(consultant_assignments__consultant=user)
        .annotate(
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_score=Subquery(latest.values("overall_score")[:1]),
            waiting=Count("diagnoses", filter=Q(diagnoses__status=Diagnosis.Status.SUBMITTED), distinct=True),
        )
        .order_by("name")
    )
    stages: dict[int, list[tuple[str, str]]] = {}
    for e in staged(
        Enrolment.objects.filter(organisation__consultant_assignments__consultant=user).select_related(
            "programme"
        )
    ):
        stages.setdefault(e.organisation_id, []).append((e.programme.name, str(STAGES[stage_of(e)][1])))
    statuses = dict(Diagnosis.Status.choices)
    rows: list[dict[str, Any]] = [
        {
            "organisation": o,
            "status": statuses.get(o.latest_status, ""),
            "in_progress": o.latest_status == Diagnosis.Status.IN_PROGRESS,
            "stages": stages.get(o.pk, []),
        }
        for o in organisations
    ]
    return render(
        request,
        "programmes/portfolio.html",
        {"rows": rows, "waiting": sum(o.waiting for o in organisations)},
    )
