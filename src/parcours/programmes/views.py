import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.benchmarks.selectors import programme_benchmark
from parcours.diagnoses.scoring import maturity_level, maturity_name
from parcours.organisations.models import HeadcountBand, Membership

from . import services
from .access import ProgrammeAccess, programme_view
from .forms import InvitationForm, ProgrammeForm, SessionForm, StepForm, core_subject_choices
from .models import Enrolment, Programme, ProgrammeInvitation, ProgrammeStaff, Session, Step
from .selectors import calendar, programme_consultants, programme_enrolments
from .stages import STAGES, funnel, funnel_chart, stage_of, staged
from .synthesis import build as build_synthesis
from .synthesis import synthesis_html, synthesis_xlsx

SORTS = {
    "name": lambda r: r["enrolment"].organisation.name.lower(),
    "stage": lambda r: (-r["stage"], r["enrolment"].organisation.name.lower()),
    "score": lambda r: (-(r["enrolment"].last_score or -1), r["enrolment"].organisation.name.lower()),
}


Row = dict[str, Any]
BOARD_PAGE = 100  # rows shown at once; the funnel, filters, sort and CSV cover the whole cohort


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _context(access: ProgrammeAccess, nav: str, **extra: Any) -> dict[str, Any]:
    return {"paccess": access, "programme": access.programme, "pnav": nav, **extra}


def _rows(request: HttpRequest, programme: Programme) -> tuple[list[Row], list[Row], dict[str, str]]:
    all_rows: list[Row] = []
    for e in staged(programme_enrolments(programme)):
        stage = stage_of(e)
        all_rows.append(
            {
                "enrolment": e,
                "stage": stage,
                "stage_name": str(STAGES[stage][1]),
                "level_name": maturity_name(maturity_level(getattr(e, "last_score", None))),
            }
        )
    filters = {
        "stage": request.GET.get("stage", ""),
        "size": request.GET.get("size", ""),
        "consultant": request.GET.get("consultant", ""),
        "sort": request.GET.get("sort", "name") if request.GET.get("sort") in SORTS else "name",
    }
    rows = [
        r
        for r in all_rows
        if (not filters["stage"] or filters["stage"] == STAGES[r["stage"]][0])
        and (not filters["size"] or r["enrolment"].organisation.headcount_band == filters["size"])
        and (
            not filters["consultant"] or str(r["enrolment"].consultant_id or "none") == filters["consultant"]
        )
    ]
    rows.sort(key=SORTS[filters["sort"]])
    return all_rows, rows, filters


def _funnel(all_rows: list[Row]) -> tuple[str, list[tuple[str, int]]]:
    rows = funnel([r["stage"] for r in all_rows])
    return funnel_chart(rows, len(all_rows)), rows


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    if not services.can_create_programme(request.user):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Programme created. Now add its calendar and invite the companies."))
            return redirect("programme_detail", programme_slug=programme.slug)
    return render(
        request, "programmes/programme_form.html", {"form": form}, status=400 if form.errors else 200
    )


