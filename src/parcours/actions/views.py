from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.materiality.selectors import not_relevant_domains, significance_map
from parcours.organisations.access import OrgAccess, org_view

from . import services
from .forms import ActionForm, FilterForm, ReviewForm, StatusForm
from .models import Action
from .selectors import action_reviews, actions_of, board, get_action, get_template, suggestions
from .timeline import timeline


def _context(access: OrgAccess, **extra: Any) -> dict[str, Any]:
    return {"access": access, "nav": "actions", "can_edit": access.can("edit_actions"), **extra}


def _filtered(request: HttpRequest, access: OrgAccess) -> tuple[FilterForm, list[Action]]:
    form = FilterForm(request.GET or None, organisation=access.organisation)
    return form, list(actions_of(access.organisation, form.filters()))


@org_view("view_organisation")
def action_list(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    form, actions = _filtered(request, access)
    return render(
        request, "actions/list.html", _context(access, view="list", filter_form=form, actions=actions)
    )


@org_view("view_organisation")
def action_board(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    form = FilterForm(request.GET or None, organisation=access.organisation)
    columns = board(access.organisation, form.filters())
    return render(
        request, "actions/board.html", _context(access, view="board", filter_form=form, columns=columns)
    )


@org_view("view_organisation")
def action_timeline(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    form, actions = _filtered(request, access)
    today = timezone.localdate()
    chart = timeline(actions, _("Actions on a timeline; the table below lists their dates."), today)
    return render(
        request,
        "actions/timeline.html",
        _context(access, view="timeline", filter_form=form, actions=actions, chart=chart),
    )


@org_view("view_organisation")
def action_suggestions(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    ranked = suggestions(
        access.organisation,
        significance=significance_map(access.organisation),
        not_relevant=not_relevant_domains(access.organisation),
    )
    return render(request, "actions/suggestions.html", _context(access, suggestions=ranked))


@org_view("edit_actions")
@require_POST
def action_adopt(request: HttpRequest, access: OrgAccess, template_key: str) -> HttpResponse:
    template = get_template(template_key)
    action = services.action_create_from_template(
        actor=request.user, organisation=access.organisation, template=template
    )
    messages.success(request, _("Action added to your plan. Set an owner and dates."))
    return redirect("action_detail", org_slug=access.organisation.slug, action_id=action.pk)


@org_view("edit_actions")
def action_new(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    form = ActionForm(request.POST or None, organisation=access.organisation)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("domains", "version")}
        try:
            action = services.action_create(
                actor=request.user,
                organisation=access.organisation,
                data=data,
                domains=form.selected_domains(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Action created."))
            return redirect("action_detail", org_slug=access.organisation.slug, action_id=action.pk)
    status = 400 if form.errors else 200
    return render(request, "actions/form.html", _context(access, form=form), status=status)


@org_view("view_organisation")
def action_detail(request: HttpRequest, access: OrgAccess, action_id: int) -> HttpResponse:
    action = get_action(access.organisation, action_id)
    return render(
        request,
        "actions/detail.html",
        _context(
            access,
            action=action,
            reviews=action_reviews(action),
            evidence=list(action.evidence.all()),
            review_form=ReviewForm(
                initial={"reviewed_on": timezone.localdate(), "progress": action.progress}
            ),
        ),
    )


@org_view("edit_actions")
def action_edit(request: HttpRequest, access: OrgAccess, action_id: int) -> HttpResponse:
    action = get_action(access.organisation, action_id)
    form = ActionForm(instance=action, organisation=access.organisation)
    stale = None
    status = 200
    if request.method == "POST":
        form = ActionForm(
            request.POST,
            instance=get_action(access.organisation, action_id),
            organisation=access.organisation,
        )
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("domains", "version")}
            try:
                services.action_update(
                    actor=request.user,
                    action=action,
                    data=data,
                    domains=form.selected_domains(),
                    expected_version=form.cleaned_data.get("version") or 0,
                )
            except services.StaleEdit as exc:
                stale = exc.current
                # keep what this person typed; saving again is then a choice made knowing the other change
                data = request.POST.copy()
                data["version"] = str(stale.version)
                form.data = data
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                messages.success(request, _("Action saved."))
                return redirect("action_detail", org_slug=access.organisation.slug, action_id=action.pk)
        else:
            status = 400
    return render(
        request,
        "actions/form.html",
        _context(
            access,
            action=action,
            form=form,
            stale=stale,
            stale_changes=_differences(stale, form) if stale else [],
        ),
        status=status,
    )


def _differences(current: Action, form: ActionForm) -> list[tuple[str, Any, Any]]:
    """Fields where the saved version differs from what this person submitted."""
    rows = []
    submitted = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    for name in services.EDITABLE_FIELDS:
        theirs = getattr(current, name)
        mine = submitted.get(name)
        if theirs != mine:
            label = str(getattr(Action._meta.get_field(name), "verbose_name", name))
            shown = current.get_status_display() if name == "status" else theirs
            rows.append(
                (label, shown if shown not in (None, "") else "—", mine if mine not in (None, "") else "—")
            )
    return rows


@org_view("edit_actions")
@require_POST
def action_status(request: HttpRequest, access: OrgAccess, action_id: int) -> HttpResponse:
    action = get_action(access.organisation, action_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses shown."))
    else:
        try:
            services.action_set_status(
                actor=request.user,
                action=action,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEdit:
            messages.error(
                request,
                _(
                    "Someone changed this action in the meantime: nothing was saved. Here is the current board."
                ),
            )
        else:
            messages.success(request, _("Status updated."))
    return redirect("action_board", org_slug=access.organisation.slug)


@org_view("edit_actions")
@require_POST
def action_review(request: HttpRequest, access: OrgAccess, action_id: int) -> HttpResponse:
    action = get_action(access.organisation, action_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_add(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Progress review added."))
            return redirect("action_detail", org_slug=access.organisation.slug, action_id=action.pk)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("action_detail", org_slug=access.organisation.slug, action_id=action.pk)