@programme_view("manage_programme")
def programme_edit(request: HttpRequest, access: ProgrammeAccess) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, instance=access.programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(actor=request.user, programme=access.programme, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("programme_detail", programme_slug=access.programme.slug)
    return render(
        request,
        "programmes/programme_form.html",
        _context(access, "overview", form=form),
        status=400 if form.errors else 200,
    )


@programme_view("view_programme")
def programme_detail(request: HttpRequest, access: ProgrammeAccess) -> HttpResponse:
    programme = access.programme
    all_rows, rows, filters = _rows(request, programme)
    funnel, funnel_rows = _funnel(all_rows)
    context = _context(
        access,
        "overview",
        count=len(all_rows),
        funnel=funnel,
        funnel_rows=funnel_rows,
        stages=STAGES,
        programme_benchmark=programme_benchmark(programme),
    )
    if access.can("view_companies"):
        page = Paginator(rows, BOARD_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            rows=page.object_list,
            page=page,
            query=query.urlencode(),
            filters=filters,
            sizes=HeadcountBand.choices,
            consultants=programme_consultants(programme),
        )
    return render(request, "programmes/programme.html", context)


@programme_view("view_companies")
def programme_csv(request: HttpRequest, access: ProgrammeAccess) -> HttpResponse:
    programme = access.programme
    _all, rows, _filters = _rows(request, programme)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Organisation"),
            _("Headcount"),
            _("Consultant"),
            _("Stage"),
            _("Diagnoses completed"),
            _("Latest completed"),
            _("Score / 1000"),
        ]
    )
    for r in rows:
        e = r["enrolment"]
        writer.writerow(
            [
                e.organisation.name,
                e.organisation.get_headcount_band_display(),
                e.consultant.display_name if e.consultant else "",
                r["stage_name"],
                getattr(e, "completed_count", 0),
                e.last_completed_at.date().isoformat() if getattr(e, "last_completed_at", None) else "",
                getattr(e, "last_score", None) if getattr(e, "last_score", None) is not None else "",
            ]
        )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(programme.name)}-cohorte.csv"'
    return response


# Calendar -----------------------------------------------------------------------------------


def _calendar_page(
    access: ProgrammeAccess, request: HttpRequest, form: StepForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "programmes/calendar.html",
        _context(access, "calendar", form=form, items=calendar(access.programme)),
        status=status,
    )


@programme_view("view_programme")
def programme_calendar(request: HttpRequest, access: ProgrammeAccess) -> HttpResponse:
    return _calendar_page(access, request, StepForm())


@programme_view("manage_programme")
@require_POST
def step_create(request: HttpRequest, access: ProgrammeAccess) -> HttpResponse:
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.step_save(actor=request.user, programme=access.programme, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Step added to the calendar."))
            return redirect("programme_calendar", programme_slug=access.programme.slug)
    return _calendar_page(access, request, form, status=400)


@programme_view("manage_programme")
def step_edit(request: HttpRequest, access: ProgrammeAccess, step_id: int) -> HttpResponse:
    step = get_object_or_404(Step, pk=step_id, programme=access.programme)
    form = StepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_save(
                actor=request.user, programme=access.programme, data=form.cleaned_data, step=step
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Step saved."))
            return redirect("programme_calendar", programme_slug=access.programme.slug)
    return render(
        request,
        "programmes/step_form.html",
        _context(access, "calendar", form=form, step=step),
        status=400 if form.errors else 200,
    )


@programme_view("manage_programme")
@require_POST
def step_delete(request: HttpRequest, access: ProgrammeAccess, step_id: int) -> HttpResponse:
    step = get_object_or_404(Step, pk=step_id, programme=access.programme)
    step.delete()
    messages.success(request, _("Step removed from the calendar."))
    return redirect("programme_calendar", programme_slug=access.programme.slug)


# People: staff, invitations, enrolments, consultants -----------------------------------------


@programme_view("manage_programme")
def programme_people(request: HttpRequest, access: ProgrammeAccess) -> HttpResponse:
    programme = access.programme
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("programme_people", programme_slug=programme.slug)
    return render(
        request,
        "programmes/people.html",
        _context(
            access,
            "people",
            form=form,
            staff=programme.staff.select_related("user"),
            invitations=[i for i in programme.invitations.all() if i.is_open],
            enrolments=Enrolment.objects.filter(programme=programme).select_related(
                "organisation", "consultant"
            ),
            consultants=programme_consultants(programme),
        ),
        status=400 if form.errors else 200,
    )


@programme_view("manage_programme")
@require_POST
def programme_invitation_revoke(
    request: HttpRequest, access: ProgrammeAccess, invitation_id: int
) -> HttpResponse:
    invitation = get_object_or_404(ProgrammeInvitation, pk=invitation_id, programme=access.programme)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("programme_people", programme_slug=access.programme.slug)


@programme_view("manage_programme")
@require_POST
def staff_remove(request: HttpRequest, access: ProgrammeAccess, staff_id: int) -> HttpResponse:
    staff = get_object_or_404(ProgrammeStaff, pk=staff_id, programme=access.programme)
    try:
        services.staff_remove(actor=request.user, staff=staff)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, _("%(name)s no longer has a role in the programme.") % {"name": staff.user.display_name}
        )
    return redirect("programme_people", programme_slug=access.programme.slug)


@programme_view("manage_programme")
@require_POST
def enrolment_consultant(request: HttpRequest, access: ProgrammeAccess, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("organisation", "consultant"),
        pk=enrolment_id,
        programme=access.programme,
    )
    raw = request.POST.get("consultant", "")
    pool = {str(u.pk): u for u in programme_consultants(access.programme)}
    if raw and raw not in pool:
        messages.error(request, _("Choose one of the programme's consultants."))
    else:
        services.consultant_assign(actor=request.user, enrolment=enrolment, consultant=pool.get(raw))
        messages.success(
            request,
            _("%(company)s: consultant saved.") % {"company": enrolment.organisation.name},
        )
    target = "programme_detail" if request.POST.get("next") == "board" else "programme_people"
    return redirect(target, programme_slug=access.programme.slug)


@programme_view("manage_programme")
@require_POST
def enrolment_remove(request: HttpRequest, access: ProgrammeAccess, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("organisation"), pk=enrolment_id, programme=access.programme
    )
    services.enrolment_end(actor=request.user, enrolment=enrolment)
    messages.success(request, _("%(company)s left the programme.") % {"company": enrolment.organisation.name})
    return redirect("programme_people", programme_slug=access.programme.slug)


# Sessions -----------------------------------------------------------------------------------


def _session_form(access: ProgrammeAccess, request: HttpRequest, session: Session | None) -> HttpResponse:
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.session_save(
                actor=request.user, programme=access.programme, data=form.cleaned_data, session=session
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("session_detail", programme_slug=access.programme.slug, session_id=saved.pk)
    return render(
        request,
        "programmes/session_form.html",
        _context(access, "calendar", form=form, session=session),
        status=400 if form.errors else 200,
    )


@programme_view("manage_programme")
def session_create(request: HttpRequest, access: ProgrammeAccess) -> HttpResponse:
    return _session_form(access, request, None)


@programme_view("manage_programme")
def session_edit(request: HttpRequest, access: ProgrammeAccess, session_id: int) -> HttpResponse:
    session = get_object_or_404(Session, pk=session_id, programme=access.programme)
    return _session_form(access, request, session)


def _attendance_groups(session: Session) -> list[dict[str, Any]]:
    present = set(session.attendances.values_list("organisation_id", "user_id"))
    groups: dict[int, dict[str, Any]] = {}
    for m in (
        Membership.objects.filter(organisation__enrolments__programme=session.programme)
        .select_related("organisation", "user")
        .order_by("organisation__name", "user__last_name", "user__email")
    ):
        group = groups.setdefault(m.organisation_id, {"organisation": m.organisation, "people": []})
        group["people"].append(
            {
                "user": m.user,
                "value": f"{m.organisation_id}:{m.user_id}",
                "present": (m.organisation_id, m.user_id) in present,
            }
        )
    return list(groups.values())


@programme_view("view_programme")
def session_detail(request: HttpRequest, access: ProgrammeAccess, session_id: int) -> HttpResponse:
    session = get_object_or_404(Session, pk=session_id, programme=access.programme)
    subjects = dict(core_subject_choices())
    context = _context(
        access,
        "calendar",
        session=session,
        subjects=[subjects.get(k, k) for k in session.core_subjects],
        n_present=session.attendances.count(),
        n_companies=session.attendances.values("organisation").distinct().count(),
    )
    if access.can("record_attendance"):
        context["groups"] = _attendance_groups(session)
    return render(request, "programmes/session.html", context)


@programme_view("record_attendance")
@require_POST
def session_attendance(request: HttpRequest, access: ProgrammeAccess, session_id: int) -> HttpResponse:
    session = get_object_or_404(Session, pk=session_id, programme=access.programme)
    pairs: list[tuple[int, int]] = []
    for raw in request.POST.getlist("present"):
        org_id, _sep, user_id = raw.partition(":")
        if not (org_id.isdigit() and user_id.isdigit()):
            messages.error(request, _("The attendance list was not understood; nothing was changed."))
            return redirect("session_detail", programme_slug=access.programme.slug, session_id=session.pk)
        pairs.append((int(org_id), int(user_id)))
    try:
        n = services.attendance_set(actor=request.user, session=session, present=pairs)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Attendance saved: %(n)s present.") % {"n": n})
    return redirect("session_detail", programme_slug=access.programme.slug, session_id=session.pk)


# Invitations, from the invited person's side ------------------------------------------------


def programme_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent by e-mail: a company's owner enrols one of their organisations; staff join."""
    invitation = get_object_or_404(ProgrammeInvitation.objects.select_related("programme"), token=token)
    context: dict[str, Any] = {"invitation": invitation, "programme": invitation.programme}
    if not invitation.is_open:
        return render(request, "programmes/invitation_closed.html", context, status=410)
    user = request.user
    if not user.is_authenticated:
        return render(request, "programmes/invitation.html", context)
    is_company = invitation.kind == ProgrammeInvitation.ORGANISATION
    if is_company:
        context["organisations"] = services.organisations_user_can_enrol(user)
    elif user.email.lower() != invitation.email.lower():
        context["wrong_account"] = True
        return render(request, "programmes/invitation.html", context, status=403)
    if request.method != "POST":
        return render(request, "programmes/invitation.html", context)
    try:
        if request.POST.get("decision") == "decline":
            services.invitation_decline(invitation=invitation, user=user)
            messages.success(request, _("Invitation declined."))
            return redirect("home")
        if is_company:
            org = next(
                (o for o in context["organisations"] if str(o.pk) == request.POST.get("organisation")), None
            )
            if org is None:
                context["error"] = _("Choose the organisation that joins the programme.")
                return render(request, "programmes/invitation.html", context, status=400)
            services.invitation_accept_company(invitation=invitation, user=user, organisation=org)
            messages.success(
                request,
                _("%(company)s joined the programme “%(programme)s”.")
                % {"company": org.name, "programme": invitation.programme.name},
            )
            return redirect("org_programmes", org_slug=org.slug)
        services.invitation_accept_staff(invitation=invitation, user=user)
    except ValidationError as exc:
        context["error"] = _error_text(exc)
        return render(request, "programmes/invitation.html", context, status=400)
    messages.success(
        request, _("Welcome to the programme “%(programme)s”.") % {"programme": invitation.programme.name}
    )
    return redirect("programme_detail", programme_slug=invitation.programme.slug)


# Funder synthesis ---------------------------------------------------------------------------


@programme_view("view_programme")
def programme_synthesis(request: HttpRequest, access: ProgrammeAccess) -> HttpResponse:
    data = build_synthesis(access.programme)
    chart = funnel_chart(data.funnel, data.enrolled)
    return render(
        request, "programmes/synthesis.html", _context(access, "synthesis", s=data, funnel_chart=chart)
    )


@programme_view("view_programme")
def programme_synthesis_file(request: HttpRequest, access: ProgrammeAccess, fmt: str) -> HttpResponse:
    from parcours.reports.documents import html_to_pdf

    language = request.GET.get("lang", "")
    if language not in ("fr", "en"):
        language = (getattr(request, "LANGUAGE_CODE", "") or "fr")[:2]
    name = f"{slugify(access.programme.name)}-synthese-{language}"
    if fmt == "pdf":
        content = html_to_pdf(synthesis_html(access.programme, language))
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            synthesis_xlsx(access.programme, language),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404
